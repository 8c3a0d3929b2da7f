from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psys_retention_months = fields.Integer(
        related="company_id.psys_retention_months",
        readonly=False,
    )
    psys_note_log_retention_months = fields.Integer(
        related="company_id.psys_note_log_retention_months",
        readonly=False,
    )
    psys_alsace_moselle = fields.Boolean(
        related="company_id.psys_alsace_moselle",
        readonly=False,
    )
