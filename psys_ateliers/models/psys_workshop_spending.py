from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy


class PsysWorkshopSpending(models.Model):
    _name = "psys.workshop.spending"
    _inherit = ["psys.secured"]
    _description = "Spending recorded against a funding line"
    _psys_policy = Policy()
    _order = "date desc, id desc"

    cycle_id = fields.Many2one("psys.workshop.cycle", required=True, ondelete="cascade", index=True)
    budget_line_id = fields.Many2one(
        "psys.workshop.budget.line",
        string="Funding line",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('cycle_id', '=', cycle_id)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    name = fields.Char(string="Description", required=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="cycle_id.currency_id")
    company_id = fields.Many2one(related="cycle_id.company_id", store=True, index=True)

    @api.constrains("amount")
    def _check_amount(self):
        if any(spending.amount <= 0 for spending in self):
            raise ValidationError(_("A spending needs a positive amount."))

    @api.constrains("cycle_id", "budget_line_id")
    def _check_budget_line(self):
        for spending in self:
            if spending.budget_line_id.cycle_id != spending.cycle_id:
                raise ValidationError(_("A spending is recorded against a funding line of its own cycle."))
