from odoo import models

from odoo.addons.psys_base.models.psys_secured import secured_write
from odoo.addons.psys_base.tools.policy import CORE, Policy

from .psys_invitation import redact_links


class SmsSms(models.Model):
    """The SMS queue (reminders, confirmations, invitations): an SMS is sent
    to the person it was written for, never redirected by a user's write."""

    _name = "sms.sms"
    _inherit = ["sms.sms", "psys.action.guard"]
    _psys_policy = Policy(company=None, shared=CORE, ownership=("partner_id", "mail_message_id"))

    def write(self, vals):
        return secured_write(self, vals, super().write)

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Once an SMS was sent or failed, it keeps no clear invitation link
        (a failed one stays in the queue)."""
        result = super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        for sms in self.exists().filtered(lambda sms: "/rdv/" in (sms.body or "")):
            # sudo: the SMS queue processes these messages for everyone.
            sms.sudo().body = redact_links(sms.body)
        return result
