from datetime import date

from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestWords(PermanenceCase):
    def test_shift_events_named_in_the_users_language(self):
        """Demo shift events read "Interviews (entretien)" (loaded without a
        language) while later ones read "Entretiens"."""
        self.env.user.lang = "fr_FR"
        session = self._sessions(self.permanence, date(2026, 11, 13), date(2026, 11, 13))
        interview = session.shift_ids.filtered(lambda shift: shift.role == "interview")
        interview.with_context(lang=None).user_id = self.user_therapist
        self.assertIn("Entretiens", interview.calendar_event_id.name)
        self.assertNotIn("Interviews", interview.calendar_event_id.name)

    def test_session_name_in_the_users_language(self):
        session = self._sessions(self.permanence, date(2026, 12, 4), date(2026, 12, 4))
        self.assertIn("04/12/2026", session.with_context(lang="fr_FR").display_name)
        self.assertNotIn("2026-12-04", session.with_context(lang="fr_FR").display_name)
