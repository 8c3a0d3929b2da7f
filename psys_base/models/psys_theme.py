from odoo import fields, models

from ..tools.policy import REFERENCE, Policy


class PsysTheme(models.Model):
    _name = "psys.theme"
    _inherit = ["psys.secured"]
    _description = "Theme raised in an encounter"
    _psys_policy = Policy(company=None, shared=REFERENCE)
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique(name)", "This theme already exists.")]
