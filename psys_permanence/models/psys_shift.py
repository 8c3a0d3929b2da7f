from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.psys_base.models.base import COORDINATOR, RECEPTION
from odoo.addons.psys_base.tools.policy import Policy

from .psys_permanence_need import SHIFT_ROLES
from .psys_session import label_week_groups

# Who may hold each role: reception is open to every volunteer (therapists
# imply reception), interviews to therapists only.
ROLE_GROUPS = {
    "reception": "psys_base.group_psys_reception",
    "interview": "psys_base.group_psys_therapist",
}


# The fields of its session a shift keeps a stored copy of (its searches, its
# rota grid), as {shift field: session field}.
SESSION_COPIES = {
    "start": "start",
    "stop": "stop",
    "date": "date",
    "location_id": "location_id",
    "permanence_id": "permanence_id",
    "session_state": "state",
    "company_id": "company_id",
}


def shift_state(user, replacement_requested):
    """The status of a shift held by ``user`` (a record or an id, empty for none)."""
    if not user:
        return "open"
    return "replacement" if replacement_requested else "filled"


class PsysShift(models.Model):
    """One role slot of a session, held by one volunteer."""

    _name = "psys.shift"
    _description = "Shift"
    # A volunteer takes a shift or asks for a replacement; the rota itself is the coordinator's.
    _psys_policy = Policy(
        ownership=("session_id",), self_service=("user_id", "replacement_requested", "replacement_reason")
    )
    _inherit = ["psys.secured", "mail.thread"]
    _order = "start, session_id, role desc, id"
    # Volunteers who may read a shift may discuss it in its chatter.
    _mail_post_access = "read"

    session_id = fields.Many2one("psys.session", required=True, ondelete="cascade", index=True)
    role = fields.Selection(SHIFT_ROLES, required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Volunteer",
        index=True,
        tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("psys_permanence.group_psys_volunteer").ids)],
    )
    # The history reads the status ("Filled → Replacement wanted"), not this
    # flag's "No → Yes".
    replacement_requested = fields.Boolean(copy=False)
    replacement_reason = fields.Char(copy=False)
    state = fields.Selection(
        [("open", "Open"), ("filled", "Filled"), ("replacement", "Replacement wanted")],
        compute="_compute_state",
        store=True,
        precompute=True,
        index=True,
        tracking=True,
    )
    # Precomputed: a new shift's row is inserted whole, not updated after.
    start = fields.Datetime(related="session_id.start", store=True, precompute=True, index=True)
    stop = fields.Datetime(related="session_id.stop", store=True, precompute=True)
    date = fields.Date(related="session_id.date", store=True, precompute=True)
    location_id = fields.Many2one(related="session_id.location_id", store=True, precompute=True, string="Antenna")
    permanence_id = fields.Many2one(related="session_id.permanence_id", store=True, precompute=True)
    session_state = fields.Selection(related="session_id.state", store=True, precompute=True, string="Session status")
    coverage = fields.Selection(related="session_id.coverage", string="Session coverage")
    company_id = fields.Many2one(related="session_id.company_id", store=True, precompute=True, index=True)
    duration = fields.Float(related="session_id.duration")
    calendar_event_id = fields.Many2one(
        "calendar.event",
        compute="_compute_calendar_event_id",
        help="The session's calendar event, where the volunteer of a held shift is an attendee.",
    )
    is_mine = fields.Boolean(compute="_compute_is_mine")
    can_take = fields.Boolean(compute="_compute_is_mine")

    @api.depends("user_id", "replacement_requested")
    def _compute_state(self):
        for shift in self:
            shift.state = shift_state(shift.user_id, shift.replacement_requested)

    @api.depends("user_id", "session_id.calendar_event_id")
    def _compute_calendar_event_id(self):
        for shift in self:
            shift.calendar_event_id = shift.session_id.calendar_event_id if shift.user_id else False

    @api.depends_context("uid")
    @api.depends("user_id", "role", "state")
    def _compute_is_mine(self):
        user = self.env.user
        for shift in self:
            shift.is_mine = shift.user_id == user
            shift.can_take = (
                shift.state in ("open", "replacement") and not shift.is_mine and self._is_qualified(user, shift.role)
            )

    @api.depends("session_id", "role", "user_id")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for shift in self:
            who = shift.user_id.name or _("open")
            shift.display_name = f"{shift.session_id.display_name} · {roles.get(shift.role, '')} · {who}"

    @api.model
    def _is_qualified(self, user, role):
        return bool(user) and user.has_group(ROLE_GROUPS[role])

    @api.constrains("user_id", "role")
    def _check_qualification(self):
        # Once per volunteer and role: a filled rota holds thousands of shifts
        # and a few dozen volunteers.
        for user, role in {(shift.user_id, shift.role) for shift in self.filtered("user_id")}:
            if not self._is_qualified(user, role):
                raise ValidationError(
                    _(
                        "%(volunteer)s cannot hold a %(role)s shift: interviews are for therapists, "
                        "reception for reception volunteers and therapists.",
                        volunteer=user.name,
                        role=dict(self._fields["role"]._description_selection(self.env))[role],
                    )
                )

    @api.constrains("user_id", "start", "stop", "session_state")
    def _check_overlap(self):
        shifts = self.filtered(lambda shift: shift.user_id and shift.session_state == "planned")
        if not shifts:
            return
        # The search below writes the new holders: their status too, in the
        # same UPDATE (not in a second one at the commit).
        shifts.flush_recordset()
        held = self.search_read(
            [
                ("user_id", "in", shifts.user_id.ids),
                ("session_state", "=", "planned"),
                ("start", "<", max(shifts.mapped("stop"))),
                ("stop", ">", min(shifts.mapped("start"))),
            ],
            ["user_id", "start", "stop"],
            load=None,
        )
        by_user = {}
        for shift in held:
            by_user.setdefault(shift["user_id"], []).append((shift["start"], shift["stop"], shift["id"]))
        checked = set(shifts.ids)
        for intervals in by_user.values():
            for start, stop, shift_id in intervals:
                if shift_id not in checked:
                    continue
                for other_start, other_stop, other_id in intervals:
                    if other_id != shift_id and other_start < stop and start < other_stop:
                        self._raise_overlap(self.browse(shift_id), self.browse(other_id))

    def _raise_overlap(self, shift, other):
        raise ValidationError(
            _(
                "%(volunteer)s already has a shift at that time (%(other)s): "
                "a volunteer cannot be in two sessions at once.",
                volunteer=shift.user_id.name,
                other=other.session_id.display_name,
            )
        )

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        label_week_groups(self, rows_dict, lazy_groupby)
        return result

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(COORDINATOR):
            self._check_own_shift_write(vals)
        if "user_id" in vals and "replacement_requested" not in vals:
            vals = dict(vals, replacement_requested=False, replacement_reason=False)
        result = super().write(vals)
        if {"user_id", "role"} & set(vals):
            self.session_id._psys_mirror_later()
        return result

    @api.model_create_multi
    def create(self, vals_list):
        shifts = super().create(vals_list)
        shifts.filtered("user_id").session_id._psys_mirror_later()
        return shifts

    def _add_precomputed_values(self, vals_list):
        """The copies of each new shift's session fields and its status, read
        from the sessions at once: the rows are inserted whole, neither
        updated after nor computed one new record at a time (Odoo's way for
        precomputed fields, which it does for the values left missing here)."""
        ids = {vals["session_id"] for vals in vals_list if vals.get("session_id")}
        sessions = {session.id: session for session in self.env["psys.session"].browse(ids)}
        for vals in vals_list:
            session = sessions.get(vals.get("session_id"))
            if not session:
                continue  # refused by the required session
            copies = {name: session[source] for name, source in SESSION_COPIES.items()}
            vals.update(
                {name: value.id if isinstance(value, models.BaseModel) else value for name, value in copies.items()}
            )
            vals["state"] = shift_state(vals.get("user_id"), vals.get("replacement_requested"))
            vals["__precomputed__"] = {self._fields[name] for name in (*SESSION_COPIES, "state")}
        return super()._add_precomputed_values(vals_list)

    def unlink(self):
        sessions = self.session_id
        result = super().unlink()
        sessions.exists()._psys_mirror_later()
        return result

    def _check_own_shift_write(self, vals):
        """A volunteer takes a shift for herself, and asks for a replacement
        on her own shifts (the policy's ``self_service`` fields only)."""
        if "user_id" in vals and vals["user_id"] != self.env.uid:
            raise AccessError(_("You can take a shift for yourself only, not for someone else."))
        if "user_id" not in vals and any(shift.user_id != self.env.user for shift in self):
            raise AccessError(_("You can ask for a replacement on your own shifts only."))

    # Self-service ----------------------------------------------------------

    def action_sign_up(self):
        """Take an open shift (or one whose holder asked for a replacement)."""
        self._psys_check_action("write", RECEPTION)
        user = self.env.user
        for shift in self:
            if shift.session_state != "planned":
                raise UserError(_("The session %(session)s is cancelled.", session=shift.session_id.display_name))
            if shift.user_id == user:
                continue
            if shift.state == "filled":
                raise UserError(_("This shift is already held by %(volunteer)s.", volunteer=shift.user_id.name))
            previous = shift.user_id
            shift.write({"user_id": user.id})
            if previous:
                shift._psys_notify(
                    previous, _("%(new)s replaces %(old)s on this shift.", new=user.name, old=previous.name)
                )

    def action_take_over(self):
        return self.action_sign_up()

    def action_request_replacement(self, reason=None):
        """Without a reason (the button), open the wizard that asks for it."""
        self._psys_check_action("write", RECEPTION)
        if not reason:
            return self._action_replacement_wizard()
        return self._request_replacement(reason)

    def action_cancel_replacement(self):
        self._psys_check_action("write", RECEPTION)
        self.filtered(lambda shift: shift.user_id == self.env.user or self.env.user.has_group(COORDINATOR)).write(
            {"replacement_requested": False, "replacement_reason": False}
        )
