from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    psys_session_horizon_days = fields.Integer(
        string="Session horizon (days)",
        default=90,
        help="How far ahead the sessions of the permanences are generated.",
    )
    psys_understaffed_alert_days = fields.Integer(
        string="Understaffing alert (days)",
        default=7,
        help="Coordinators get an activity for each session still understaffed this many days before it.",
    )

    @api.constrains("psys_session_horizon_days", "psys_understaffed_alert_days")
    def _check_psys_permanence_days(self):
        for company in self:
            if not 1 <= company.psys_session_horizon_days <= 730:
                raise ValidationError(_("The session horizon is between 1 and 730 days."))
            if company.psys_understaffed_alert_days < 0:
                raise ValidationError(_("The understaffing alert delay cannot be negative."))
