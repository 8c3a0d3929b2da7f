from odoo import models


class PsysBeneficiary(models.Model):
    _inherit = "psys.beneficiary"

    def _get_purge_specs(self):
        # Desk visits keep their statistics (session, times, state), lose the free text.
        return super()._get_purge_specs() + [("psys.desk.visit", "beneficiary_id", ["arrival_note"])]
