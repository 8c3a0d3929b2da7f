from odoo import api, fields, models

from ..tools.policy import Policy


class PsysTerritory(models.Model):
    _name = "psys.territory"
    _inherit = ["psys.secured"]
    _description = "Territory"
    _psys_policy = Policy(company_optional=True)
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    kind = fields.Selection(
        [
            ("region", "Region"),
            ("department", "Department"),
            ("town", "Town"),
            ("district", "District"),
            ("neighbourhood", "Neighbourhood"),
        ],
        required=True,
        default="neighbourhood",
    )
    code = fields.Char(help="INSEE code of a town, or code of a priority neighbourhood (QPV).")
    parent_id = fields.Many2one("psys.territory", string="Part of", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("psys.territory", "parent_id", string="Sub-territories")
    is_qpv = fields.Boolean(string="Priority neighbourhood (QPV)")
    is_rural = fields.Boolean(string="Rural area")
    company_id = fields.Many2one("res.company", help="Empty: shared by every association of the database.")
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for territory in self:
            if territory.parent_id:
                territory.complete_name = f"{territory.parent_id.complete_name} / {territory.name}"
            else:
                territory.complete_name = territory.name
