from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy


class PsysWorkshopBudgetLine(models.Model):
    _name = "psys.workshop.budget.line"
    _inherit = ["psys.secured"]
    _description = "Funding line of a workshop cycle"
    _psys_policy = Policy()
    _order = "cycle_id, sequence, id"

    cycle_id = fields.Many2one("psys.workshop.cycle", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    funder_id = fields.Many2one(
        "res.partner",
        required=True,
        domain=[("psys_structure_type", "=", "funder")],
    )
    name = fields.Char(string="Purpose")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    spending_ids = fields.One2many("psys.workshop.spending", "budget_line_id")
    spent_amount = fields.Monetary(compute="_compute_spent_amount", currency_field="currency_id")
    remaining_amount = fields.Monetary(compute="_compute_spent_amount", currency_field="currency_id")
    currency_id = fields.Many2one(related="cycle_id.currency_id")
    company_id = fields.Many2one(related="cycle_id.company_id", store=True, index=True)

    @api.depends("amount", "spending_ids.amount")
    def _compute_spent_amount(self):
        for line in self:
            line.spent_amount = sum(line.spending_ids.mapped("amount"))
            line.remaining_amount = line.amount - line.spent_amount

    @api.depends("funder_id", "amount")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.funder_id.name or ""

    @api.constrains("amount")
    def _check_amount(self):
        if any(line.amount <= 0 for line in self):
            raise ValidationError(_("A budget line needs a positive amount."))
