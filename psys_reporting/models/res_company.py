from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    psys_volunteer_hourly_rate = fields.Float(
        string="Volunteer hourly rate (€)",
        default=35.0,
        help="Value of one hour of volunteer work, for the valorisation du bénévolat in the bilan.",
    )
    psys_secrecy_threshold = fields.Integer(
        string="Statistical secrecy threshold",
        default=11,
        help="Published tables mask every figure counting fewer people than this.",
    )

    @api.constrains("psys_volunteer_hourly_rate", "psys_secrecy_threshold")
    def _check_psys_reporting_settings(self):
        for company in self:
            if company.psys_volunteer_hourly_rate < 0:
                raise ValidationError(_("The volunteer hourly rate cannot be negative."))
            if company.psys_secrecy_threshold < 1:
                raise ValidationError(_("The statistical secrecy threshold must be at least 1."))
