from odoo import api, models


class ReportPsysBilan(models.AbstractModel):
    _name = "report.psys_reporting.report_bilan"
    _description = "Yearly bilan (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["psys.bilan.wizard"].browse(docids)
        bilans = {}
        for wizard in wizards:
            lang = wizard._get_report_lang()
            bilans[wizard.id] = wizard.with_context(lang=lang)._get_bilan_data()
        return {
            "doc_ids": docids,
            "doc_model": "psys.bilan.wizard",
            "docs": wizards,
            "bilans": bilans,
        }
