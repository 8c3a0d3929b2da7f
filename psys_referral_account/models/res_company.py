from odoo import fields, models

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
