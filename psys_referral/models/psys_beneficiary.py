from odoo import fields, models

from odoo.addons.psys_base.tools.purge import PurgeSpec


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    psys_booking_ids = fields.One2many("psys.booking", "beneficiary_id", string="Appointments")

    def _get_purge_specs(self):
        return super()._get_purge_specs() + [
            PurgeSpec("psys.booking", "beneficiary_id", empty_fields=("reason", "cancel_reason")),
            PurgeSpec("psys.referral", "beneficiary_id", empty_fields=("reason", "refusal_reason")),
            PurgeSpec("psys.orientation", "beneficiary_id", empty_fields=("refusal_reason",)),
        ]

    def _get_still_active_specs(self):
        """An upcoming appointment or an open referral keeps the person active."""
        return super()._get_still_active_specs() + [
            ("psys.booking", "beneficiary_id", [("state", "=", "booked"), ("start", ">=", fields.Datetime.now())]),
            ("psys.referral", "beneficiary_id", [("state", "in", ("received", "accepted", "in_progress"))]),
        ]
