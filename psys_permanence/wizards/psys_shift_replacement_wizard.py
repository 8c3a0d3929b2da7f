from odoo import _, fields, models

from odoo.addons.psys_base.tools.groups import RECEPTION
from odoo.addons.psys_base.tools.policy import FORM, Policy


class PsysShiftReplacement(models.TransientModel):
    """Ask for a replacement: the reason goes to the volunteers who could take the shift."""

    _name = "psys.shift.replacement.wizard"
    _inherit = ["psys.secured"]
    _description = "Ask for a replacement"
    _psys_policy = Policy(company=None, shared=FORM)

    shift_ids = fields.Many2many("psys.shift", string="Shifts", required=True)
    reason = fields.Char(required=True, help="Sent to the volunteers who could take the shift.")

    def action_confirm(self):
        self.ensure_one()
        # The caller's own form, on shifts they may write (own or, for a coordinator, any).
        self._psys_check_action("write", RECEPTION)
        self.shift_ids._psys_check_action("write", RECEPTION)
        self.shift_ids._request_replacement(self.reason)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Replacement asked: the volunteers who can take the shift are told."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
