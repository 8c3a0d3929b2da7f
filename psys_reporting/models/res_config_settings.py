from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psys_volunteer_hourly_rate = fields.Float(related="company_id.psys_volunteer_hourly_rate", readonly=False)
    psys_secrecy_threshold = fields.Integer(related="company_id.psys_secrecy_threshold", readonly=False)
