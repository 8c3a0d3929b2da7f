import base64

from odoo import fields, models

from odoo.addons.psys_base.tools.policy import Policy


class PsysBilanWizard(models.TransientModel):
    """Preview a bilan (PDF, XLSX) before recording it in the register."""

    _name = "psys.bilan.wizard"
    _inherit = ["psys.secured", "psys.bilan.mixin"]
    _description = "Yearly bilan preview"
    _psys_policy = Policy()

    xlsx_file = fields.Binary(string="Spreadsheet", readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    def action_print_pdf(self):
        self.ensure_one()
        self._check_bilan_access()
        return self.env.ref("psys_reporting.psys_bilan_report_action").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_bilan_access()
        self.write(
            {
                "xlsx_file": base64.b64encode(self._bilan_render_xlsx()),
                "xlsx_filename": self._bilan_file_name("xlsx"),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=xlsx_file"
            "&filename_field=xlsx_filename&download=true",
            "target": "self",
        }

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
