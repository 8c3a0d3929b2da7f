import copy

from odoo import fields, models

from .res_company import VAT_MENTIONS


class AccountMove(models.Model):
    _inherit = "account.move"

    psys_partnership_id = fields.Many2one("psys.partnership", string="Partnership", index="btree_not_null", copy=False)

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

    def _psys_narration_has_vat_mention(self):
        """Whether the terms the invoice was created with carry a VAT
        exemption mention: the issuer block then prints none, not even the
        company's current one (a regime changed since would contradict it)."""
        self.ensure_one()
        narration = str(self.narration or "")
        return any(mention in narration for mention in VAT_MENTIONS.values())

    def _psys_vat_on_debits(self):
        """Whether the invoice charges VAT due on invoice (the French option
        to pay VAT on debits, which l10n_fr_account's invoice then prints).
        psys's exemption taxes charge no VAT, neither on debits nor on
        receipts: they never make the option printed."""
        self.ensure_one()
        taxes = self.invoice_line_ids.tax_ids.filtered(lambda tax: not tax.psys_vat_exemption)
        return "on_invoice" in taxes.mapped("tax_exigibility")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    psys_booking_id = fields.Many2one("psys.booking", string="Appointment", index="btree_not_null", copy=False)
