from odoo import api, models


class PsysDashboard(models.TransientModel):
    _inherit = "psys.dashboard"

    @api.model
    def _psys_home_candidates(self):
        """A practitioner (a therapist with a partnership) lands on her agenda."""
        candidates = super()._psys_home_candidates()
        if self.env.user.has_group("psys_base.group_psys_therapist") and self.env["psys.partnership"].search_count(
            [("practitioner_id", "=", self.env.uid)], limit=1
        ):
            candidates.append((20, "psys_referral.psys_booking_action_agenda"))
        return candidates
