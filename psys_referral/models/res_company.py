from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

VAT_MENTIONS = {
    "art_293b": "TVA non applicable, art. 293 B du CGI",
    "art_261": "Exonération de TVA, article 261-4-1° du CGI",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    psys_vat_exemption = fields.Selection(
        [
            ("art_293b", "Micro-entrepreneur (art. 293 B du CGI)"),
            ("art_261", "Titled psychologist (art. 261-4-1° du CGI)"),
            ("none", "No mention"),
        ],
        string="VAT exemption",
        default="art_293b",
        help="The legal mention printed on invoices and receipts.",
    )
    psys_reminder_hours = fields.Integer(
        string="Reminder delay (hours)",
        default=48,
        help="Appointment reminders are e-mailed this many hours before the session (0: no reminders).",
    )
    psys_cancel_cutoff_hours = fields.Integer(
        string="Cancellation cut-off (hours)",
        default=24,
        help="Partner staff may cancel or move a booking until this many hours before it.",
    )
    # Waiting list and closing the loop (issue 13).
    psys_waiting_offer_hours = fields.Integer(
        string="Waiting list offer (hours)",
        default=24,
        help="A freed slot is kept this many hours for the first person of the waiting list "
        "before it is offered to the next one, then to everyone.",
    )
    psys_referral_stale_days = fields.Integer(
        string="Request without appointment (days)",
        default=15,
        help="A request still without any appointment after this many days gives the practitioner "
        "an activity and tells the worker who made it (0: never).",
    )

    @api.constrains(
        "psys_reminder_hours", "psys_cancel_cutoff_hours", "psys_waiting_offer_hours", "psys_referral_stale_days"
    )
    def _check_psys_referral_hours(self):
        for company in self:
            if (
                min(
                    company.psys_reminder_hours,
                    company.psys_cancel_cutoff_hours,
                    company.psys_waiting_offer_hours,
                    company.psys_referral_stale_days,
                )
                < 0
            ):
                raise ValidationError(_("Reminder, cancellation and waiting list delays cannot be negative."))

    def _psys_vat_mention(self):
        self.ensure_one()
        return VAT_MENTIONS.get(self.psys_vat_exemption, "")

    def _psys_siret(self):
        """The SIRET printed on invoices and receipts: the French
        localisation's field when it is installed and filled, else the
        company registry (where psys stores it)."""
        self.ensure_one()
        return ("siret" in self._fields and self.siret) or self.company_registry or ""

    def _psys_today(self):
        """The issue date of a document, in the user's time zone."""
        return fields.Date.context_today(self)
