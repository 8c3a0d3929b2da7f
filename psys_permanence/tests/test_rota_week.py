"""Issue 27, point 10: the coordinator's week grid and its picker, through
the psys.shift RPC methods, as each role (the ORM as that user)."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestRotaWeek(PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The clock: Wednesday 4 November 2026. Friday 6th: a session at each
        # antenna, 11:00–17:00 and 14:00–18:00, one reception and one
        # interview shift each.
        cls.friday = date(2026, 11, 6)
        cls.session = cls._sessions(cls.permanence, cls.friday, cls.friday)
        cls.session_2 = cls._sessions(cls.permanence_2, cls.friday, cls.friday)
        cls.Shift = cls.env["psys.shift"]
        # The demo's sessions of these weeks are not the tests' (cancelled: off the grid).
        cls.env["psys.session"].search(
            [
                ("date", ">=", date(2026, 11, 2)),
                ("date", "<=", date(2026, 11, 15)),
                ("permanence_id.location_id", "not in", (cls.location | cls.location_2).ids),
            ]
        ).write({"state": "cancelled"})

    def _shift(self, session, role):
        return session.shift_ids.filtered(lambda shift: shift.role == role)

    def _grid(self, user, week_start=None):
        return self.Shift.with_user(user).psys_week_grid(week_start)

    def test_week_as_the_coordinator(self):
        self._shift(self.session, "reception").user_id = self.user_reception
        grid = self._grid(self.user_coordinator)
        self.assertEqual(grid["week_start"], "2026-11-02", "this week, from its Monday")
        self.assertEqual((grid["previous"], grid["next"]), ("2026-10-26", "2026-11-09"))
        self.assertEqual([day["date"] for day in grid["days"]][4], "2026-11-06")
        self.assertTrue(grid["days"][2]["today"])
        # Open shifts counted at every level: week, day, antenna.
        self.assertEqual(grid["open"], 3)
        self.assertEqual([day["open"] for day in grid["days"]], [0, 0, 0, 0, 3, 0, 0])
        antennas = {antenna["name"]: antenna for antenna in grid["antennas"]}
        self.assertEqual(antennas[self.location.display_name]["open"], 1)
        self.assertEqual(antennas[self.location_2.display_name]["open"], 2)
        rows = {row["role"]: row for row in antennas[self.location.display_name]["rows"]}
        friday_reception = rows["reception"]["cells"][4]
        self.assertEqual(len(friday_reception), 1)
        self.assertEqual(friday_reception[0]["state"], "filled")
        self.assertEqual(friday_reception[0]["volunteer"], self.user_reception.name)
        self.assertEqual(friday_reception[0]["hours"], "11:00–17:00", "local hours")
        self.assertEqual(rows["interview"]["cells"][4][0]["state"], "open")
        # Another week, by its date; an empty week.
        self.assertEqual(self._grid(self.user_coordinator, "2026-11-12")["week_start"], "2026-11-09")
        self.assertEqual(self._grid(self.user_coordinator, "2026-11-12")["antennas"], [])

    def test_cancelled_sessions_are_not_to_fill(self):
        self.session_2.with_user(self.user_coordinator)._cancel("Fermeture")
        grid = self._grid(self.user_coordinator)
        self.assertEqual(grid["open"], 2)
        self.assertEqual([antenna["name"] for antenna in grid["antennas"]], [self.location.display_name])

    def test_picker_offers_only_the_available(self):
        interview = self._shift(self.session, "interview").with_user(self.user_coordinator)
        reception = self._shift(self.session, "reception").with_user(self.user_coordinator)
        names = lambda shift: {candidate["name"] for candidate in shift.psys_candidates()}  # noqa: E731
        # Interviews are for therapists; reception for every volunteer.
        self.assertEqual(names(interview), {self.user_therapist.name, self.user_therapist_2.name})
        self.assertEqual(
            names(reception), {self.user_reception.name, self.user_therapist.name, self.user_therapist_2.name}
        )
        # Therapist 2: unavailable that Friday. Reception: not on Fridays.
        availability = self.env["psys.volunteer.availability"]
        availability.search([("user_id", "=", self.user_therapist_2.id)]).unavailability_ids = [
            (0, 0, {"date_from": self.friday, "date_to": self.friday, "reason": "Congés"})
        ]
        availability.search([("user_id", "=", self.user_reception.id)]).fri = False
        self.assertEqual(names(interview), {self.user_therapist.name})
        self.assertEqual(names(reception), {self.user_therapist.name})
        # The therapist on the other shift of the same session: on neither.
        interview.psys_fill(self.user_therapist.id)
        self.assertEqual(names(reception), set())
        # On a shift overlapping it at the other antenna (14:00–18:00 against 11:00–17:00).
        interview.user_id = False
        self._shift(self.session_2, "interview").user_id = self.user_therapist
        self.assertEqual(names(interview), set())
        # An antenna the volunteer does not serve.
        self._shift(self.session_2, "interview").user_id = False
        availability.search([("user_id", "=", self.user_therapist.id)]).location_ids = self.location_2
        self.assertEqual(names(interview), set())

    def test_fill_in_one_call(self):
        shift = self._shift(self.session, "interview").with_user(self.user_coordinator)
        self.assertTrue(shift.psys_fill(self.user_therapist.id))
        self.assertEqual(shift.user_id, self.user_therapist)
        self.assertEqual(shift.state, "filled")
        self.assertEqual(self._grid(self.user_coordinator)["open"], 3)
        # Nobody, or somebody not offered, is refused before any change.
        other = self._shift(self.session, "reception").with_user(self.user_coordinator)
        with self.assertRaises(UserError):
            other.psys_fill(self.user_therapist.id)  # already on the interview of that session
        with self.assertRaises(UserError):
            other.psys_fill()
        with self.assertRaises(UserError):
            self._shift(self.session_2, "interview").with_user(self.user_coordinator).psys_fill(
                self.user_reception.id
            )  # not a therapist
        self.assertFalse(other.user_id)

    def test_replacement_is_to_fill_and_its_holder_is_not_offered(self):
        shift = self._shift(self.session, "interview")
        shift.write({"user_id": self.user_therapist.id})
        shift.write({"replacement_requested": True, "replacement_reason": "Malade"})
        grid = self._grid(self.user_coordinator)
        self.assertEqual(grid["open"], 4, "a replacement wanted is a shift to fill")
        candidates = shift.with_user(self.user_coordinator).psys_candidates()
        self.assertEqual([candidate["name"] for candidate in candidates], [self.user_therapist_2.name])
        shift.with_user(self.user_coordinator).psys_fill(self.user_therapist_2.id)
        self.assertEqual(shift.state, "filled")

    def test_other_roles_are_refused(self):
        shift = self._shift(self.session, "interview")
        for user in (self.user_reception, self.user_therapist, self.user_employee, self.user_portal):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._grid(user)
                with self.assertRaises(AccessError):
                    shift.with_user(user).psys_candidates()
                with self.assertRaises(AccessError):
                    shift.with_user(user).psys_fill(user.id)
        self.assertFalse(shift.user_id)

    def test_another_association_sees_and_fills_nothing_of_ours(self):
        coordinator_b = self._psys_user("psys_coordinator_b", "psys_base.group_psys_coordinator")
        coordinator_b.write({"company_ids": [(6, 0, self.company_b.ids)], "company_id": self.company_b.id})
        self.assertEqual(self._grid(coordinator_b)["antennas"], [])
        shift = self._shift(self.session, "interview")
        with self.assertRaises(AccessError):
            shift.with_user(coordinator_b).psys_candidates()
        with self.assertRaises(AccessError):
            shift.with_user(coordinator_b).psys_fill(self.user_therapist.id)
        self.assertFalse(shift.user_id)

    def test_menu_opens_the_week(self):
        menu = self.env.ref("psys_permanence.psys_rota_week_menu")
        self.assertEqual(menu.action, self.env.ref("psys_permanence.psys_rota_week_action"))
        self.assertEqual(menu.action.tag, "psys_permanence.rota_week")
        self.assertIn(self.env.ref("psys_base.group_psys_coordinator"), menu.groups_id)

    def test_in_french(self):
        grid = self.Shift.with_user(self.user_coordinator).with_context(lang="fr_FR").psys_week_grid("2026-11-04")
        self.assertEqual(grid["title"], "Semaine 45, du 2 nov. au 8 nov. 2026")
        self.assertEqual(grid["days"][4]["label"], "ven. 6 nov.")
        roles = [row["label"] for row in grid["antennas"][0]["rows"]]
        self.assertNotIn("Interviews (entretien)", roles)
        # The grid's own words, as the web client loads them.
        translations, _lang_params = self.env["ir.http"].get_translations_for_webclient(["psys_permanence"], "fr_FR")
        messages = {message["id"]: message["string"] for message in translations["psys_permanence"]["messages"]}
        for english, french in (
            ("Previous week", "Semaine précédente"),
            ("Open shift, to fill", "Créneau ouvert, à pourvoir"),
            ("Open", "Ouvert"),
            ("Uncovered: nobody yet", "Non couverte : personne encore"),
        ):
            self.assertEqual(messages.get(english), french)
