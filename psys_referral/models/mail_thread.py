from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        """A bounce of an e-mail about an appointment (the booking has no
        chatter to receive it): the team and the worker are told."""
        result = super()._routing_handle_bounce(email_message, message_dict)
        message = message_dict.get("bounced_message")
        if message and message.model == "psys.booking" and message.res_id:
            partner = message_dict.get("bounced_partner") or self.env["res.partner"]
            self.env["psys.booking.notification"]._delivery_failed(message, partner)
        return result
