from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.models.base import RECEPTION, THERAPIST
from odoo.addons.psys_base.tools.policy import Policy

VISIT_STATES = [
    ("arrived", "Waiting"),
    ("in_interview", "In interview"),
    ("done", "Done"),
    ("left", "Left without being seen"),
]


class PsysDeskVisit(models.Model):
    """A walk-in at the reception desk of a session, from arrival to the end
    of the interview. Holds nothing clinical: the encounter does."""

    _name = "psys.desk.visit"
    _inherit = ["psys.secured", "psys.referral.source.mixin", "psys.encounter.mirror"]
    _description = "Walk-in at the reception desk"
    _psys_policy = Policy(workflow=("state", "therapist_id", "encounter_id"))
    _order = "arrival desc, id desc"

    session_id = fields.Many2one("psys.session", required=True, index=True, ondelete="restrict")
    location_id = fields.Many2one(related="session_id.location_id", store=True, string="Antenna")
    beneficiary_id = fields.Many2one("psys.beneficiary", index=True, ondelete="restrict")
    arrival = fields.Datetime(required=True, default=fields.Datetime.now)
    state = fields.Selection(VISIT_STATES, required=True, default="arrived", index=True, group_expand=True)
    queue_position = fields.Integer(compute="_compute_queue_position")
    arrival_note = fields.Char(
        string="Reception remark",
        help="Practical remark only (language, accessibility…), never clinical content.",
    )
    therapist_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)

    @api.depends("beneficiary_id", "arrival")
    def _compute_display_name(self):
        for visit in self:
            who = visit.beneficiary_id.code or _("Anonymous")
            when = (visit.arrival and fields.Datetime.context_timestamp(visit, visit.arrival).strftime("%H:%M")) or ""
            visit.display_name = f"{who} · {when}"

    @api.depends("state", "arrival", "session_id")
    def _compute_queue_position(self):
        waiting = self.search(
            [("session_id", "in", self.session_id.ids), ("state", "=", "arrived")], order="arrival, id"
        )
        positions = {}
        for visit in waiting:
            positions.setdefault(visit.session_id, []).append(visit)
        for visit in self:
            queue = positions.get(visit.session_id, [])
            visit.queue_position = queue.index(visit) + 1 if visit in queue else 0

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        for visit in visits:
            if visit.session_id.state != "planned":
                raise UserError(_("The session %(session)s is cancelled.", session=visit.session_id.display_name))
        return visits

    def action_start_interview(self):
        """The therapist receives the person: opens their encounter."""
        self.ensure_one()
        self._psys_check_action("write", THERAPIST)
        if self.state != "arrived":
            raise UserError(_("Only a waiting person can be received."))
        self._psys_create_encounters({"state": "in_interview", "therapist_id": self.env.user.id})
        return self.action_open_encounter()

    def action_open_encounter(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        if not self.encounter_id:
            raise UserError(_("The interview has not started yet."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "psys.encounter",
            "res_id": self.encounter_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_done(self):
        self._psys_transition(("in_interview",), "done", RECEPTION)

    def action_left(self):
        self._psys_transition(("arrived",), "left", RECEPTION)

    def action_back_to_queue(self):
        self._psys_check_action("write", RECEPTION)
        self.filtered(lambda visit: visit.state == "left")._psys_transition(("left",), "arrived", RECEPTION)

    def _psys_encounter_values(self):
        """The interview: with the therapist who receives the person, now."""
        self.ensure_one()
        kind = {"on_site": "permanence"}.get(self.session_id.modality, self.session_id.modality)
        return {
            "beneficiary_id": self.beneficiary_id.id,
            "session_id": self.session_id.id,
            "kind": kind if kind in ("permanence", "phone", "outdoor", "group") else "individual",
            "date_start": fields.Datetime.now(),
            "location_id": self.location_id.id,
            "practitioner_ids": [fields.Command.set(self.env.user.ids)],
            "company_id": self.company_id.id,
            **self._get_referral_source_values(),
        }
