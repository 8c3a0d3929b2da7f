from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestSessionGenerate(PermanenceCase):
    def _wizard(self, user, date_from, date_to, permanences=None):
        permanences = permanences or self.permanence
        return (
            self.env["psys.session.generate"]
            .with_user(user)
            .with_context(active_model="psys.permanence", active_ids=permanences.ids)
            .create({"date_from": date_from, "date_to": date_to})
        )

    def test_coordinator_plans_the_school_year(self):
        """Beyond the 90-day horizon, without the settings, twice harmlessly."""
        wizard = self._wizard(self.user_coordinator, date(2027, 9, 1), date(2028, 7, 5))
        self.assertEqual(wizard.permanence_ids, self.permanence, "the permanence it was opened from")
        action = wizard.action_generate()
        sessions = self.env["psys.session"].search(action["domain"])
        self.assertGreaterEqual(len(sessions), 40, "the Fridays of the school year")
        self.assertEqual({day.weekday() for day in sessions.mapped("date")}, {4})
        self.assertEqual(max(sessions.mapped("date")), date(2028, 6, 30))
        self.assertTrue(action["name"].startswith(str(len(sessions))))
        again = self._wizard(self.user_coordinator, date(2027, 9, 1), date(2028, 7, 5)).action_generate()
        self.assertTrue(again["name"].startswith("0 "))
        self.assertEqual(self.env["psys.session"].search(action["domain"]), sessions, "idempotent")

    def test_form_defaults(self):
        form = Form(self.env["psys.session.generate"].with_user(self.user_coordinator))
        self.assertEqual(form.date_from, date(2026, 11, 4))
        self.assertEqual(form.date_to, date(2027, 2, 2))

    def test_period_checked(self):
        with self.assertRaisesRegex(ValidationError, "ends before"):
            self._wizard(self.user_coordinator, date(2027, 9, 1), date(2027, 8, 1))
        with self.assertRaisesRegex(ValidationError, "two years"):
            self._wizard(self.user_coordinator, date(2027, 1, 1), date(2030, 1, 1))

    def test_reception_cannot_generate(self):
        with self.assertRaises(AccessError):
            self._wizard(self.user_reception, date(2027, 9, 1), date(2027, 9, 30))
        wizard = self._wizard(self.user_coordinator, date(2027, 9, 1), date(2027, 9, 30))
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_reception).action_generate()
        self.assertFalse(
            self.env["psys.session"].search_count(
                [("permanence_id", "=", self.permanence.id), ("date", ">=", date(2027, 9, 1))]
            )
        )

    def test_cron_keeps_the_horizon(self):
        self.env["psys.permanence"]._cron_generate_sessions()
        last = max(self.permanence.session_ids.mapped("date"))
        self.assertLessEqual(last, date(2027, 2, 2), "the daily job stops at 90 days")
