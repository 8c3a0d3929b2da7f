from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psys_session_horizon_days = fields.Integer(related="company_id.psys_session_horizon_days", readonly=False)
    psys_understaffed_alert_days = fields.Integer(related="company_id.psys_understaffed_alert_days", readonly=False)
