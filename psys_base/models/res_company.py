from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    psys_retention_months = fields.Integer(
        string="Anonymise after (months of inactivity)",
        default=24,
        help="Beneficiaries without any activity for this many months are "
        "anonymised by the daily purge. 0 disables the purge.",
    )

    @api.constrains("psys_retention_months")
    def _check_psys_retention_months(self):
        for company in self:
            if company.psys_retention_months < 0:
                raise ValidationError(_("The retention period cannot be negative."))
