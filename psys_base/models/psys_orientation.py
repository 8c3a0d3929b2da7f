from odoo import api, fields, models
from odoo.tools.sql import create_index

from ..tools.policy import Policy


class PsysOrientation(models.Model):
    _name = "psys.orientation"
    _inherit = ["psys.secured"]
    _description = "Orientation to another structure"
    _psys_policy = Policy()
    _order = "date desc, id desc"

    encounter_id = fields.Many2one("psys.encounter", index=True, ondelete="cascade")
    beneficiary_id = fields.Many2one(
        "psys.beneficiary",
        compute="_compute_beneficiary_id",
        store=True,
        readonly=False,
        index=True,
        ondelete="restrict",
    )
    target_id = fields.Many2one("psys.orientation.target", string="Oriented to", required=True, ondelete="restrict")
    date = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    def init(self):
        result = super().init()
        # An association's period (the bilan's orientations): with the company
        # index alone, its whole history is read, and the planner, expecting
        # that many rows, then hashed every encounter to join them (issue 24).
        create_index(self.env.cr, "psys_orientation_company_date_index", self._table, ["company_id", "date"])
        return result

    @api.depends("encounter_id")
    def _compute_beneficiary_id(self):
        for orientation in self:
            if orientation.encounter_id.beneficiary_id:
                orientation.beneficiary_id = orientation.encounter_id.beneficiary_id
