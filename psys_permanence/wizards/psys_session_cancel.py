from odoo import fields, models


class PsysSessionCancel(models.TransientModel):
    _name = "psys.session.cancel"
    _description = "Cancel permanence sessions"

    session_ids = fields.Many2many("psys.session", string="Sessions", required=True)
    reason = fields.Char(required=True, help="Sent to the volunteers of the sessions.")

    def action_confirm(self):
        self.ensure_one()
        self.session_ids._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
