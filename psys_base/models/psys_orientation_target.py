from odoo import fields, models

from ..tools.policy import Policy


class PsysOrientationTarget(models.Model):
    _name = "psys.orientation.target"
    _inherit = ["psys.secured"]
    _description = "Where people are oriented"
    _psys_policy = Policy(company_optional=True)
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [
            ("cmp", "CMP / CMPP (public mental health)"),
            ("psychologist", "Psychologist"),
            ("psychiatrist", "Psychiatrist"),
            ("doctor", "General practitioner"),
            ("emergency", "Emergency services"),
            ("peer", "Peer support (GEM)"),
            ("association", "Association"),
            ("social", "Social services"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    partner_id = fields.Many2one("res.partner", string="Structure", help="The structure, when it is a known one.")
    company_id = fields.Many2one("res.company", help="Empty: shared by every association of the database.")
    active = fields.Boolean(default=True)
