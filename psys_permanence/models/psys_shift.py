from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from odoo.addons.psys_base.tools.groups import COORDINATOR, RECEPTION
from odoo.addons.psys_base.tools.policy import Policy

from .psys_permanence_need import SHIFT_ROLES
from .psys_session import label_week_groups

# Who may hold each role: reception is open to every volunteer (therapists
# imply reception), interviews to therapists only.
ROLE_GROUPS = {
    "reception": "psys_base.group_psys_reception",
    "interview": "psys_base.group_psys_therapist",
}
# How far ahead "Shifts I can take" looks (six months).
TAKEABLE_DAYS = 183


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
    _inherit = ["psys.secured", "mail.thread", "mail.activity.mixin"]
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

    # The coordinator's week grid ------------------------------------------
    #
    # Three RPC endpoints of the grid (static/src/rota_week): the week's
    # shifts in one call, the volunteers free for one shift, and filling it.
    # All three run as the caller, so the access rights and record rules of
    # psys.shift, psys.volunteer.availability and res.users apply; they are
    # the coordinator's, whatever the rules would let another role read.

    @api.model
    def psys_week_grid(self, week_start=None):
        """The week of ``week_start`` (a date; this week when empty):
        antennas × days × roles, the open shifts counted at every level."""
        self._psys_check_action("read", COORDINATOR)
        day = fields.Date.to_date(week_start) if isinstance(week_start, str) and week_start else None
        day = day or fields.Date.context_today(self)
        monday = day - timedelta(days=day.weekday())
        days = [monday + timedelta(days=offset) for offset in range(7)]
        shifts = self.search(
            [
                ("date", ">=", days[0]),
                ("date", "<=", days[-1]),
                ("session_state", "=", "planned"),
                ("company_id", "in", self.env.companies.ids),
            ],
            order="start, location_id, role desc, id",
        )
        roles = dict(self._fields["role"]._description_selection(self.env))
        states = dict(self._fields["state"]._description_selection(self.env))
        to_fill = ("open", "replacement")
        day_open = defaultdict(int)
        antennas = {}
        for shift in shifts:
            location = shift.location_id
            antenna = antennas.setdefault(
                location.id,
                {
                    "id": location.id,
                    "name": location.display_name,
                    "open": 0,
                    "rows": {role: [[] for _day in days] for role in roles},
                },
            )
            # The session's hours where it is held (the permanence's time zone).
            local = self.with_context(tz=shift.permanence_id._psys_tz())
            start = fields.Datetime.context_timestamp(local, shift.start)
            stop = fields.Datetime.context_timestamp(local, shift.stop)
            antenna["rows"][shift.role][(shift.date - monday).days].append(
                {
                    "id": shift.id,
                    "session": shift.permanence_id.display_name,
                    "hours": f"{start:%H:%M}–{stop:%H:%M}",
                    "role": roles[shift.role],
                    "state": shift.state,
                    "state_label": states[shift.state],
                    "volunteer": shift.user_id.name or "",
                }
            )
            if shift.state in to_fill:
                antenna["open"] += 1
                day_open[shift.date] += 1
        _year, week = monday.isocalendar()[:2]
        return {
            "week_start": fields.Date.to_string(monday),
            "previous": fields.Date.to_string(monday - timedelta(days=7)),
            "next": fields.Date.to_string(monday + timedelta(days=7)),
            "title": self.env._(
                "Week %(week)s, %(first)s to %(last)s",
                week=week,
                first=format_date(self.env, days[0], date_format="d MMM"),
                last=format_date(self.env, days[-1], date_format="d MMM yyyy"),
            ),
            "open": sum(day_open.values()),
            "days": [
                {
                    "date": fields.Date.to_string(date),
                    "label": format_date(self.env, date, date_format="EEE d MMM"),
                    "open": day_open[date],
                    "today": date == fields.Date.context_today(self),
                }
                for date in days
            ],
            "antennas": [
                dict(
                    antenna,
                    rows=[{"role": role, "label": roles[role], "cells": antenna["rows"][role]} for role in roles],
                )
                for antenna in sorted(antennas.values(), key=lambda antenna: antenna["name"])
            ],
        }

    def psys_candidates(self):
        """The volunteers the coordinator may put on this shift: ``[{id, name}]``."""
        self._psys_check_action("write", COORDINATOR)
        self.ensure_one()
        return [{"id": user.id, "name": user.name} for user in self._psys_available_users()[self.id]]

    def psys_fill(self, volunteer_id=None):
        """Put ``volunteer_id`` on this shift, if free for it (the grid's one click)."""
        self._psys_check_action("write", COORDINATOR)
        self.ensure_one()
        if self.session_state != "planned":
            raise UserError(_("The session %(session)s is cancelled.", session=self.session_id.display_name))
        volunteer = self.env["res.users"].browse(volunteer_id if isinstance(volunteer_id, int) else [])
        if not volunteer or volunteer not in self._psys_available_users()[self.id]:
            raise UserError(
                _(
                    "%(volunteer)s is not available for %(shift)s: pick a volunteer from the list.",
                    volunteer=volunteer.name or _("Nobody"),
                    shift=self.display_name,
                )
            )
        previous = self.user_id
        self.write({"user_id": volunteer.id})
        if previous and previous != volunteer:
            self._psys_notify(
                previous, _("%(new)s replaces %(old)s on this shift.", new=volunteer.name, old=previous.name)
            )
        return True

    def _psys_available_users(self):
        """``{shift id: users}``: the volunteers qualified for each shift's
        role, who declared themselves available that day, at that antenna and
        for that role (psys.volunteer.availability and its unavailable dates),
        below their monthly maximum, not on another shift of the session nor
        on any shift overlapping it. Read as the caller."""
        result = {shift.id: self.env["res.users"] for shift in self}
        shifts = self.filtered(lambda shift: shift.session_state == "planned")
        if not shifts:
            return result
        qualified = {role: self.env.ref(group).users for role, group in ROLE_GROUPS.items()}
        availabilities = self.env["psys.volunteer.availability"].search(
            [("user_id", "in", qualified["reception"].ids), ("company_id", "in", shifts.company_id.ids)]
        )
        first = min(shifts.mapped("date")).replace(day=1)
        last = max(shifts.mapped("date")) + timedelta(days=31)
        held = self.search_read(
            [
                ("user_id", "in", availabilities.user_id.ids),
                ("session_state", "=", "planned"),
                ("date", ">=", first - timedelta(days=1)),
                ("date", "<=", last),
            ],
            ["user_id", "session_id", "start", "stop", "date"],
            load=None,
        )
        monthly = defaultdict(int)
        held_by_user = defaultdict(list)
        for row in held:
            monthly[(row["user_id"], row["date"].year, row["date"].month)] += 1
            held_by_user[row["user_id"]].append(row)
        for shift in shifts:
            users = self.env["res.users"]
            for availability in availabilities:
                user = availability.user_id
                if (
                    availability.company_id != shift.company_id
                    or user not in qualified[shift.role]
                    or not availability._accepts(shift.session_id, shift.role)
                    or user == shift.user_id
                ):
                    continue
                if availability.max_shifts_month and (
                    monthly[(user.id, shift.date.year, shift.date.month)] >= availability.max_shifts_month
                ):
                    continue
                if any(
                    row["session_id"] == shift.session_id.id
                    or (row["start"] < shift.stop and shift.start < row["stop"])
                    for row in held_by_user[user.id]
                ):
                    continue
                users |= user
            result[shift.id] = users.sorted("name")
        return result

    # Replacements: asked with a reason, offered to the volunteers who can
    # take the shift, and the shifts a volunteer can take.

    is_takeable = fields.Boolean(
        string="I can take it",
        compute="_compute_is_takeable",
        search="_search_is_takeable",
        help="Open or offered, for a role I hold, at an antenna and on a day I declared available.",
    )

    colleague_ids = fields.Many2many(
        "res.users", string="Colleagues", compute="_compute_colleague_ids", help="The other volunteers of the session."
    )

    @api.depends("session_id.shift_ids.user_id", "user_id")
    def _compute_colleague_ids(self):
        for shift in self:
            shift.colleague_ids = shift.session_id.shift_ids.user_id - shift.user_id

    @api.depends_context("uid")
    def _compute_is_takeable(self):
        takeable = set(self._get_takeable_ids(self.ids))
        for shift in self:
            shift.is_takeable = shift.id in takeable

    def _search_is_takeable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on the shifts one can take."))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", self._get_takeable_ids())]

    @api.model
    def _get_takeable_ids(self, ids=None):
        user = self.env.user
        roles = [role for role, group in ROLE_GROUPS.items() if user.has_group(group)]
        if not roles:
            return []
        today = fields.Date.context_today(self)
        domain = [
            ("state", "in", ("open", "replacement")),
            ("session_state", "=", "planned"),
            ("user_id", "!=", user.id),
            ("role", "in", roles),
            ("date", ">=", today),
            ("date", "<=", today + timedelta(days=TAKEABLE_DAYS)),
        ]
        if ids is not None:
            domain.append(("id", "in", ids))
        shifts = self.search(domain)
        # Never a shift at the time of one I already hold (the other role of
        # my own session included): taking it would fail on saving.
        held = shifts and self.search(
            [
                ("user_id", "=", user.id),
                ("session_state", "=", "planned"),
                ("start", "<", max(shifts.mapped("stop"))),
                ("stop", ">", min(shifts.mapped("start"))),
            ]
        )
        if held:
            shifts = shifts.filtered(lambda shift: not shift._overlaps_any(held))
        availabilities = {
            availability.company_id: availability
            for availability in self.env["psys.volunteer.availability"].search([("user_id", "=", user.id)])
        }
        return [
            shift.id
            for shift in shifts
            if (availability := availabilities.get(shift.company_id))
            and availability._accepts(shift.session_id, shift.role)
        ]

    def _overlaps_any(self, shifts):
        """Whether this shift's time meets one of ``shifts`` (its session's
        other roles included)."""
        self.ensure_one()
        return any(other.start < self.stop and self.start < other.stop for other in shifts if other != self)

    def _get_replacement_candidates(self):
        """The volunteers who could take the shift: qualified for its role,
        in its association, declared available for it, other than its holder."""
        self.ensure_one()
        group = self.env.ref(ROLE_GROUPS[self.role])
        # sudo: the availabilities of the association's volunteers are read to
        # choose whom to tell; nothing of them is returned to the caller.
        availabilities = (
            self.env["psys.volunteer.availability"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("user_id.groups_id", "in", group.ids)])
        )
        # Not whoever already holds a shift at that time (this session's other
        # role included): the caller reads the rota like every volunteer.
        busy = self.search(
            [
                ("user_id", "in", availabilities.user_id.ids),
                ("session_state", "=", "planned"),
                ("start", "<", self.stop),
                ("stop", ">", self.start),
                ("id", "!=", self.id),
            ]
        ).user_id
        availabilities = availabilities.filtered(
            lambda availability: availability.user_id != self.user_id and availability.user_id not in busy
        )
        return availabilities.filtered(lambda availability: availability._accepts(self.session_id, self.role)).user_id

    def _psys_notify(self, users, body):
        """Tell ``users`` in the shift's chatter: by e-mail or inbox when they
        can receive it, by an activity (no e-mail) otherwise — never a failed
        e-mail ("Impossible d'envoyer le message")."""
        self.ensure_one()
        reachable = users.filtered(lambda user: user.notification_type == "inbox" or user.partner_id.email)
        author = self.env.user.partner_id
        # A volunteer without an e-mail address still writes in the chatter:
        # the association's address is the sender of the e-mails.
        email_from = author.email_formatted or self.company_id.partner_id.email_formatted
        # sudo: only when neither has an address (mail refuses a message without
        # sender); the message is the caller's own, on a shift they may read.
        thread = self if email_from else self.sudo()
        thread.message_post(
            body=body,
            author_id=author.id,
            email_from=email_from or False,
            partner_ids=reachable.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        for user in users - reachable:
            # sudo: the activity is addressed to a volunteer of the shift's
            # association, about this shift only, by a caller allowed to post on it.
            self.sudo().with_context(mail_activity_quick_update=True).activity_schedule(
                activity_type_id=todo.id,
                user_id=user.id,
                date_deadline=self.date,
                summary=body,
            )

    def _request_replacement(self, reason):
        """Ask for a replacement with a reason and tell the volunteers who could take it."""
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the replacement: the volunteers receive it."))
        for shift in self:
            if shift.user_id != self.env.user and not self.env.user.has_group(COORDINATOR):
                raise UserError(_("You can ask for a replacement on your own shifts only."))
            if not shift.user_id:
                raise UserError(_("Nobody holds this shift yet: it is already open."))
        self.write({"replacement_requested": True, "replacement_reason": reason})
        roles = dict(self._fields["role"]._description_selection(self.env))
        for shift in self:
            shift._psys_notify(
                shift._get_replacement_candidates(),
                _(
                    "%(volunteer)s is looking for a replacement (%(role)s, %(session)s): %(reason)s. "
                    "Open the shift to take it.",
                    volunteer=shift.user_id.name,
                    role=roles[shift.role],
                    session=shift.session_id.display_name,
                    reason=reason,
                ),
            )
        return True

    def action_ask_volunteers(self):
        """Coordinator: offer open shifts to the volunteers who could take them."""
        self._psys_check_action("write", COORDINATOR)
        roles = dict(self._fields["role"]._description_selection(self.env))
        asked = self.filtered(lambda shift: shift.state != "filled" and shift.session_state == "planned")
        for shift in asked:
            shift._psys_notify(
                shift._get_replacement_candidates(),
                _(
                    "A volunteer is wanted (%(role)s, %(session)s): open the shift to take it.",
                    role=roles[shift.role],
                    session=shift.session_id.display_name,
                ),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s shift(s) offered to the volunteers available.", count=len(asked)),
            },
        }

    def _action_replacement_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Ask for a replacement"),
            "res_model": "psys.shift.replacement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_shift_ids": self.ids},
        }
