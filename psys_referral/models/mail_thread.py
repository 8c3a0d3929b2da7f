from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        """A bounce of an e-mail about an appointment (the booking has no
        chatter to receive it): the team and the worker are told."""
        result = super()._routing_handle_bounce(email_message, message_dict)
        # sudo: a bounce is handled by the mail gateway; only the team's
        # records of the bounced appointment are written.
        notification = self.env["psys.booking.notification"].sudo()
        message = message_dict.get("bounced_message") or self.env["mail.message"]
        partners = message_dict.get("bounced_partner") or self.env["res.partner"]
        bookings = notification._bookings_of_messages(message) or notification._bookings_of_contacts(partners)
        if bookings:
            notification._delivery_failed(bookings, partners)
        return result
