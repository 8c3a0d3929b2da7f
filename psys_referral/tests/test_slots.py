from datetime import date, datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PsysReferralCase


@tagged("psys_referral")
class TestSlots(PsysReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.monday = cls._partnership(
            cls.structure,
            cls.user_portal,
            name="Lundis",
            date_start="2026-01-01",
            attendance_ids=[(0, 0, {"dayofweek": "0", "hour_from": 9.0, "hour_to": 12.0})],
        )

    def _starts(self, slots):
        return sorted(slots.mapped("start"))

    def test_public_holiday_has_no_slot(self):
        slots = self.monday.action_generate_slots(date(2026, 4, 6), date(2026, 4, 13))
        # Easter Monday (6 April) is skipped; the next Monday has its three slots.
        self.assertEqual(
            self._starts(slots),
            [datetime(2026, 4, 13, 7), datetime(2026, 4, 13, 8), datetime(2026, 4, 13, 9)],
        )

    def test_daylight_saving_time(self):
        slots = self.monday.action_generate_slots(date(2026, 3, 23), date(2026, 3, 30))
        # 9:00 in Paris is 8:00 UTC in winter (23 March) and 7:00 UTC in summer (30 March).
        self.assertEqual(
            self._starts(slots),
            [
                datetime(2026, 3, 23, 8),
                datetime(2026, 3, 23, 9),
                datetime(2026, 3, 23, 10),
                datetime(2026, 3, 30, 7),
                datetime(2026, 3, 30, 8),
                datetime(2026, 3, 30, 9),
            ],
        )
        self.assertTrue(all((slot.stop - slot.start).total_seconds() == 3600 for slot in slots))

    def test_busy_calendar_removes_slots(self):
        self.env["calendar.event"].create(
            {
                "name": "Supervision",
                "start": datetime(2026, 4, 13, 8, 30),
                "stop": datetime(2026, 4, 13, 9, 15),
                "partner_ids": [(6, 0, self.user_therapist.partner_id.ids)],
                "user_id": self.user_therapist.id,
            }
        )
        # Another person's meeting does not block the practitioner.
        self.env["calendar.event"].create(
            {
                "name": "Autre réunion",
                "start": datetime(2026, 4, 13, 7),
                "stop": datetime(2026, 4, 13, 8),
                "partner_ids": [(6, 0, self.user_therapist_2.partner_id.ids)],
            }
        )
        self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 4, 13))
        slots = self.env["psys.slot"].search([("partnership_id", "=", self.monday.id)])
        self.assertEqual(self._starts(slots), [datetime(2026, 4, 13, 7)])

    def test_only_her_commitments_take_her_slots(self):
        """An event put in her calendar by someone else (of another
        association, or not accepted) takes none of her free slots."""
        day = date(2026, 4, 13)
        self.monday.action_generate_slots(day, day)
        free = self.env["psys.slot"].search([("partnership_id", "=", self.monday.id)])
        other_company = self.env["res.users"].create(
            {
                "name": "Organisateur externe",
                "login": "psys_outside_organiser",
                "company_id": self.company_b.id,
                "company_ids": [(6, 0, self.company_b.ids)],
            }
        )
        colleague = self.user_coordinator
        events = self.env["calendar.event"]
        for organiser in (other_company, colleague):
            events |= events.create(
                {
                    "name": "Invitation",
                    "start": datetime(2026, 4, 13, 6),
                    "stop": datetime(2026, 4, 13, 10),
                    "user_id": organiser.id,
                    "partner_ids": [(6, 0, (organiser.partner_id | self.user_therapist.partner_id).ids)],
                }
            )
        self.monday.action_generate_slots(day, day)
        self.assertEqual(self.env["psys.slot"].search([("partnership_id", "=", self.monday.id)]), free)
        # She accepts both: her colleague's takes the slots, the outsider's does not.
        Attendee = self.env["calendar.attendee"]
        hers = Attendee.search([("event_id", "in", events.ids), ("partner_id", "=", self.user_therapist.partner_id.id)])
        hers |= Attendee.create(
            [
                {"event_id": event.id, "partner_id": self.user_therapist.partner_id.id}
                for event in events - hers.event_id
            ]
        )
        hers.write({"state": "accepted"})
        self.monday.action_generate_slots(day, day)
        self.assertFalse(self.env["psys.slot"].search([("partnership_id", "=", self.monday.id)]))
        events[1].unlink()
        self.monday.action_generate_slots(day, day)
        self.assertEqual(self.env["psys.slot"].search([("partnership_id", "=", self.monday.id)]), free)

    def test_a_later_commitment_takes_and_frees_the_slot(self):
        monday = date.today() + timedelta(days=7 - date.today().weekday() + 7)  # a Monday in 2 weeks
        slots = self.monday.action_generate_slots(monday, monday)
        self.assertEqual(len(slots), 3)
        first = min(slots, key=lambda slot: slot.start)
        free = self.env["psys.slot"].search([("partnership_id", "=", self.monday.id), ("is_booked", "=", False)])
        self.assertIn(first, free)
        # The practitioner accepts a meeting over the first slot, after the slots were generated.
        meeting = self.env["calendar.event"].create(
            {
                "name": "Réunion de synthèse",
                "start": first.start,
                "stop": first.stop,
                "partner_ids": [(6, 0, self.user_therapist.partner_id.ids)],
                "user_id": self.user_therapist.id,
            }
        )
        self.assertFalse(first.active, "the slot is no longer offered")
        self.assertFalse(self.env["psys.slot"].search([("id", "=", first.id)]))
        # The meeting moves away: the slot is offered again.
        meeting.write({"start": first.start + timedelta(days=1), "stop": first.stop + timedelta(days=1)})
        self.assertTrue(first.active)
        meeting.write({"start": first.start, "stop": first.stop})
        self.assertFalse(first.active)
        meeting.unlink()
        self.assertTrue(first.active)
        # A booked slot is never taken away by the calendar.
        booking = self.env["psys.booking"].create({"slot_id": first.id, "beneficiary_id": self._beneficiary().id})
        self.env["calendar.event"].create(
            {
                "name": "Autre engagement",
                "start": first.start,
                "stop": first.stop,
                "partner_ids": [(6, 0, self.user_therapist.partner_id.ids)],
                "user_id": self.user_therapist.id,
            }
        )
        self.assertTrue(booking.slot_id.active)

    def test_leaves_remove_slots(self):
        resource = self.env["resource.resource"].create({"name": "Thérapeute", "user_id": self.user_therapist.id})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Congés",
                "resource_id": resource.id,
                "date_from": datetime(2026, 4, 13, 0),
                "date_to": datetime(2026, 4, 19, 23),
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Fermeture de l'association",
                "company_id": self.env.company.id,
                "date_from": datetime(2026, 4, 27, 0),
                "date_to": datetime(2026, 4, 27, 23),
            }
        )
        slots = self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 5, 4))
        self.assertEqual(
            sorted({start.date() for start in slots.mapped("start")}),
            [date(2026, 4, 20), date(2026, 5, 4)],
            "The practitioner's week off and the association's closing day have no slot",
        )

    def test_a_leave_takes_its_hours_only(self):
        """A practitioner's leave of one hour (10:00–11:00, Paris) takes the
        slot of that hour only: her resource has no working hours, and Odoo
        would stretch the leave to the whole day."""
        resource = self.env["resource.resource"].create({"name": "Thérapeute", "user_id": self.user_therapist.id})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Rendez-vous médical",
                "resource_id": resource.id,
                "date_from": datetime(2026, 4, 13, 8),
                "date_to": datetime(2026, 4, 13, 9),
            }
        )
        self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 4, 13))
        slots = self.env["psys.slot"].search([("partnership_id", "=", self.monday.id)])
        self.assertEqual(self._starts(slots), [datetime(2026, 4, 13, 7), datetime(2026, 4, 13, 9)])

    def test_a_closed_place_has_no_slot(self):
        """A closing day of the place (a leave on its calendar) closes the
        partnership's room there; another place's does not."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Travaux",
                "calendar_id": self.monday.location_id.resource_calendar_id.id,
                "date_from": datetime(2026, 4, 19, 22),
                "date_to": datetime(2026, 4, 20, 21, 59, 59),
            }
        )
        elsewhere = self.env["psys.location"].create({"name": "Ailleurs"})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Ailleurs",
                "calendar_id": elsewhere.resource_calendar_id.id,
                "date_from": datetime(2026, 4, 26, 22),
                "date_to": datetime(2026, 4, 27, 21, 59, 59),
            }
        )
        self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 4, 27))
        slots = self.env["psys.slot"].search([("partnership_id", "=", self.monday.id)])
        self.assertEqual(
            sorted({start.date() for start in slots.mapped("start")}), [date(2026, 4, 13), date(2026, 4, 27)]
        )

    def test_a_deleted_place_keeps_the_other_places_slots(self):
        """Issue 26: the closing day of a place that goes is not left behind
        as a closure of every place (the other places keep their slots)."""
        elsewhere = self.env["psys.location"].create({"name": "Antenne provisoire"})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Travaux",
                "calendar_id": elsewhere.resource_calendar_id.id,
                "date_from": datetime(2026, 4, 19, 22),
                "date_to": datetime(2026, 4, 20, 21, 59, 59),
            }
        )
        self.monday.action_generate_slots(date(2026, 4, 20), date(2026, 4, 20))
        slots = self.env["psys.slot"].search(
            [("partnership_id", "=", self.monday.id), ("start", ">=", datetime(2026, 4, 20))]
        )
        self.assertEqual(len(slots), 3, "the other place's closing day closes nothing here")
        elsewhere.with_user(self.user_coordinator).unlink()
        self.assertEqual(slots.mapped("active"), [True] * 3)
        counts = {}
        self.monday.action_generate_slots(date(2026, 4, 20), date(2026, 4, 20), counts=counts)
        self.assertEqual(self.monday._slot_generation_summary(counts), "0 slots created, 3 already there.")

    def test_a_new_holiday_over_booked_appointments(self):
        """Alsace-Moselle turned on over an appointment booked on Good Friday:
        the setting is refused with the appointment to move (as any day off
        is); the yearly job leaves that day out, says so in the log, and
        writes the others."""
        good_friday = datetime(2027, 3, 26, 8)  # 9:00 in Paris
        slot = self._slot(self.partnership, good_friday)
        self.env["psys.booking"].with_user(self.user_portal)._psys_portal_book(
            self.user_portal, slot.id, self._book_values()
        )
        company = self.env.company
        with self.assertRaisesRegex(ValidationError, "falls on a booked appointment"), self.env.cr.savepoint():
            company.psys_alsace_moselle = True
        self.assertFalse(company.psys_alsace_moselle)
        self.env.cr.execute("UPDATE res_company SET psys_alsace_moselle = true WHERE id = %s", [company.id])
        company.invalidate_recordset(["psys_alsace_moselle"])
        with self.assertLogs("odoo.addons.psys_base.models.res_company", "WARNING") as logged:
            self.env["res.company"]._cron_psys_public_holidays()
        self.assertIn("2027-03-26", logged.output[0])
        days = self.env["resource.calendar.leaves"]._psys_holiday_dates(company, date(2026, 1, 1), date(2027, 12, 31))
        self.assertNotIn(date(2027, 3, 26), days[company.id])
        self.assertIn(date(2027, 12, 26), days[company.id])
        self.assertIn(date(2026, 4, 3), days[company.id], "Good Friday 2026, a past day without appointment")

    def test_home_visit_hours(self):
        with self.assertRaisesRegex(ValidationError, "home visits"), self.env.cr.savepoint():
            self.monday.attendance_ids = [
                (0, 0, {"dayofweek": "2", "hour_from": 14, "hour_to": 16, "psys_home_visit": True})
            ]
        self.monday.allow_home_visits = True
        self.monday.attendance_ids = [
            (0, 0, {"dayofweek": "2", "hour_from": 14, "hour_to": 16, "psys_home_visit": True})
        ]
        slots = self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 4, 15))
        self.assertEqual(len(slots), 5)
        self.assertEqual(len(slots.filtered("home_visit")), 2)
        self.assertTrue(all(slot.start.weekday() == 2 for slot in slots.filtered("home_visit")))

    def test_generation_is_idempotent_and_respects_validity(self):
        self.monday.date_end = date(2026, 4, 20)
        first = self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 5, 4))
        self.assertEqual(len(first), 6, "Only the two Mondays of the validity period")
        again = self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 5, 4))
        self.assertFalse(again)

    def test_bad_schedule(self):
        with self.assertRaises(ValidationError):
            self.monday.attendance_ids[0].hour_to = 8.0
        with self.assertRaises(ValidationError):
            self.monday.slot_duration = 0
        with self.assertRaises(ValidationError):
            self.monday.date_end = date(2025, 1, 1)

    def test_booking_staff_must_work_for_the_structure(self):
        with self.assertRaises(ValidationError):
            self.partnership.booking_user_ids = [(4, self.user_portal_b.id)]

    def test_generation_says_what_it_did(self):
        """Issue 27, point 13: how many slots were made, skipped for a public
        holiday or a closing day, and already there."""
        self.monday.action_generate_slots(date(2026, 4, 13), date(2026, 4, 13))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Fermeture de l'association",
                "company_id": self.env.company.id,
                "date_from": datetime(2026, 4, 20, 0),
                "date_to": datetime(2026, 4, 20, 23),
            }
        )
        counts = {}
        # Mondays: Easter Monday (6 April), the 13th (already there), the
        # 20th (closed), the 27th (made); three slots each.
        slots = self.monday.action_generate_slots(date(2026, 4, 6), date(2026, 4, 27), counts=counts)
        self.assertEqual(len(slots), 3)
        self.assertEqual(
            self.monday._slot_generation_summary(counts),
            "3 slots created, 3 skipped for public holidays, 3 skipped for closing days or time off, 3 already there.",
        )
        self.assertEqual(
            self.monday.with_context(lang="fr_FR")._slot_generation_summary(counts),
            "3 créneaux créés, 3 ignorés (jours fériés), 3 ignorés (fermetures ou congés), 3 déjà existants.",
        )
        # The button: the next eight weeks (from Wednesday 4 November 2026), said in a notification.
        notification = self.monday.with_user(self.user_therapist).action_generate_next_slots()
        self.assertEqual(notification["tag"], "display_notification")
        self.assertEqual(notification["params"]["message"], "24 slots created.")
        again = self.monday.with_user(self.user_therapist).action_generate_next_slots()
        self.assertEqual(again["params"]["message"], "0 slots created, 24 already there.")
