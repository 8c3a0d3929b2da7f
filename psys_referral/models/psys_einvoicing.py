"""E-invoicing readiness: psys invoices are valid Factur-X (EN 16931).

A practitioner under the VAT franchise (art. 293 B du CGI) or a titled
psychologist exempt under art. 261-4-1° du CGI charges no VAT, yet EN 16931
wants a VAT category on every line (BR-CO-04) and, for an exempt line, the
exemption reason (BR-E-10) and a seller tax identifier (BR-E-02). psys puts a
0 % sale tax of the company's regime on every line of its invoices; Odoo's
Factur-X export then declares it as category E with the French legal mention
as the exemption reason. Without an intra-community VAT number (none is needed
under the franchise or the exemption), the seller is identified by the SIRET
(legal registration identifier, BR-CO-26) and by the SIREN as tax registration
identifier (BR-E-02)."""

import copy

from odoo import api, fields, models

from .res_company import VAT_MENTIONS

# The CEF VATEX code of each regime's exemption (EN 16931 code list).
VATEX_CODES = {
    # The franchise in base (art. 293 B du CGI).
    "art_293b": "VATEX-FR-FRANCHISE",
    # Medical and paramedical care, art. 132 (1) (c) of the VAT directive,
    # transposed as art. 261-4-1° du CGI.
    "art_261": "VATEX-EU-132-1C",
}


class AccountTax(models.Model):
    _inherit = "account.tax"

    psys_vat_exemption = fields.Selection(
        [(key, key) for key in VAT_MENTIONS],
        string="Psys VAT exemption",
        readonly=True,
        copy=False,
        help="The VAT exemption this 0 % tax stands for on psys invoices.",
    )


class ResCompany(models.Model):
    _inherit = "res.company"

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


class AccountMove(models.Model):
    _inherit = "account.move"

    def _psys_printed_tax_totals(self):
        """The tax summary printed on the invoice: without the rows of psys's
        0 % exemption taxes (the legal mention is printed instead, a "0 %"
        row would only confuse the reader)."""
        self.ensure_one()
        totals = self.tax_totals
        if not totals:
            return totals
        exempt_groups = self.invoice_line_ids.tax_ids.filtered("psys_vat_exemption").tax_group_id
        if not exempt_groups:
            return totals
        totals = copy.deepcopy(totals)
        for subtotal in totals.get("subtotals", []):
            subtotal["tax_groups"] = [
                group
                for group in subtotal["tax_groups"]
                if not (group["id"] in exempt_groups.ids and self.currency_id.is_zero(group["tax_amount_currency"]))
            ]
        return totals

    def _psys_hide_tax_column(self):
        """Whether every line's only tax is psys's exemption: the taxes column says nothing then."""
        self.ensure_one()
        taxes = self.invoice_line_ids.filtered(lambda line: line.display_type == "product").tax_ids
        return bool(taxes) and all(taxes.mapped("psys_vat_exemption"))


class AccountEdiCommon(models.AbstractModel):
    _inherit = "account.edi.common"

    @api.model
    def _get_tax_unece_codes(self, customer, supplier, tax):
        # EXTENDS account_edi_ubl_cii: psys's exemption taxes are category E
        # with the French legal mention as the reason (BR-E-10).
        if tax and tax.psys_vat_exemption in VAT_MENTIONS:
            return {
                "tax_category_code": "E",
                "tax_exemption_reason_code": VATEX_CODES[tax.psys_vat_exemption],
                "tax_exemption_reason": VAT_MENTIONS[tax.psys_vat_exemption],
            }
        return super()._get_tax_unece_codes(customer, supplier, tax)


class AccountEdiXmlCII(models.AbstractModel):
    _inherit = "account.edi.xml.cii"

    def _export_invoice_constraints(self, invoice, vals):
        # EXTENDS account_edi_ubl_cii: [BR-CO-26] the seller is identified by
        # its VAT number OR its legal registration identifier (BT-30, the
        # SIRET): an exempt practitioner has no intra-community VAT number.
        constraints = super()._export_invoice_constraints(invoice, vals)
        if constraints.get("seller_identifier") and vals.get("seller_specified_legal_organization"):
            constraints["seller_identifier"] = None
        return constraints
