from odoo import models

from odoo.addons.psys_base.tools.policy import Policy


class PsysBilanWizard(models.TransientModel):
    """Preview a bilan (PDF, XLSX) before recording it in the register."""

    _name = "psys.bilan.wizard"
    _inherit = ["psys.secured", "psys.bilan.mixin"]
    _description = "Yearly bilan preview"
    _psys_policy = Policy()

    def action_print_pdf(self):
        self.ensure_one()
        self._check_bilan_access()
        return self.env.ref("psys_reporting.psys_bilan_report_action").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_bilan_access()
        # config=False: no letterhead wizard before a spreadsheet.
        return self.env.ref(self._bilan_xlsx_report).report_action(self, config=False)

    def action_create_bilan(self):
        """Record this bilan in the register as a draft."""
        self.ensure_one()
        self._check_bilan_access()
        bilan = self.env["psys.bilan"].create(
            {
                "date_from": self.date_from,
                "date_to": self.date_to,
                "company_id": self.company_id.id,
                "location_id": self.location_id.id,
                "territory_id": self.territory_id.id,
                "edition": self.edition,
                "secrecy_threshold": self.secrecy_threshold,
                "secrecy_margin": self.secrecy_margin,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "psys.bilan",
            "res_id": bilan.id,
            "view_mode": "form",
            "target": "current",
        }
