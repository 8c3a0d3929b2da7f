from datetime import datetime, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.tools.french_holidays import is_french_public_holiday
from odoo.addons.psys_base.tools.policy import FORM, Policy

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

    def _get_workshop_dates(self):
        """The day of each workshop: the period cut in equal parts, one
        workshop at the start of each part, on the next working day (no
        weekend, no public holiday) while the period lasts."""
        cycle = self.cycle_id
        span = (cycle.date_end - cycle.date_start).days + 1
        step = span / self.workshop_count
        return [
            self._working_day(cycle.date_start + timedelta(days=int(index * step)), cycle.date_end)
            for index in range(self.workshop_count)
        ]

    @staticmethod
    def _working_day(day, last):
        candidate = day
        while candidate <= last and (candidate.weekday() >= 5 or is_french_public_holiday(candidate)):
            candidate += timedelta(days=1)
        return candidate if candidate <= last else day

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
        events = self.env["event.event"].create(
            [self._get_event_values(index, day) for index, day in enumerate(self._get_workshop_dates())]
        )
        self.env["psys.workshop.interview"].create(
            [values for event in events for values in self._get_interview_values(event)]
        )
        return cycle.action_view_workshops()
