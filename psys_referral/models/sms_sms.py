from odoo import models

from .psys_invitation import redact_links


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Once an SMS was sent or failed, it keeps no clear invitation link
        (a failed one stays in the queue)."""
        result = super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        for sms in self.exists().filtered(lambda sms: "/rdv/" in (sms.body or "")):
            # sudo: the SMS queue processes these messages for everyone.
            sms.sudo().body = redact_links(sms.body)
        return result
