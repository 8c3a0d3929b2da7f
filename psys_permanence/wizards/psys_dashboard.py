from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.psys_base.tools.groups import COORDINATOR, RECEPTION

THERAPIST = "psys_base.group_psys_therapist"
# How far the coordinator's coverage looks ahead.
COVERAGE_WEEKS = 4


class PsysDashboard(models.TransientModel):
    """Permanence sections of the home: the reception desk, the therapist's
    next shifts and today's queue, the coordinator's coverage."""

    _inherit = "psys.dashboard"

    my_shift_ids = fields.Many2many("psys.shift", string="My next shifts", compute="_compute_permanence")
    queue_visit_ids = fields.Many2many("psys.desk.visit", string="Today's queue", compute="_compute_permanence")
    waiting_count = fields.Integer(string="Waiting", compute="_compute_permanence")
    understaffed_session_ids = fields.Many2many(
        "psys.session", string="Understaffed sessions", compute="_compute_permanence"
    )
    coverage_covered_count = fields.Integer(string="Covered", compute="_compute_permanence")
    coverage_understaffed_count = fields.Integer(string="Understaffed", compute="_compute_permanence")
    coverage_uncovered_count = fields.Integer(string="Uncovered", compute="_compute_permanence")
    replacement_count = fields.Integer(string="Replacements wanted", compute="_compute_permanence")

    @api.depends_context("uid")
    def _compute_permanence(self):
        today = fields.Date.context_today(self)
        Shift, Visit, Session = self.env["psys.shift"], self.env["psys.desk.visit"], self.env["psys.session"]
        my_shifts = Shift.search(
            [("user_id", "=", self.env.uid), ("session_state", "=", "planned"), ("date", ">=", today)], limit=8
        )
        # Oldest first (the model's order), at the antennas where I work today.
        queue = Visit.search(
            [
                ("session_id.date", "=", today),
                ("state", "in", ("arrived", "in_interview")),
                ("is_my_antenna", "=", True),
            ]
        )
        coverage, understaffed, replacements = {}, Session, 0
        if self.env.user.has_group(COORDINATOR):
            ahead = [
                ("state", "=", "planned"),
                ("date", ">=", today),
                ("date", "<", today + timedelta(weeks=COVERAGE_WEEKS)),
            ]
            coverage = dict(Session._read_group(ahead, ["coverage"], ["__count"]))
            understaffed = Session.search([*ahead, ("coverage", "!=", "covered")], limit=20)
            replacements = Shift.search_count(
                [("state", "=", "replacement"), ("session_state", "=", "planned"), ("date", ">=", today)]
            )
        for dashboard in self:
            dashboard.my_shift_ids = my_shifts
            dashboard.queue_visit_ids = queue
            dashboard.waiting_count = len(queue.filtered(lambda visit: visit.state == "arrived"))
            dashboard.understaffed_session_ids = understaffed
            dashboard.coverage_covered_count = coverage.get("covered", 0)
            dashboard.coverage_understaffed_count = coverage.get("understaffed", 0)
            dashboard.coverage_uncovered_count = coverage.get("uncovered", 0)
            dashboard.replacement_count = replacements

    @api.model
    def _psys_home_candidates(self):
        candidates = super()._psys_home_candidates()
        user = self.env.user
        if user.has_group(THERAPIST):
            # My next shifts and today's queue: the home form's permanence sections.
            candidates.append((30, "psys_base.psys_dashboard_action"))
        elif user.has_group("psys_base.group_psys_reception"):
            candidates.append((40, "psys_permanence.psys_desk_visit_action"))
        return candidates

    def _action_sessions(self, domain, name):
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_session_action")
        action.update(
            {
                "name": name,
                "domain": domain,
                "view_mode": "list,calendar,form",
                "views": [(False, "list"), (False, "calendar"), (False, "form")],
                "context": {"search_default_group_week": 1},
            }
        )
        return action

    def action_open_coverage(self):
        self._psys_check_action("read", RECEPTION)
        today = fields.Date.context_today(self)
        return self._action_sessions(
            [
                ("state", "=", "planned"),
                ("date", ">=", today),
                ("date", "<", today + timedelta(weeks=COVERAGE_WEEKS)),
            ],
            self.env._("Coverage of the next %(weeks)s weeks", weeks=COVERAGE_WEEKS),
        )

    def action_open_replacements(self):
        self._psys_check_action("read", RECEPTION)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_shift_action_open")
        action["context"] = {"search_default_upcoming": 1, "search_default_replacement": 1}
        return action

    def action_open_queue(self):
        self._psys_check_action("read", RECEPTION)
        return self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_desk_visit_action")

    def action_open_my_shifts(self):
        self._psys_check_action("read", RECEPTION)
        return self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_shift_action_mine")
