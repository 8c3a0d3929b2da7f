from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Days the booking invitation audit (IP addresses) is kept when the company
# says nothing, and for the logs of unknown links (no association's).
LOG_RETENTION_DAYS = 90

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

    def _psys_exempt_tax(self):
        """The company's 0 % sale tax of its VAT regime (found or created),
        or no tax when the company declared no exemption.

        Private: called while psys builds an invoice, in sudo."""
        self.ensure_one()
        regime = self.psys_vat_exemption
        Tax = self.env["account.tax"].sudo().with_company(self)
        if regime not in VAT_MENTIONS:
            return Tax.browse()
        tax = Tax.with_context(active_test=False).search(
            [("company_id", "=", self.id), ("psys_vat_exemption", "=", regime)], limit=1
        )
        if tax:
            return tax
        mention = VAT_MENTIONS[regime]
        country = self.account_fiscal_country_id or self.country_id
        group = (
            self.env["account.tax.group"]
            .sudo()
            .create({"name": mention, "company_id": self.id, "country_id": country.id, "sequence": 100})
        )
        return Tax.create(
            {
                "name": mention,
                "amount": 0.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "tax_scope": "service",
                "company_id": self.id,
                "country_id": country.id,
                "tax_group_id": group.id,
                "psys_vat_exemption": regime,
            }
        )

    def _psys_invoice_line_taxes(self):
        """The ``tax_ids`` commands of a psys invoice line: the exemption's
        0 % tax, or none when the company declared no exemption."""
        self.ensure_one()
        return [fields.Command.set(self._psys_exempt_tax().ids)]

    def _psys_siren(self):
        """The SIREN (the first nine digits of the SIRET), the company's tax
        registration identifier in France."""
        self.ensure_one()
        siret = "".join(self._psys_siret().split())
        return siret[:9] if len(siret) >= 9 and siret[:9].isdigit() else ""

    # Invitation to self-book (issue 13) -------------------------------------

    psys_invitation_days = fields.Integer(
        string="Booking invitation validity (days)",
        default=7,
        help="A link sent to a person to choose their own slot can be used during this many days.",
    )

    psys_invitation_log_days = fields.Integer(
        string="Booking invitation audit retention (days)",
        default=LOG_RETENTION_DAYS,
        help="The audit of the booking invitation links (views, attempts, IP addresses) is deleted "
        "after this many days.",
    )

    @api.constrains("psys_invitation_days", "psys_invitation_log_days")
    def _check_psys_invitation_days(self):
        for company in self:
            if company.psys_invitation_days < 1:
                raise ValidationError(_("A booking invitation is valid at least one day."))
            if company.psys_invitation_log_days < 1:
                raise ValidationError(_("The booking invitation audit is kept at least one day."))
