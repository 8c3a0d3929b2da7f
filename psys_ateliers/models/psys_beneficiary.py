from odoo import models

from odoo.addons.psys_base.tools.purge import PurgeSpec


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    def _get_purge_specs(self):
        return super()._get_purge_specs() + [
            PurgeSpec("psys.sentinel", "beneficiary_id", empty_fields=("partner_id", "note")),
            PurgeSpec(
                "event.registration", "psys_beneficiary_id", empty_fields=("partner_id", "name", "email", "phone")
            ),
            PurgeSpec("psys.workshop.interview", "beneficiary_id"),
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
