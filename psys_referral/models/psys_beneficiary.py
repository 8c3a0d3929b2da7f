from odoo import fields, models


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    psys_booking_ids = fields.One2many("psys.booking", "beneficiary_id", string="Appointments")

    def _get_purge_specs(self):
        return super()._get_purge_specs() + [
            ("psys.booking", "beneficiary_id", ["reason"]),
            ("psys.referral", "beneficiary_id", ["reason", "refusal_reason"]),
            ("psys.orientation", "beneficiary_id", ["refusal_reason"]),
        ]
