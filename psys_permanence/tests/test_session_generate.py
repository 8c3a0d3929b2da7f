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
        notification = wizard.action_generate()
        action = notification["params"]["next"]
        sessions = self.env["psys.session"].search(action["domain"])
        self.assertGreaterEqual(len(sessions), 40, "the Fridays of the school year")
        self.assertEqual({day.weekday() for day in sessions.mapped("date")}, {4})
        self.assertEqual(max(sessions.mapped("date")), date(2028, 6, 30))
        self.assertTrue(notification["params"]["message"].startswith(f"{len(sessions)} sessions generated"))
        again = self._wizard(self.user_coordinator, date(2027, 9, 1), date(2028, 7, 5)).action_generate()
        self.assertEqual(again["params"]["message"], f"0 sessions generated, {len(sessions)} already there.")
        self.assertEqual(self.env["psys.session"].search(action["domain"]), sessions, "idempotent")

    def test_generation_says_what_it_did(self):
        """Issue 27, point 13: how many sessions were made, skipped for a
        public holiday or a closing day, and already there."""
        self._sessions(self.permanence, date(2026, 12, 4), date(2026, 12, 4))
        self._close("Travaux", date(2026, 12, 18), date(2026, 12, 18), self.location)
        # Fridays of December 2026: the 4th (already there), the 11th (made),
        # the 18th (closed), the 25th (Christmas).
        wizard = self._wizard(self.user_coordinator, date(2026, 12, 1), date(2026, 12, 31))
        notification = wizard.action_generate()
        self.assertEqual(notification["tag"], "display_notification")
        self.assertEqual(
            notification["params"]["message"],
            "1 session generated, 1 skipped for a public holiday, 1 skipped for a closing day, 1 already there.",
        )
        self.assertEqual(
            self.env["psys.session"].search(notification["params"]["next"]["domain"]).mapped("date"),
            [date(2026, 12, 4), date(2026, 12, 11)],
        )
        french = self._wizard(self.user_coordinator, date(2026, 12, 1), date(2027, 1, 31)).with_context(lang="fr_FR")
        self.assertEqual(
            french.action_generate()["params"]["message"],
            "4 séances générées, 2 ignorées (jours fériés), 1 ignorée (fermeture), 2 déjà existantes.",
        )
        # The permanence's own button says it too.
        message = self.permanence.with_user(self.user_coordinator).action_generate_sessions()["params"]["message"]
        self.assertIn("already there", message)

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
