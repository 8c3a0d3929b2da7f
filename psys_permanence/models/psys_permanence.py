from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.availability import covering
from odoo.addons.psys_base.tools.cron_batch import next_batch
from odoo.addons.psys_base.tools.groups import COORDINATOR, RECEPTION
from odoo.addons.psys_base.tools.policy import Policy
from odoo.addons.psys_base.tools.summary import counted, notification, summary

# Permanences whose sessions the daily job generates per transaction.
SESSION_GENERATION_BATCH = 10

MODALITIES = [
    ("on_site", "On site"),
    ("phone", "Phone"),
    ("outdoor", "Outdoor (walk and talk)"),
    ("group", "Group"),
]


def float_to_time(hours):
    minutes = round(hours * 60)
    return time(minutes // 60, minutes % 60) if minutes < 24 * 60 else time(23, 59)


def format_hours(hours):
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class PsysPermanence(models.Model):
    """A recurring opening of an antenna, with the volunteers it needs.

    Its weekly opening hours are the lines of its own resource calendar
    (``resource_calendar_id``, created with it, in its time zone): one line
    per open day, one session that day. They are changed through the
    permanence (``attendance_ids``), which checks them and moves the planned
    sessions from today on. Its antenna's closing days are the leaves of the
    antenna's calendar (see ``psys.location``)."""

    _name = "psys.permanence"
    _description = "Permanence"
    _psys_policy = Policy(ownership=("resource_calendar_id",))
    _inherit = ["psys.secured", "mail.thread", "psys.calendar.owner"]
    _order = "location_id, id"

    name = fields.Char(required=True, tracking=True)
    location_id = fields.Many2one("psys.location", string="Antenna", required=True, index=True, tracking=True)
    modality = fields.Selection(MODALITIES, required=True, default="on_site", tracking=True)
    resource_calendar_id = fields.Many2one(
        string="Opening calendar",
        readonly=True,
        help="The permanence's own resource calendar: its lines are the weekly opening hours.",
    )
    attendance_ids = fields.One2many(
        related="resource_calendar_id.attendance_ids",
        string="Opening hours",
        readonly=False,
        help="One line per day the permanence opens, in local time: one session that day.",
    )
    opening_summary = fields.Char(string="Schedule", compute="_compute_opening_summary")
    tz = fields.Selection(related="resource_calendar_id.tz", string="Timezone", readonly=False, default="Europe/Paris")
    date_start = fields.Date(string="Valid from", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(string="Valid until", tracking=True, help="Empty: until further notice.")
    need_ids = fields.One2many(
        "psys.permanence.need",
        "permanence_id",
        string="Roles needed",
        copy=True,
        default=lambda self: [
            fields.Command.create({"role": "reception", "count": 1}),
            fields.Command.create({"role": "interview", "count": 1}),
        ],
    )
    volunteer_count = fields.Integer(string="Volunteers per session", compute="_compute_volunteer_count")
    coordinator_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        help="Receives the activities about understaffed sessions.",
    )
    session_ids = fields.One2many("psys.session", "permanence_id", string="Sessions")
    session_count = fields.Integer(compute="_compute_session_count")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)

    @api.depends("need_ids.count")
    def _compute_volunteer_count(self):
        for permanence in self:
            permanence.volunteer_count = sum(permanence.need_ids.mapped("count"))

    @api.depends("attendance_ids.dayofweek", "attendance_ids.hour_from", "attendance_ids.hour_to")
    def _compute_opening_summary(self):
        days = dict(self.env["resource.calendar.attendance"]._fields["dayofweek"]._description_selection(self.env))
        for permanence in self:
            permanence.opening_summary = ", ".join(
                f"{days[line.dayofweek]} {format_hours(line.hour_from)}–{format_hours(line.hour_to)}"
                for line in permanence.attendance_ids.sorted(lambda line: (line.dayofweek, line.hour_from))
            )

    def _compute_session_count(self):
        counts = dict(
            self.env["psys.session"]._read_group([("permanence_id", "in", self.ids)], ["permanence_id"], ["__count"])
        )
        for permanence in self:
            permanence.session_count = counts.get(permanence, 0)

    @api.constrains("attendance_ids", "date_start", "date_end")
    def _check_schedule(self):
        for permanence in self:
            lines = permanence.attendance_ids.filtered(lambda line: not line.display_type)
            for line in lines:
                self._check_hours(permanence.name, line.hour_from, line.hour_to)
            for dayofweek in set(lines.mapped("dayofweek")):
                if len(lines.filtered(lambda line, dayofweek=dayofweek: line.dayofweek == dayofweek)) > 1:
                    days = dict(lines._fields["dayofweek"]._description_selection(self.env))
                    raise ValidationError(
                        _(
                            "The permanence %(name)s opens once a day: give %(day)s one line of hours.",
                            name=permanence.name,
                            day=days[dayofweek],
                        )
                    )
            if permanence.date_end and permanence.date_end < permanence.date_start:
                raise ValidationError(
                    _("The permanence %(name)s is valid until a date before its start.", name=permanence.name)
                )
            if not permanence._get_weekdays():
                raise ValidationError(
                    _("Choose at least one weekday for the permanence %(name)s.", name=permanence.name)
                )

    @api.constrains("need_ids")
    def _check_needs(self):
        for permanence in self:
            if not permanence.need_ids:
                raise ValidationError(
                    _("The permanence %(name)s needs at least one volunteer role.", name=permanence.name)
                )

    @api.constrains("location_id", "attendance_ids", "date_start", "date_end", "active")
    def _check_overlap(self):
        others = self.search([("location_id", "in", self.location_id.ids), ("id", "not in", self.ids)]) | self
        for permanence in self.filtered("active"):
            for other in others:
                if other == permanence or other.location_id != permanence.location_id:
                    continue
                if permanence._overlaps(other):
                    raise ValidationError(
                        _(
                            "The permanences %(name)s and %(other)s overlap at %(place)s: "
                            "an antenna holds one permanence at a time.",
                            name=permanence.name,
                            other=other.name,
                            place=permanence.location_id.name,
                        )
                    )

    def _overlaps(self, other):
        self.ensure_one()
        hours, other_hours = self._get_opening_hours(), other._get_opening_hours()
        if not any(
            hours[day][0] < other_hours[day][1] and other_hours[day][0] < hours[day][1]
            for day in set(hours) & set(other_hours)
        ):
            return False
        end = self.date_end or fields.Date.to_date("9999-12-31")
        other_end = other.date_end or fields.Date.to_date("9999-12-31")
        return self.date_start <= other_end and other.date_start <= end

    @api.model
    def _check_hours(self, name, hour_from, hour_to):
        if not (0 <= hour_from < 24 and 0 < hour_to <= 24):
            raise ValidationError(_("The hours of a permanence are between 00:00 and 24:00."))
        if hour_to <= hour_from:
            raise ValidationError(_("The permanence %(name)s ends before it starts: check its hours.", name=name))

    def _check_opening_commands(self, name, commands):
        """Check the hours of the opening lines that ``commands`` create or
        change, before the calendar receives them (its own check would only
        say that they overlap)."""
        Attendance = self.env["resource.calendar.attendance"]
        for command in commands or []:
            if command[0] not in (fields.Command.CREATE, fields.Command.UPDATE):
                continue
            line = Attendance.browse(command[1]) if command[0] == fields.Command.UPDATE else Attendance
            values = command[2]
            self._check_hours(name, values.get("hour_from", line.hour_from), values.get("hour_to", line.hour_to))

    def _get_opening_hours(self):
        """{Python weekday (Monday = 0): (hour_from, hour_to)}, local hours,
        from the lines of the permanence's resource calendar: one line a day."""
        self.ensure_one()
        return {
            int(line.dayofweek): (line.hour_from, line.hour_to)
            for line in self.attendance_ids.filtered(lambda line: not line.display_type)
        }

    def _psys_closing_calendars(self):
        """The antenna's closing days close its permanences."""
        return self.location_id.resource_calendar_id

    def _get_weekdays(self):
        """Python weekday numbers (Monday = 0) the permanence opens."""
        self.ensure_one()
        return sorted(self._get_opening_hours())

    def _get_session_interval(self, day, opening_hours=None):
        """(start, stop) in naive UTC of the session held on local ``day``
        (``opening_hours``: the permanence's ``_get_opening_hours()``, when
        already read for many days)."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "Europe/Paris")
        bounds = []
        for hours in (opening_hours or self._get_opening_hours())[day.weekday()]:
            if hours >= 24:
                local = datetime.combine(day + timedelta(days=1), time(0, 0))
            else:
                local = datetime.combine(day, float_to_time(hours))
            bounds.append(tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None))
        return tuple(bounds)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for permanence, vals in zip(self, vals_list, strict=True):
            vals.setdefault(
                "attendance_ids",
                [
                    fields.Command.create(
                        {"dayofweek": line.dayofweek, "hour_from": line.hour_from, "hour_to": line.hour_to}
                    )
                    for line in permanence.attendance_ids
                ],
            )
            vals.setdefault("tz", permanence.tz)
        return vals_list

    def write(self, vals):
        if "attendance_ids" in vals:
            for permanence in self:
                self._check_opening_commands(vals.get("name") or permanence.name, vals["attendance_ids"])
        result = super().write(vals)
        if {"attendance_ids", "tz"} & set(vals):
            self._reschedule_future_sessions()
            self._cancel_sessions_on_closed_days()
        if "need_ids" in vals:
            self._resize_future_rotas()
        return result

    @api.model
    def _psys_calendar_values(self, vals):
        """The opening calendar of a new permanence, with the weekly hours
        given as ``attendance_ids`` (checked, and taken out of ``vals``): no
        line, no opening (the constraint asks for one)."""
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        self._check_opening_commands(vals.get("name"), vals.get("attendance_ids"))
        return {
            "name": vals.get("name") or _("Permanence"),
            "company_id": company.id,
            "tz": vals.get("tz") or "Europe/Paris",
            "attendance_ids": vals.pop("attendance_ids", None) or [],
        }

    def _cancel_sessions_on_closed_days(self):
        """A weekday no longer open cancels the planned sessions from today
        on that fall on it (the volunteers are told, their events dropped)."""
        sessions = self._get_future_sessions().filtered(
            lambda session: session.date.weekday() not in session.permanence_id._get_weekdays()
        )
        sessions._cancel(_("the permanence no longer opens on this day of the week."))

    def _get_future_sessions(self):
        return self.env["psys.session"].search(
            [
                ("permanence_id", "in", self.ids),
                ("state", "=", "planned"),
                ("date", ">=", fields.Date.context_today(self)),
            ]
        )

    def _resize_future_rotas(self):
        """New role needs apply to the planned sessions from today on: open
        shifts are added, surplus open shifts removed (held ones stay)."""
        to_create, to_remove = [], self.env["psys.shift"]
        for session in self._get_future_sessions():
            wanted = {need.role: need.count for need in session.permanence_id.need_ids}
            for role in set(wanted) | set(session.shift_ids.mapped("role")):
                shifts = session.shift_ids.filtered(lambda shift, role=role: shift.role == role)
                missing = wanted.get(role, 0) - len(shifts)
                if missing > 0:
                    to_create += [{"session_id": session.id, "role": role}] * missing
                elif missing < 0:
                    to_remove |= shifts.filtered(lambda shift: not shift.user_id)[:-missing]
        to_remove.unlink()
        self.env["psys.shift"].create(to_create)

    def _reschedule_future_sessions(self):
        """New hours apply to the planned sessions from today on (and their calendar events)."""
        for session in self._get_future_sessions():
            if session.date.weekday() not in session.permanence_id._get_weekdays():
                continue  # no longer open that day: cancelled instead
            start, stop = session.permanence_id._get_session_interval(session.date)
            session.write({"start": start, "stop": stop})

    # Generation ----------------------------------------------------------

    def action_generate_sessions(self):
        self._psys_check_action("write", COORDINATOR)
        counts = {}
        self._generate_sessions(counts=counts)
        return notification(self._generation_summary(counts))

    @api.model
    def _generation_summary(self, counts):
        """What a generation did, in words: "3 sessions generated, 1 skipped
        for a public holiday, 2 skipped for closing days, 8 already there." """
        made, holiday = counts.get("made", 0), counts.get("holiday", 0)
        closed, existing = counts.get("closed", 0), counts.get("existing", 0)
        return summary(
            counted(made, _("1 session generated"), _("%(count)s sessions generated", count=made)),
            counted(
                holiday, _("1 skipped for a public holiday"), _("%(count)s skipped for public holidays", count=holiday)
            ),
            counted(closed, _("1 skipped for a closing day"), _("%(count)s skipped for closing days", count=closed)),
            counted(existing, _("1 already there"), _("%(count)s already there", count=existing)),
        )

    def action_view_sessions(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_session_action")
        action["domain"] = [("permanence_id", "=", self.id)]
        action["context"] = {"default_permanence_id": self.id}
        return action

    @api.model
    def _cron_generate_sessions(self):
        """Generate up to the horizon: every permanence, or those of this
        recordset when it is not empty."""
        if self:
            self._generate_sessions()
            return
        # In batches (issue 24): each one commits, the runner calls again.
        next_batch(
            self.search([]),
            "psys_permanence.session_generation_last_id",
            SESSION_GENERATION_BATCH,
            "Session generation",
        )._generate_sessions()

    def _generate_sessions(self, date_from=None, date_to=None, counts=None):
        """Create the missing sessions (and their shifts) between the two dates.

        Idempotent: a day that already has a session of the permanence, even
        a cancelled one, gets nothing new. Without dates: from today to the
        company's horizon. ``counts``, a dict, receives how many opening days
        were ``made``, skipped for a public ``holiday`` or a ``closed``
        antenna, and already had a session (``existing``).
        """
        counts = {} if counts is None else counts
        for key in ("made", "holiday", "closed", "existing"):
            counts.setdefault(key, 0)
        if not self:
            return self.env["psys.session"]
        today = fields.Date.context_today(self)
        date_from = date_from or today
        horizons = {
            company: date_to or today + timedelta(days=company.psys_session_horizon_days) for company in self.company_id
        }
        last = max(horizons.values())
        existing = {
            (permanence.id, day)
            for permanence, day in self.env["psys.session"]
            .with_context(active_test=False)
            ._read_group(
                [("permanence_id", "in", self.ids), ("date", ">=", date_from), ("date", "<=", last)],
                ["permanence_id", "date:day"],
            )
        }
        holidays = self.env["resource.calendar.leaves"]._psys_holiday_dates(self.company_id, date_from, last)
        vals_list = []
        for permanence in self:
            first = max(date_from, permanence.date_start)
            end = min(horizons[permanence.company_id], permanence.date_end or last)
            if first > end:
                continue
            tz = pytz.timezone(permanence._psys_tz())
            window = [tz.localize(datetime.combine(day, time.min)) for day in (first, end + timedelta(days=1))]
            availability = permanence._psys_availability(*window)[permanence.id]
            is_open = covering(availability.open)
            opening_hours, roles = permanence._get_opening_hours(), permanence._get_rota_roles()
            for start, stop, _lines in availability.hours:
                day = start.date()
                if (permanence.id, day) in existing:
                    counts["existing"] += 1
                elif day in holidays[permanence.company_id.id]:
                    counts["holiday"] += 1
                elif not is_open(start, stop):
                    counts["closed"] += 1
                else:
                    vals_list.append(permanence._prepare_session_values(day, opening_hours, roles))
        # Generated in bulk: no creation message nor creator as follower per session.
        sessions = (
            self.env["psys.session"]
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        counts["made"] += len(sessions)
        return sessions.with_env(self.env)

    def _get_rota_roles(self):
        """The role of each shift of a session: one per volunteer needed."""
        self.ensure_one()
        return [need.role for need in self.need_ids for _index in range(need.count)]

    def _prepare_session_values(self, day, opening_hours=None, roles=None):
        """The values of the session of local ``day`` (``opening_hours`` and
        ``roles``: the permanence's, when already read for many days)."""
        self.ensure_one()
        start, stop = self._get_session_interval(day, opening_hours)
        return {
            "permanence_id": self.id,
            "date": day,
            "start": start,
            "stop": stop,
            "shift_ids": [
                fields.Command.create({"role": role}) for role in (self._get_rota_roles() if roles is None else roles)
            ],
        }
