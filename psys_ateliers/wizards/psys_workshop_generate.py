from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.tools.policy import FORM, Policy
from odoo.addons.psys_base.tools.summary import counted, notification, summary
from odoo.addons.resource.models.utils import Intervals

from ..models.psys_workshop_cycle import FACILITATOR

DEFAULT_TZ = "Europe/Paris"


class PsysWorkshopGenerate(models.TransientModel):
    _name = "psys.workshop.generate"
    _inherit = ["psys.secured"]
    _description = "Generate the workshops of a cycle"
    _psys_policy = Policy(company=None, shared=FORM)

    cycle_id = fields.Many2one("psys.workshop.cycle", required=True, ondelete="cascade")
    workshop_count = fields.Integer(string="Number of workshops", required=True, default=4)
    start_hour = fields.Float(string="Start time", required=True, default=14.0)
    duration = fields.Float(string="Workshop duration (hours)", required=True, default=2.0)
    location_id = fields.Many2one(
        "psys.location",
        string="Place",
        required=True,
    )
    interview_block = fields.Float(
        string="Interview block (hours)",
        required=True,
        default=1.5,
        help="Time kept after each workshop for individual interviews.",
    )
    interview_duration = fields.Float(string="Interview duration (hours)", required=True, default=0.5)
    tz = fields.Selection(
        "_tz_get",
        string="Time zone",
        required=True,
        default=lambda self: self.env.user.tz or DEFAULT_TZ,
    )

    @api.model
    def _tz_get(self):
        return [(tz, tz) for tz in sorted(pytz.all_timezones, key=lambda tz: tz if not tz.startswith("Etc/") else "_")]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        cycle = self.env["psys.workshop.cycle"].browse(values.get("cycle_id"))
        if "location_id" in fields_list and not values.get("location_id") and cycle.location_id:
            values["location_id"] = cycle.location_id.id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("location_id") and vals.get("cycle_id"):
                cycle = self.env["psys.workshop.cycle"].browse(vals["cycle_id"])
                vals["location_id"] = cycle.location_id.id
        return super().create(vals_list)

    @api.onchange("cycle_id")
    def _onchange_cycle_id(self):
        if self.cycle_id.location_id:
            self.location_id = self.cycle_id.location_id

    def _check_inputs(self):
        self.ensure_one()
        cycle = self.cycle_id
        if cycle.date_end < cycle.date_start:
            raise UserError(_("The cycle ends before it starts: fix its period before generating workshops."))
        if self.workshop_count < 1:
            raise UserError(_("Generate at least one workshop."))
        if not 0 < self.duration <= 12:
            raise UserError(_("A workshop lasts more than 0 and at most 12 hours."))
        if not 0 <= self.start_hour < 24:
            raise UserError(_("The start time must be between 00:00 and 23:59."))
        if self.interview_duration <= 0 or self.interview_block < 0:
            raise UserError(_("The interviews and their block need a positive duration."))
        if self.interview_block and self.interview_duration > self.interview_block:
            raise UserError(
                _(
                    "An interview of %(interview)s h does not fit in a block of %(block)s h: "
                    "lengthen the block or shorten the interviews.",
                    interview=self.interview_duration,
                    block=self.interview_block,
                )
            )
        if not cycle.audience_ids:
            raise UserError(_("Set the order of the audiences of the cycle first."))
        span = (cycle.date_end - cycle.date_start).days + 1
        if self.workshop_count > span:
            raise UserError(
                _(
                    "%(count)s workshops do not fit in a period of %(days)s days.",
                    count=self.workshop_count,
                    days=span,
                )
            )

    def _get_workshop_dates(self, counts=None):
        """The day of each workshop: the period cut in equal parts, one
        workshop at the start of each part, moved to the next open day
        while the period lasts: no weekend, no public holiday, no closing
        day of the place or of the association over the workshop's hours
        and its interviews, and after the workshop before it. ``counts``, a
        dict, receives how many were moved for a public ``holiday`` or a
        ``closed`` place (a weekend is no news)."""
        cycle = self.cycle_id
        counts = {} if counts is None else counts
        for key in ("holiday", "closed"):
            counts.setdefault(key, 0)
        span = (cycle.date_end - cycle.date_start).days + 1
        step = span / self.workshop_count
        closed = self._get_closed_intervals()
        holidays = self.env["resource.calendar.leaves"]._psys_holiday_dates(
            cycle.company_id, cycle.date_start, cycle.date_end
        )[cycle.company_id.id]
        days = []
        for index in range(self.workshop_count):
            day = cycle.date_start + timedelta(days=int(index * step))
            if days and day <= days[-1]:
                day = days[-1] + timedelta(days=1)
            reason = None
            while day <= cycle.date_end and (day.weekday() >= 5 or day in holidays or self._is_closed(day, closed)):
                if day.weekday() < 5 and not reason:
                    reason = "holiday" if day in holidays else "closed"
                day += timedelta(days=1)
            if day > cycle.date_end:
                raise UserError(
                    _(
                        "Workshop %(number)s finds no open day of the place left before the end of the cycle "
                        "(%(date)s): lengthen the period, or generate fewer workshops.",
                        number=index + 1,
                        date=fields.Date.to_string(cycle.date_end),
                    )
                )
            if reason:
                counts[reason] += 1
            days.append(day)
        return days

    def _get_closed_intervals(self):
        """When the place is closed over the cycle's period, as ``Intervals``:
        its days off by the availability engine (the leaves of the place's
        calendar and the association's company-wide ones, public holidays
        included)."""
        cycle, location = self.cycle_id, self.location_id
        if not location.resource_calendar_id:
            return Intervals()
        tz = pytz.timezone(self.tz)
        start = tz.localize(datetime.combine(cycle.date_start, time.min))
        stop = tz.localize(datetime.combine(cycle.date_end + timedelta(days=1), time.min))
        return location._psys_availability(start, stop)[location.id].closed

    def _is_closed(self, day, closed):
        """Whether ``closed`` takes any of the hours of a workshop on ``day`` (its interviews too)."""
        tz = pytz.timezone(self.tz)
        begin = tz.localize(datetime.combine(day, time.min) + timedelta(hours=self.start_hour))
        end = begin + timedelta(hours=self.duration + self.interview_block)
        return bool(Intervals([(begin, end, self.env["resource.calendar.leaves"])]) & closed)

    def _to_utc(self, day, hour):
        local = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
        return pytz.timezone(self.tz).localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _get_event_values(self, index, day):
        cycle = self.cycle_id
        audiences = cycle.audience_ids.mapped("audience")
        audience = audiences[index % len(audiences)]
        labels = dict(self.env["psys.workshop.cycle.audience"]._fields["audience"]._description_selection(self.env))
        begin = self._to_utc(day, self.start_hour)
        return {
            "name": _(
                "%(cycle)s – workshop %(number)s/%(total)s (%(audience)s)",
                cycle=cycle.name,
                number=index + 1,
                total=self.workshop_count,
                audience=labels[audience],
            ),
            "psys_cycle_id": cycle.id,
            "psys_sequence": index + 1,
            "psys_audience": audience,
            "psys_location_id": self.location_id.id,
            "psys_facilitator_ids": [(6, 0, cycle.user_ids.ids)],
            "psys_survey_id": cycle.survey_id.id,
            "address_id": self.location_id.host_partner_id.id,
            "user_id": (cycle.user_ids[:1] or self.env.user).id,
            "company_id": cycle.company_id.id,
            "date_tz": self.tz,
            "date_begin": begin,
            "date_end": begin + timedelta(hours=self.duration),
        }

    def _get_interview_values(self, event):
        slots = int(round(self.interview_block / self.interview_duration, 6))
        return [
            {
                "event_id": event.id,
                "date_start": event.date_end + timedelta(hours=slot * self.interview_duration),
                "duration": self.interview_duration,
            }
            for slot in range(slots)
        ]

    def action_generate(self):
        self.ensure_one()
        self._psys_check_action("write", FACILITATOR)
        self.cycle_id._psys_check_action("write")
        self._check_inputs()
        cycle = self.cycle_id
        counts = {}
        events = self.env["event.event"].create(
            [self._get_event_values(index, day) for index, day in enumerate(self._get_workshop_dates(counts))]
        )
        self.env["psys.workshop.interview"].create(
            [values for event in events for values in self._get_interview_values(event)]
        )
        return notification(self._generation_summary(len(events), counts), cycle.action_view_workshops())

    @api.model
    def _generation_summary(self, made, counts):
        """What a generation did, in words: "4 workshops generated, 1 moved
        to the next open day for a public holiday." """
        holiday, closed = counts.get("holiday", 0), counts.get("closed", 0)
        return summary(
            counted(made, _("1 workshop generated"), _("%(count)s workshops generated", count=made)),
            counted(
                holiday,
                _("1 moved to the next open day for a public holiday"),
                _("%(count)s moved to the next open day for public holidays", count=holiday),
            ),
            counted(
                closed,
                _("1 moved to the next open day for a closing day"),
                _("%(count)s moved to the next open day for closing days", count=closed),
            ),
        )
