from odoo import fields, models

from odoo.addons.psys_base.models.psys_encounter_audience import AUDIENCES
from odoo.addons.psys_base.tools.policy import Policy

# The three audiences of the Brive cycles, in their usual order.
DEFAULT_ORDER = ["residents", "volunteers", "professionals"]


class PsysWorkshopCycleAudience(models.Model):
    _name = "psys.workshop.cycle.audience"
    _inherit = ["psys.secured"]
    _description = "Audience in the alternation order of a workshop cycle"
    _psys_policy = Policy()
    _order = "sequence, id"

    cycle_id = fields.Many2one("psys.workshop.cycle", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    audience = fields.Selection(AUDIENCES, required=True)
    company_id = fields.Many2one(related="cycle_id.company_id", store=True, index=True)
