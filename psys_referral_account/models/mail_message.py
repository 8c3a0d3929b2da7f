from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _psys_kept_by_law(self):
        """Where the company keeps the restrictive audit trail of its
        accounting, those messages are part of the record."""
        return super()._psys_kept_by_law() | self.filtered("account_audit_log_activated")
