from odoo import fields, models


class PsysSituationTag(models.Model):
    _name = "psys.situation.tag"
    _description = "Situation of a beneficiary"
    _order = "name"

    name = fields.Char(required=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique(name)", "This situation already exists.")]
