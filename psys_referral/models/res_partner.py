from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _psys_purge_traces(self):
        """The SMS to these contacts (queued or failed) go: they hold the
        number."""
        result = super()._psys_purge_traces()
        Booking = self.env["psys.booking"]
        numbers = {
            number
            for contact in self
            for phone in (contact.phone, contact.mobile)
            if phone
            for number in (phone, Booking._psys_sms_number(phone, contact.company_id or None))
            if number
        }
        # sudo: the retention purge runs for the association, not for a user;
        # SMS are read by administrators only.
        self.env["sms.sms"].sudo().search(
            ["|", ("partner_id", "in", self.ids), ("number", "in", list(numbers))]
        ).unlink()
        return result
