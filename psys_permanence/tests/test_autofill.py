from collections import Counter
from datetime import date

from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestAutofill(PermanenceCase):
    def _assert_no_double_booking(self, shifts):
        held = shifts.filtered("user_id")
        for shift in held:
            for other in held - shift:
                if other.user_id == shift.user_id:
                    self.assertFalse(
                        other.start < shift.stop and shift.start < other.stop,
                        f"{shift.user_id.name} is in two overlapping sessions",
                    )

    def test_never_double_books_across_antennas(self):
        # Both antennas open on Fridays (11-17 and 14-18): they overlap.
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31))
        sessions |= self._sessions(self.permanence_2, date(2027, 3, 1), date(2027, 3, 31))
        filled, unfilled = self.env["psys.rota.autofill"]._autofill(
            date(2027, 3, 1), date(2027, 3, 31), permanences=self.permanence | self.permanence_2
        )
        self._assert_no_double_booking(sessions.shift_ids)
        # Three volunteers, one of them reception-only, for four slots a Friday:
        # the two therapists hold the two interview slots, something is left.
        self.assertTrue(unfilled)
        self.assertEqual(len(filled) + len(unfilled), 16)
        for shift in filled:
            if shift.role == "interview":
                self.assertIn(shift.user_id, self.user_therapist | self.user_therapist_2)

    def test_fair_on_a_balanced_case(self):
        volunteers = self.user_therapist | self.user_therapist_2
        for index in range(3):
            user = self._volunteer(f"fair_therapist_{index}")
            self._availability(user)
            volunteers |= user
        monday = self._permanence("Lundi", self.location, mon=True, tue=True, hour_from=9, hour_to=12)
        sessions = self._sessions(monday, date(2027, 1, 4), date(2027, 2, 26))
        filled, unfilled = self.env["psys.rota.autofill"]._autofill(
            date(2027, 1, 4), date(2027, 2, 26), permanences=monday
        )
        self.assertFalse(unfilled)
        self.assertEqual(filled, sessions.shift_ids)
        self._assert_no_double_booking(sessions.shift_ids)
        loads = Counter(sessions.shift_ids.filtered(lambda shift: shift.user_id in volunteers).mapped("user_id"))
        self.assertEqual(set(loads), set(volunteers))
        self.assertLessEqual(max(loads.values()) - min(loads.values()), 1, loads)
        # Reception also goes to the reception volunteer, fairly.
        all_loads = Counter(sessions.shift_ids.mapped("user_id"))
        self.assertLessEqual(max(all_loads.values()) - min(all_loads.values()), 1, all_loads)

    def test_respects_availability(self):
        volunteer = self._volunteer("picky_therapist")
        availability = self._availability(
            volunteer,
            mon=False,
            tue=False,
            wed=False,
            thu=False,
            sat=False,
            sun=False,
            location_ids=[(6, 0, self.location_2.ids)],
            max_shifts_month=2,
            unavailability_ids=[(0, 0, {"date_from": date(2027, 3, 5), "date_to": date(2027, 3, 5)})],
        )
        self.env["psys.volunteer.availability"].search([("id", "!=", availability.id)]).unlink()
        tuesday = self._permanence("Mardi", self.location_2, tue=True, hour_from=9, hour_to=12)
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31))
        sessions |= self._sessions(self.permanence_2, date(2027, 3, 1), date(2027, 3, 31))
        sessions |= self._sessions(tuesday, date(2027, 3, 1), date(2027, 3, 31))
        filled, unfilled = self.env["psys.rota.autofill"]._autofill(
            date(2027, 3, 1), date(2027, 3, 31), permanences=self.permanence | self.permanence_2 | tuesday
        )
        self.assertEqual(len(filled), 2, "the monthly maximum is respected")
        for shift in filled:
            self.assertEqual(shift.user_id, volunteer)
            self.assertEqual(shift.location_id, self.location_2)
            self.assertEqual(shift.date.weekday(), 4)
            self.assertNotEqual(shift.date, date(2027, 3, 5))
        self.assertEqual(len(unfilled), len(sessions.shift_ids) - 2)

    def test_role_preference_and_qualification(self):
        self.env["psys.volunteer.availability"].search(
            [("user_id", "=", self.user_therapist_2.id)]
        ).role_preference = "reception"
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31))
        self.env["psys.rota.autofill"]._autofill(date(2027, 3, 1), date(2027, 3, 31), permanences=self.permanence)
        for shift in sessions.shift_ids:
            if shift.role == "interview":
                self.assertEqual(shift.user_id, self.user_therapist, "reception volunteers never interview")
            else:
                self.assertIn(shift.user_id, self.user_reception | self.user_therapist_2)

    def test_wizard_reports_unfilled(self):
        self.env["psys.volunteer.availability"].search([]).unlink()
        self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 8))
        wizard = (
            self.env["psys.rota.autofill"]
            .with_user(self.user_coordinator)
            .create({"date_from": date(2027, 3, 1), "date_to": date(2027, 3, 8), "permanence_ids": self.permanence.ids})
        )
        wizard.action_fill()
        self.assertEqual((wizard.filled_count, wizard.unfilled_count), (0, 2))
        self.assertIn("nobody available", wizard.report)
        self.assertIn("Permanence du vendredi", wizard.report)

    def test_existing_shifts_count(self):
        """A volunteer already in a session elsewhere is not put in an overlapping one."""
        sessions = self._sessions(self.permanence, date(2027, 3, 5), date(2027, 3, 5))
        other = self._sessions(self.permanence_2, date(2027, 3, 5), date(2027, 3, 5))
        other.shift_ids.filtered(lambda shift: shift.role == "interview").user_id = self.user_therapist
        self.env["psys.rota.autofill"]._autofill(
            date(2027, 3, 5), date(2027, 3, 5), permanences=self.permanence | self.permanence_2
        )
        interview = sessions.shift_ids.filtered(lambda shift: shift.role == "interview")
        self.assertEqual(interview.user_id, self.user_therapist_2)
        self._assert_no_double_booking((sessions | other).shift_ids)

    def test_scoped_to_one_permanence(self):
        """A coordinator fills one permanence: the other antenna's shifts stay open."""
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31))
        others = self._sessions(self.permanence_2, date(2027, 3, 1), date(2027, 3, 31))
        wizard = (
            self.env["psys.rota.autofill"]
            .with_user(self.user_coordinator)
            .create(
                {"date_from": date(2027, 3, 1), "date_to": date(2027, 3, 31), "permanence_ids": self.permanence.ids}
            )
        )
        wizard.action_fill()
        self.assertTrue(sessions.shift_ids.filtered("user_id"))
        self.assertEqual(wizard.filled_count + wizard.unfilled_count, len(sessions.shift_ids))
        self.assertFalse(others.shift_ids.filtered("user_id"), "the other permanence is not touched")
