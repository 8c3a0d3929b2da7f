from odoo.tests import HttpCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestSurveyLink(PsysClock, HttpCase):
    def test_public_link_of_a_workshop_counts_for_it(self):
        survey = self.env.ref("psys_ateliers.survey_workshop_evaluation")
        events = self.env["event.event"].create(
            [
                {
                    "name": f"Atelier {index}",
                    "date_begin": "2026-11-04 14:00:00",
                    "date_end": "2026-11-04 16:00:00",
                    "psys_survey_id": survey.id,
                }
                for index in range(2)
            ]
        )
        self.assertNotEqual(events[0].psys_survey_token, events[1].psys_survey_token, "a token per workshop")
        url = events[1].psys_survey_url
        self.assertIn(f"workshop={events[1].psys_survey_token}", url)
        self.url_open(url[len(survey.get_base_url()) :])
        answer = self.env["survey.user_input"].search([("survey_id", "=", survey.id)], order="id desc", limit=1)
        self.assertEqual(answer.psys_event_id, events[1])
        # A made-up token counts for no workshop.
        self.url_open(f"{survey.get_start_url()}?workshop=inconnu")
        answer = self.env["survey.user_input"].search([("survey_id", "=", survey.id)], order="id desc", limit=1)
        self.assertFalse(answer.psys_event_id)
