from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.groups import COORDINATOR
from odoo.addons.psys_base.tools.policy import FORM, Policy


class PsysStatementWizard(models.TransientModel):
    _name = "psys.statement.wizard"
    _inherit = ["psys.secured"]
    _description = "Generate the monthly statements"
    _psys_policy = Policy(company=None, shared=FORM)

    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=1),
        help="Any day of the month to state: its sessions (and the earlier ones not stated yet).",
    )

    @api.constrains("date_from")
    def _check_date_from(self):
        for wizard in self:
            if wizard.date_from.replace(day=1) + relativedelta(months=1) > fields.Date.context_today(wizard):
                raise ValidationError(_("A month is stated once it is over: choose an earlier month."))

    def action_generate(self):
        self.ensure_one()
        self._psys_check_action("write", COORDINATOR)
        self.env["psys.statement"].check_access("read")
        date_from = self.date_from.replace(day=1)
        self.env["psys.statement"]._psys_generate(date_from, self.env.company)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_referral_account.psys_statement_action")
        action["domain"] = [("date_from", "=", date_from), ("company_id", "=", self.env.company.id)]
        return action
