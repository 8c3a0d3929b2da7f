from odoo import models


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    def _get_purge_specs(self):
        return super()._get_purge_specs() + [
            ("psys.sentinel", "beneficiary_id", ["partner_id", "note"]),
            ("event.registration", "psys_beneficiary_id", ["partner_id", "name", "email", "phone"]),
            ("psys.workshop.interview", "beneficiary_id", []),
        ]

    def _get_purge_contacts(self):
        sentinels = (
            self.env["psys.sentinel"].with_context(active_test=False).search([("beneficiary_id", "in", self.ids)])
        )
        return super()._get_purge_contacts() | sentinels.partner_id

    def _get_still_active_specs(self):
        """An active sentinel is active, even without an encounter of late."""
        return super()._get_still_active_specs() + [
            ("psys.sentinel", "beneficiary_id", [("state", "=", "active"), ("active", "=", True)])
        ]
