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
        [
            ("art_293b", "Franchise in base (art. 293 B du CGI)"),
            ("art_261", "Exempt care (art. 261-4-1° du CGI)"),
        ],
        string="Psys VAT exemption",
        readonly=True,
        copy=False,
        help="The VAT exemption this 0 % tax stands for on psys invoices.",
    )


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


def legal_identifier(value):
    """A legal registration identifier as EN 16931 wants it: without the
    spaces people type into a SIRET (« 812 345 678 00019 »)."""
    return "".join((value or "").split())


def legal_identifier_scheme(value):
    """The ISO 6523 scheme of a French legal registration identifier
    (BT-30-1): ``0009`` for a SIRET (14 digits), ``0002`` for a SIREN (9
    digits), none for anything else (an RNA number, a foreign register)."""
    value = legal_identifier(value)
    if value.isdigit():
        return {14: "0009", 9: "0002"}.get(len(value))
    return None


class AccountEdiXmlCII(models.AbstractModel):
    _inherit = "account.edi.xml.cii"

    def _export_invoice_vals(self, invoice):
        # EXTENDS account_edi_ubl_cii: the seller's and the buyer's legal
        # registration identifiers (BT-30, BT-47) without spaces, and each
        # under its own scheme (Odoo writes 0002, the SIREN's, for both).
        vals = super()._export_invoice_vals(invoice)
        for key in ("seller_specified_legal_organization", "buyer_specified_legal_organization"):
            vals[key] = legal_identifier(vals.get(key)) or None
        vals["psys_legal_identifier_scheme"] = legal_identifier_scheme
        return vals

    def _export_invoice_constraints(self, invoice, vals):
        # EXTENDS account_edi_ubl_cii: [BR-CO-26] the seller is identified by
        # its VAT number OR its legal registration identifier (BT-30, the
        # SIRET): an exempt practitioner has no intra-community VAT number.
        constraints = super()._export_invoice_constraints(invoice, vals)
        if constraints.get("seller_identifier") and vals.get("seller_specified_legal_organization"):
            constraints["seller_identifier"] = None
        return constraints
