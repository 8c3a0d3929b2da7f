from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psys_reminder_hours = fields.Integer(related="company_id.psys_reminder_hours", readonly=False)
    psys_cancel_cutoff_hours = fields.Integer(related="company_id.psys_cancel_cutoff_hours", readonly=False)
    psys_waiting_offer_hours = fields.Integer(related="company_id.psys_waiting_offer_hours", readonly=False)
    psys_referral_stale_days = fields.Integer(related="company_id.psys_referral_stale_days", readonly=False)
    psys_invitation_days = fields.Integer(related="company_id.psys_invitation_days", readonly=False)
    psys_invitation_log_days = fields.Integer(related="company_id.psys_invitation_log_days", readonly=False)
