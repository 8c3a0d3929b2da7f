from ast import literal_eval
from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestSecurity(PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._sessions(cls.permanence, date(2027, 3, 5), date(2027, 3, 5))

    def test_configuration_is_for_coordinators(self):
        for user in (self.user_reception, self.user_therapist):
            with self.assertRaises(AccessError):
                self.env["psys.permanence"].with_user(user).create(
                    {
                        "name": "Pirate",
                        "location_id": self.location_2.id,
                        "attendance_ids": self._opening(["mon"], 9, 12),
                    }
                )
            with self.assertRaises(AccessError):
                self.permanence.with_user(user).write({"attendance_ids": self._opening(["fri"], 11, 18)})
            with self.assertRaises(AccessError):
                self.permanence.attendance_ids.with_user(user).write({"hour_to": 18})
            for calendar in (self.location.resource_calendar_id, self.env["resource.calendar"]):
                with self.assertRaises(AccessError):
                    self.env["resource.calendar.leaves"].with_user(user).create(
                        {
                            "name": "x",
                            "calendar_id": calendar.id,
                            "date_from": datetime(2027, 3, 1),
                            "date_to": datetime(2027, 3, 2),
                        }
                    )
            with self.assertRaises(AccessError):
                self.session.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["psys.rota.autofill"].with_user(user).create({})
            with self.assertRaises(AccessError):
                self.env["psys.session.cancel"].with_user(user).create({"session_ids": self.session.ids, "reason": "x"})
            # Reading the rota is fine.
            self.assertEqual(self.session.with_user(user).shift_ids.mapped("role"), ["reception", "interview"])
        permanence = (
            self.env["psys.permanence"]
            .with_user(self.user_coordinator)
            .create(
                {
                    "name": "Coordination",
                    "location_id": self.location_2.id,
                    "attendance_ids": self._opening(["mon"], 9, 12),
                }
            )
        )
        self.assertEqual(permanence.volunteer_count, 2)
        # The coordinator (not an administrator) changes its opening hours, on
        # its own calendar, and not the company's working hours.
        permanence.with_user(self.user_coordinator).write({"attendance_ids": self._opening(["mon", "tue"], 9, 13)})
        self.assertEqual(permanence.opening_summary, "Monday 09:00–13:00, Tuesday 09:00–13:00")
        permanence.with_user(self.user_coordinator).write(
            {"attendance_ids": [Command.update(permanence.attendance_ids[0].id, {"hour_to": 12})]}
        )
        self.assertEqual(permanence._get_session_interval(date(2027, 3, 1))[1].hour, 11, "12:00 in Paris in winter")
        with self.assertRaises(AccessError):
            self.env.company.resource_calendar_id.attendance_ids[:1].with_user(self.user_coordinator).hour_to = 23

    def test_coordinators_close_the_antennas(self):
        """The coordinator (not an administrator) opens an antenna (its
        calendar comes with it), closes it and every antenna, moves and
        removes the closures; reception reads them and changes none."""
        coordinator = self.user_coordinator
        self.assertFalse(coordinator.has_group("base.group_erp_manager"))
        Leave = self.env["resource.calendar.leaves"].with_user(coordinator)
        antenna = self.env["psys.location"].with_user(coordinator).create({"name": "Antenne ter"})
        self.assertTrue(antenna.resource_calendar_id)
        self.assertEqual(antenna.resource_calendar_id.company_id, self.env.company)
        session = self._sessions(self._permanence("Ter", antenna, fri=True), date(2027, 3, 5), date(2027, 3, 5))
        closures = Leave.create(
            [
                {
                    "name": "Travaux",
                    "calendar_id": antenna.resource_calendar_id.id,
                    "date_from": datetime(2027, 3, 4, 23, 0),
                    "date_to": datetime(2027, 3, 5, 22, 59, 59),
                },
                {
                    "name": "Fermeture de l'association",
                    "calendar_id": False,
                    "date_from": datetime(2027, 8, 1),
                    "date_to": datetime(2027, 8, 15),
                },
            ]
        )
        self.assertEqual(session.state, "cancelled")
        self.assertEqual(closures[1].company_id, self.env.company)
        closures[1].write({"date_to": datetime(2027, 8, 20)})
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psys_permanence.resource_calendar_leaves_action_psys_closing"
        )
        for user in (coordinator, self.user_reception):
            listed = self.env["resource.calendar.leaves"].with_user(user).search(literal_eval(action["domain"]))
            self.assertEqual(listed & closures, closures)
        as_reception = closures.with_user(self.user_reception)
        self.assertEqual(as_reception.mapped("name"), ["Travaux", "Fermeture de l'association"])
        for closure in as_reception:
            with self.assertRaises(AccessError):
                closure.write({"name": "x"})
            with self.assertRaises(AccessError):
                closure.unlink()
        # Another association sees none of them.
        self.assertFalse(
            self.env["resource.calendar.leaves"].with_user(self.user_therapist_b).search([("id", "in", closures.ids)])
        )
        closures.unlink()
        self.assertFalse(closures.exists())

    def test_outsiders_see_nothing(self):
        for user in (self.user_employee, self.user_portal):
            for model in (
                "psys.permanence",
                "psys.session",
                "psys.shift",
                "psys.desk.visit",
                "psys.volunteer.availability",
            ):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])
        # Another association's therapist sees none of this one's rota.
        as_b = self.env["psys.shift"].with_user(self.user_therapist_b)
        self.assertFalse(as_b.search([("session_id", "=", self.session.id)]))
        with self.assertRaises(AccessError):
            self.session.shift_ids[0].with_user(self.user_therapist_b).action_sign_up()
        with self.assertRaises(AccessError):
            self.session.with_user(self.user_therapist_b).read(["date"])

    def test_availabilities_are_personal(self):
        mine = self.env["psys.volunteer.availability"].with_user(self.user_therapist).search([])
        self.assertEqual(mine.user_id, self.user_therapist)
        others = self.env["psys.volunteer.availability"].search([("user_id", "=", self.user_therapist_2.id)])
        with self.assertRaises(AccessError):
            others.with_user(self.user_therapist).write({"max_shifts_month": 99})
        with self.assertRaises(AccessError):
            self.env["psys.volunteer.availability"].with_user(self.user_therapist).create(
                {"user_id": self.user_employee.id}
            )
        mine.with_user(self.user_therapist).write(
            {"unavailability_ids": [(0, 0, {"date_from": date(2027, 4, 1), "date_to": date(2027, 4, 2)})]}
        )
        self.assertEqual(len(mine.unavailability_ids), 1)
        everyone = self.env["psys.volunteer.availability"].with_user(self.user_coordinator).search([])
        self.assertEqual(len(everyone), 3)

    def test_desk_visits_for_reception_not_outsiders(self):
        visit = (
            self.env["psys.desk.visit"]
            .with_user(self.user_reception)
            .create({"session_id": self.session.id, "arrival_note": "Malentendant"})
        )
        self.assertEqual(visit.state, "arrived")
        with self.assertRaises(AccessError):
            visit.with_user(self.user_reception).unlink()
        with self.assertRaises(AccessError):
            visit.with_user(self.user_therapist_b).read(["arrival_note"])
