from odoo import fields, models

from odoo.addons.psys_base.tools.groups import COORDINATOR
from odoo.addons.psys_base.tools.policy import FORM, Policy


class PsysSessionCancel(models.TransientModel):
    _name = "psys.session.cancel"
    _inherit = ["psys.secured"]
    _description = "Cancel permanence sessions"
    _psys_policy = Policy(company=None, shared=FORM)

    session_ids = fields.Many2many("psys.session", string="Sessions", required=True)
    reason = fields.Char(required=True, help="Sent to the volunteers of the sessions.")

    def action_confirm(self):
        self.ensure_one()
        self._psys_check_action("write", COORDINATOR)
        self.session_ids._psys_check_action("write")
        self.session_ids._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
