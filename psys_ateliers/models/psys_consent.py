from odoo import models


class PsysConsent(models.Model):
    _inherit = "psys.consent"

    def _forget_names_without_consent(self):
        """A withdrawn consent to the sentinel register unlinks the sentinel's name."""
        result = super()._forget_names_without_consent()
        withdrawn = self.filtered(lambda consent: consent.scope == "sentinel" and consent.state == "withdrawn")
        if withdrawn:
            sentinels = self.env["psys.sentinel"].search(
                [("beneficiary_id", "in", withdrawn.beneficiary_id.ids), ("partner_id", "!=", False)]
            )
            sentinels.filtered(lambda sentinel: not sentinel._get_sentinel_consents()).partner_id = False
        return result
