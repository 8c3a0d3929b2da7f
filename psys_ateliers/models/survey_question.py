from odoo import fields, models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    psys_alliance = fields.Boolean(
        string="Alliance question",
        help="A scale question whose answers make the alliance indicator of the workshops.",
    )
