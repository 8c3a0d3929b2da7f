from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psys_vat_exemption = fields.Selection(related="company_id.psys_vat_exemption", readonly=False)
