from odoo import api, models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _psys_numbered_core_reports(self):
        """The invoices psys makes are its documents too: numbered pages."""
        return (
            *super()._psys_numbered_core_reports(),
            "account.report_invoice",
            "account.report_invoice_with_payments",
        )
