from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from odoo.addons.psys_base.models.psys_referral_source_mixin import REFERRAL_SOURCES
from odoo.addons.psys_base.tools.groups import RECEPTION, THERAPIST
from odoo.addons.psys_base.tools.policy import Policy

# The weeks before and after today whose shifts tell a volunteer's antennas.
USUAL_WEEKS = 8
# A person is at the desk while waiting or in interview: never twice at once.
PRESENT_STATES = ("arrived", "in_interview")
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
    # The queue runs in the order of arrival: the first to come is received first.
    _order = "arrival, id"

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
    # Declared again here so that its labels are this addon's terms (French
    # in its i18n/fr.po): a selection inherited from psys_base's mixin is
    # translated for psys_base's own models only.
    referral_source = fields.Selection(REFERRAL_SOURCES)
    is_today = fields.Boolean(
        string="Today",
        compute="_compute_is_today",
        search="_search_is_today",
        help="At a session of today, the local day of the desk (not the browser's).",
    )
    is_my_antenna = fields.Boolean(
        string="My antenna",
        compute="_compute_is_my_antenna",
        search="_search_is_my_antenna",
        help="At an antenna where I hold a shift today (every antenna when I hold none).",
    )

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

    @api.model
    def _get_today(self):
        # Sessions carry the antenna's local date: today where the desk is.
        return fields.Date.context_today(
            self.with_context(tz=self.env.context.get("tz") or self.env.user.tz or "Europe/Paris")
        )

    @api.depends("session_id.date")
    def _compute_is_today(self):
        today = self._get_today()
        for visit in self:
            visit.is_today = visit.session_id.date == today

    def _search_is_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on today."))
        return [("session_id.date", "=" if (operator == "=") == value else "!=", self._get_today())]

    @api.depends_context("uid")
    def _compute_is_my_antenna(self):
        locations = self._get_my_antennas()
        for visit in self:
            visit.is_my_antenna = locations is None or visit.location_id in locations

    def _search_is_my_antenna(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on my antenna."))
        locations = self._get_my_antennas()
        if locations is None:
            return [] if (operator == "=") == value else [("id", "=", False)]
        return [("location_id", "in" if (operator == "=") == value else "not in", locations.ids)]

    @api.model
    def _get_my_antennas(self, usual=False):
        """The antennas where the user holds a shift today (local day), or
        None when she holds none: a coordinator sees every antenna. With
        ``usual``, when she holds none today: the antennas she volunteers at
        (her availabilities), else those of her shifts of the weeks around
        today (None when nothing tells them)."""
        today = self._get_today()
        Shift = self.env["psys.shift"]
        mine = [("user_id", "=", self.env.uid), ("session_state", "=", "planned")]
        today_shifts = Shift.search([*mine, ("date", "=", today)])
        if today_shifts or not usual:
            return today_shifts.location_id or None
        declared = self.env["psys.volunteer.availability"].search([("user_id", "=", self.env.uid)]).location_ids
        if declared:
            return declared
        around = [
            ("date", ">=", today - timedelta(weeks=USUAL_WEEKS)),
            ("date", "<=", today + timedelta(weeks=USUAL_WEEKS)),
        ]
        return Shift.search([*mine, *around]).location_id or None

    @api.constrains("beneficiary_id", "state", "session_id")
    def _check_present_once(self):
        """A person waits (or is received) once at a time: re-typing the
        initials of someone already in the queue must not add them again."""
        present = self.filtered(lambda visit: visit.beneficiary_id and visit.state in PRESENT_STATES)
        if not present:
            return
        others = self.search(
            [
                ("beneficiary_id", "in", present.beneficiary_id.ids),
                ("state", "in", PRESENT_STATES),
                ("session_id.date", "in", list(set(present.session_id.mapped("date")))),
                ("id", "not in", present.ids),
            ]
        )
        for visit in present:
            already = (others | (present - visit)).filtered(
                lambda other, visit=visit: other.beneficiary_id == visit.beneficiary_id
                and other.session_id.date == visit.session_id.date
                and other.state in PRESENT_STATES
            )[:1]
            if already:
                raise ValidationError(already._psys_already_here_message())

    def _psys_already_here_message(self):
        self.ensure_one()
        # The antenna's time, whoever reads it.
        tz = self.session_id.permanence_id.tz or "Europe/Paris"
        arrival = format_datetime(self.env, self.arrival, tz=tz, dt_format="HH:mm")
        if self.state == "in_interview":
            return _(
                "%(code)s is already here today: in interview since the arrival at %(time)s (%(session)s). "
                "Nobody was added to the queue.",
                code=self.beneficiary_id.code,
                time=arrival,
                session=self.session_id.display_name,
            )
        return _(
            "%(code)s is already in the queue: arrived at %(time)s (%(session)s). Nobody was added to the queue.",
            code=self.beneficiary_id.code,
            time=arrival,
            session=self.session_id.display_name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        for visit in visits:
            if visit.session_id.state != "planned":
                raise UserError(_("The session %(session)s is cancelled.", session=visit.session_id.display_name))
        return visits

    def action_open_register(self):
        """« Register a walk-in » on the desk itself: the form opens over
        the desk (on the desk's session when it shows one) and closes back
        onto it, reloaded with its filters and breadcrumbs."""
        self._psys_check_action("read", RECEPTION)
        self.env["psys.desk.register"].check_access("create")
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_desk_register_action")
        session_id = self.env.context.get("default_session_id")
        action["context"] = {"default_session_id": session_id} if session_id else {}
        return action

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

    # The queue card: how long the person has waited.

    waiting_minutes = fields.Integer(
        string="Waiting (minutes)",
        compute="_compute_waiting_minutes",
        help="Since the arrival, while the person waits.",
    )

    @api.depends("arrival", "state")
    def _compute_waiting_minutes(self):
        now = fields.Datetime.now()
        for visit in self:
            waiting = visit.state == "arrived" and visit.arrival
            visit.waiting_minutes = int((now - visit.arrival).total_seconds() // 60) if waiting else 0
