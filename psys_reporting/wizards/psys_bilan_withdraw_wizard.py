from odoo import fields, models


class PsysBilanWithdrawWizard(models.TransientModel):
    _name = "psys.bilan.withdraw.wizard"
    _description = "Withdraw a bilan"

    bilan_id = fields.Many2one("psys.bilan", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_withdraw(self):
        self.ensure_one()
        self.bilan_id._bilan_withdraw(self.reason)
        return {"type": "ir.actions.act_window_close"}
