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

    psys_note_log_retention_months = fields.Integer(
        string="Keep the note access log (months)",
        default=12,
        help="Entries of the confidential notes' access log older than this are deleted by a "
        "daily purge. 0 keeps them for good.",
    )

    @api.constrains("psys_retention_months", "psys_note_log_retention_months")
    def _check_psys_retention_months(self):
        for company in self:
            if company.psys_retention_months < 0 or company.psys_note_log_retention_months < 0:
                raise ValidationError(_("The retention period cannot be negative."))
