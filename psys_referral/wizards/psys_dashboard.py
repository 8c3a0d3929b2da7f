from odoo import api, fields, models

from odoo.addons.psys_base.tools.groups import COORDINATOR, PRACTITIONERS

# The relays still waiting for the other structure (the CMP…): not yet closed.
PENDING_RELAY_STATES = ("sent", "received", "accepted")
# How many of them the coordinator's home lists (the action opens them all).
PENDING_RELAY_LIMIT = 10


class PsysDashboard(models.TransientModel):
    _inherit = "psys.dashboard"

    pending_relay_count = fields.Integer(string="Pending relays", compute="_compute_pending_relays")
    pending_relay_ids = fields.Many2many(
        "psys.orientation", string="Pending relays list", compute="_compute_pending_relays"
    )

    @api.depends_context("uid")
    def _compute_pending_relays(self):
        Orientation = self.env["psys.orientation"]
        count, relays = 0, Orientation
        if self.env.user.has_group(COORDINATOR):
            domain = self._psys_pending_relays_domain()
            count = Orientation.search_count(domain)
            relays = Orientation.search(domain, order="date, id", limit=PENDING_RELAY_LIMIT)
        for dashboard in self:
            dashboard.pending_relay_count = count
            dashboard.pending_relay_ids = relays

    @api.model
    def _psys_pending_relays_domain(self):
        """The relays the other structure has not closed (done or refused)."""
        return [("state", "in", PENDING_RELAY_STATES)]

    @api.model
    def _psys_home_candidates(self):
        """A practitioner (a therapist with a partnership) lands on her agenda."""
        candidates = super()._psys_home_candidates()
        if self.env.user.has_group("psys_base.group_psys_therapist") and self.env["psys.partnership"].search_count(
            [("practitioner_id", "=", self.env.uid)], limit=1
        ):
            candidates.append((20, "psys_referral.psys_booking_action_agenda"))
        return candidates

    def action_open_pending_relays(self):
        """The pending relays, oldest first, to chase the structures that did not answer."""
        self._psys_check_action("read", PRACTITIONERS)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_base.psys_orientation_action")
        action.update(
            {
                "name": self.env._("Pending relays"),
                "domain": self._psys_pending_relays_domain(),
                "view_mode": "list,form",
                "views": [(False, "list"), (self.env.ref("psys_referral.psys_orientation_view_form").id, "form")],
                "context": {"create": False},
            }
        )
        return action
