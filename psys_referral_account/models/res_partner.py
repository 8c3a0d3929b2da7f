from dateutil.relativedelta import relativedelta

from odoo import models

# Code de commerce, art. L123-22: accounting documents are kept ten years.
ACCOUNTING_RETENTION_YEARS = 10


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _psys_accounting_documents(self):
        # sudo: the retention purge runs for the association, not for a user.
        moves = self.env["account.move"].sudo().with_context(active_test=False)
        payments = self.env["account.payment"].sudo().with_context(active_test=False)
        return (
            moves.search([("partner_id", "in", self.ids)]),
            payments.search([("partner_id", "in", self.ids)]),
        )

    def _psys_get_retention_end(self):
        """Posted invoices (and their payments) name the contact: kept until
        the end of the tenth year after the close of their fiscal year."""
        result = super()._psys_get_retention_end()
        moves = self._psys_accounting_documents()[0].filtered(lambda move: move.state == "posted")
        for move in moves:
            fiscal_end = move.company_id.compute_fiscalyear_dates(move.date)["date_to"]
            until = fiscal_end + relativedelta(years=ACCOUNTING_RETENTION_YEARS)
            partner = move.partner_id.id
            result[partner] = max(result.get(partner, until), until)
        return result

    def _psys_purge_traces(self):
        """The invoices and their PDF stay as issued; their e-mails, queued
        e-mails, followers, activities and other attachments go."""
        result = super()._psys_purge_traces()
        wipe = self.env["psys.beneficiary"]._psys_wipe
        for records in self._psys_accounting_documents():
            wipe(records)
        return result

    def _psys_end_retention(self):
        """The legal period is over: the invoice PDFs go too. The posted
        entries stay in the ledger, naming the anonymised contact."""
        result = super()._psys_end_retention()
        moves, payments = self._psys_accounting_documents()
        wipe = self.env["psys.beneficiary"]._psys_wipe
        wipe(moves)
        wipe(payments)
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "account.move"), ("res_id", "in", moves.ids), ("res_field", "!=", False)]
        ).unlink()
        return result
