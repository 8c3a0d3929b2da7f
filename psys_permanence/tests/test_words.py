from datetime import date

from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestWords(PermanenceCase):
    def test_shift_events_named_in_the_users_language(self):
        """Demo session events read "Interviews (entretien)" (loaded without a
        language) while later ones read "Entretiens": the association's
        language, whoever changed the rota."""
        self.permanence.company_id.partner_id.lang = "fr_FR"
        session = self._sessions(self.permanence, date(2026, 11, 13), date(2026, 11, 13))
        interview = session.shift_ids.filtered(lambda shift: shift.role == "interview")
        interview.with_context(lang=None).user_id = self.user_therapist
        self._before_commit()
        self.assertIn("Entretiens", interview.calendar_event_id.description)
        self.assertNotIn("Interviews", interview.calendar_event_id.description)

    def test_session_name_in_the_users_language(self):
        session = self._sessions(self.permanence, date(2026, 12, 4), date(2026, 12, 4))
        self.assertIn("04/12/2026", session.with_context(lang="fr_FR").display_name)
        self.assertNotIn("2026-12-04", session.with_context(lang="fr_FR").display_name)

    def test_weeks_read_in_words(self):
        """Issue 27, point 16: sessions grouped by week read « Semaine 50, du
        7 déc. au 13 déc. 2026 », not « W50 2026 »."""
        sessions = self._sessions(self.permanence, date(2026, 12, 7), date(2026, 12, 20))
        for model, domain in (
            ("psys.session", [("id", "in", sessions.ids)]),
            ("psys.shift", [("session_id", "in", sessions.ids)]),
        ):
            groups = self.env[model].with_context(lang="fr_FR").read_group(domain, ["date"], ["date:week"])
            with self.subTest(model=model):
                self.assertEqual(
                    [group["date:week"] for group in groups],
                    ["Semaine 50, du 7 déc. au 13 déc. 2026", "Semaine 51, du 14 déc. au 20 déc. 2026"],
                )
        english = self.env["psys.session"].read_group([("id", "in", sessions.ids)], ["date"], ["date:week"])
        self.assertRegex(english[0]["date:week"], r"^Week \d+, 6 Dec to 12 Dec 2026$", "weeks from Sunday in English")
