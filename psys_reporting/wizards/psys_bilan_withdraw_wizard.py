from odoo import fields, models

from odoo.addons.psys_base.tools.policy import FORM, Policy

from ..models.psys_bilan_mixin import COORDINATOR


class PsysBilanWithdrawWizard(models.TransientModel):
    _name = "psys.bilan.withdraw.wizard"
    _inherit = ["psys.secured"]
    _description = "Withdraw a bilan"
    _psys_policy = Policy(company=None, shared=FORM)

    bilan_id = fields.Many2one("psys.bilan", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_withdraw(self):
        self.ensure_one()
        # The caller's own form, as a coordinator; the bilan checks the rest.
        self._psys_check_action("write", COORDINATOR)
        self.bilan_id._bilan_withdraw(self.reason)
        return {"type": "ir.actions.act_window_close"}
