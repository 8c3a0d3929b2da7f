from odoo import models

from .psys_invitation import redact_links


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """An e-mail about an appointment that failed to leave (invalid
        address, refused by the server): the team and the worker are told
        (see ``psys.booking.notification._delivery_failed``). Sent or failed,
        an e-mail keeps no clear invitation link."""
        self._psys_redact_links()
        if failure_type:
            mails = self.filtered(lambda mail: mail.model == "psys.booking" and mail.res_id)
            if mails:
                partners = mails.recipient_ids.filtered(lambda partner: partner.id not in success_pids)
                # sudo: the failure is written on the team's records, whoever sent the queue.
                notification = self.env["psys.booking.notification"].sudo()
                notification._delivery_failed(notification._bookings_of_messages(mails), partners)
        return super()._postprocess_sent_message(success_pids, failure_reason=failure_reason, failure_type=failure_type)

    def _psys_redact_links(self):
        """The invitation link is in the outgoing e-mail only: once sent or
        failed (a failed one stays in the queue), the stored body has none."""
        for mail in self.filtered(lambda mail: "/rdv/" in (mail.body_html or "")):
            # sudo: the mail queue processes these e-mails for everyone.
            mail.sudo().body_html = redact_links(mail.body_html)
