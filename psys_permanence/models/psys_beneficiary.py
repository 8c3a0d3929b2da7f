from odoo import models

from odoo.addons.psys_base.tools.purge import PurgeSpec


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    def _get_purge_specs(self):
        # Desk visits keep their statistics (session, times, state), lose the free text.
        return super()._get_purge_specs() + [
            PurgeSpec("psys.desk.visit", "beneficiary_id", empty_fields=("arrival_note",))
        ]
