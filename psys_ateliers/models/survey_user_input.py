from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    psys_event_id = fields.Many2one("event.event", string="Workshop", index=True, ondelete="set null")
