from odoo import models
from odoo.http import request


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    def _create_answer(self, user=False, partner=False, email=False, test_entry=False, check_attempts=True, **vals):
        """An answer started from a workshop's public link (``?workshop=<token>``,
        e.g. a QR code on the wall) counts for that workshop."""
        token = request and not vals.get("psys_event_id") and request.params.get("workshop")
        if token and len(self) == 1:
            # sudo: the public visitor only proves the workshop's token; the
            # link gives the answer its workshop, nothing of it is shown.
            event = (
                self.env["event.event"]
                .sudo()
                .search([("psys_survey_token", "=", str(token)), ("psys_survey_id", "=", self.id)], limit=1)
            )
            if event:
                vals["psys_event_id"] = event.id
        return super()._create_answer(
            user=user, partner=partner, email=email, test_entry=test_entry, check_attempts=check_attempts, **vals
        )
