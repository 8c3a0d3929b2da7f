from odoo import api, fields, models

from ..tools.policy import FORM, Policy


class PsysDashboard(models.TransientModel):
    """The home of a psys user: the screen each role lands on.

    ``_psys_home_candidates`` lists the screens the current user may land
    on, each with a priority; the doors add theirs (the reception desk, the
    rota, the practitioner's agenda…) and the lowest priority wins. The form
    is a frame the doors fill with their own sections."""

    _name = "psys.dashboard"
    _inherit = ["psys.secured"]
    _description = "Home of a psys user"
    _psys_policy = Policy(company=None, shared=FORM)

    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    is_coordinator = fields.Boolean(compute="_compute_roles")
    is_therapist = fields.Boolean(compute="_compute_roles")

    @api.depends_context("uid")
    def _compute_roles(self):
        user = self.env.user
        for dashboard in self:
            dashboard.is_coordinator = user.has_group("psys_base.group_psys_coordinator")
            dashboard.is_therapist = user.has_group("psys_base.group_psys_therapist")

    @api.depends("user_id")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = dashboard.user_id.name or ""

    @api.model
    def _psys_home_candidates(self):
        """[(priority, action xmlid)] of the screens the current user may land on."""
        candidates = [(100, "psys_base.psys_encounter_action")]
        if self.env.user.has_group("psys_base.group_psys_coordinator"):
            candidates.append((10, "psys_base.psys_dashboard_action"))
        return candidates

    @api.model
    def _psys_home_action(self):
        """The action of the current user's home (run by ``action_psys_home``)."""
        _priority, xmlid = min(self._psys_home_candidates())
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        if action.get("res_model") == self._name:
            # A saved home: its sections are computed when the form reads it.
            action["res_id"] = self.create({}).id
        return action
