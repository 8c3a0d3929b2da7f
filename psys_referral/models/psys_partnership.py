from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.tools.availability import busy_intervals, covering, overlapping
from odoo.addons.psys_base.tools.cron_batch import next_batch
from odoo.addons.psys_base.tools.groups import COORDINATOR, PRACTITIONERS, RECEPTION, THERAPIST
from odoo.addons.psys_base.tools.policy import Policy
from odoo.addons.psys_base.tools.summary import counted, notification, summary
from odoo.addons.resource.models.utils import Intervals

# Slots are generated for at most this many days at once.
MAX_SLOT_DAYS = 366
# Partnerships whose slots the daily job brings in line per transaction.
SLOT_GENERATION_BATCH = 10


class PsysPartnership(models.Model):
    _name = "psys.partnership"
    _description = "Partnership with a partner structure"
    _psys_policy = Policy(owner="practitioner_id", ownership=("structure_id", "resource_calendar_id"))
    _inherit = ["psys.secured", "mail.thread", "psys.calendar.owner"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    practitioner_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        default=lambda self: self._default_practitioner_id(),
        help="Empty when the association itself holds the partnership.",
    )
    structure_id = fields.Many2one(
        "res.partner",
        string="Partner structure",
        required=True,
        index=True,
        tracking=True,
        domain=[("psys_structure_type", "!=", False)],
    )
    location_id = fields.Many2one("psys.location", string="Room", required=True)
    resource_calendar_id = fields.Many2one(
        string="On-site calendar",
        help="The practitioner's days and hours on site for this partnership; "
        "her leaves and the closing days are taken from it.",
    )
    attendance_ids = fields.One2many(
        related="resource_calendar_id.attendance_ids", string="On-site schedule", readonly=False
    )
    slot_duration = fields.Float(string="Slot length (hours)", default=1.0, required=True)
    date_start = fields.Date(string="Valid from", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(string="Valid until", tracking=True)
    session_quota = fields.Integer(
        string="Sessions before a relay",
        default=5,
        help="After this many sessions a person is proposed a relay to another partner.",
    )
    allow_home_visits = fields.Boolean(string="Home visits")
    booking_user_ids = fields.Many2many(
        "res.users",
        "psys_partnership_booking_user_rel",
        "partnership_id",
        "user_id",
        string="Staff allowed to book",
        domain=[("share", "=", True)],
        help="Portal users of the structure who may book slots for the people they refer.",
    )
    slot_ids = fields.One2many("psys.slot", "partnership_id", string="Slots")
    booking_count = fields.Integer(compute="_compute_booking_count")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)

    def _compute_booking_count(self):
        counts = dict(
            self.env["psys.booking"]._read_group([("partnership_id", "in", self.ids)], ["partnership_id"], ["__count"])
        )
        for partnership in self:
            partnership.booking_count = counts.get(partnership, 0)

    @api.constrains("date_start", "date_end", "slot_duration", "session_quota")
    def _check_values(self):
        for partnership in self:
            if partnership.date_end and partnership.date_end < partnership.date_start:
                raise ValidationError(_("A partnership cannot end before it starts."))
            if not 0 < partnership.slot_duration <= 8:
                raise ValidationError(_("A slot lasts more than 0 and at most 8 hours."))
            if partnership.session_quota < 1:
                raise ValidationError(_("The session quota before a relay is at least 1."))

    @api.constrains("booking_user_ids", "structure_id")
    def _check_booking_users(self):
        for partnership in self:
            strangers = partnership.booking_user_ids.filtered(
                lambda user, partnership=partnership: user.commercial_partner_id != partnership.structure_id
            )
            if strangers:
                raise ValidationError(
                    _(
                        "%(users)s do not work for %(structure)s: only the structure's staff may book.",
                        users=", ".join(strangers.mapped("name")),
                        structure=partnership.structure_id.name,
                    )
                )

    @api.model
    def _psys_calendar_values(self, vals):
        """The on-site calendar of a new partnership, with the on-site hours
        given as ``attendance_ids`` (taken out of ``vals``), or none: no
        working week by default."""
        practitioner = self.env["res.users"].browse(vals.get("practitioner_id"))
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        return {
            "name": vals.get("name") or _("On-site days"),
            "company_id": company.id,
            "tz": practitioner.tz or self.env.user.tz or "Europe/Paris",
            "attendance_ids": vals.pop("attendance_ids", None) or [],
        }

    # Slots -----------------------------------------------------------------

    def _get_tz(self):
        self.ensure_one()
        return pytz.timezone(self._psys_tz())

    def _psys_tz(self):
        """Her hours are in the practitioner's time zone."""
        self.ensure_one()
        return self.practitioner_id.tz or self.env.user.tz or "Europe/Paris"

    def _psys_closing_calendars(self):
        """The closing days of the place close its room too."""
        return self.location_id.resource_calendar_id

    @api.model
    def _default_practitioner_id(self):
        """A practitioner's new partnership is hers; a coordinator's is the
        association's until she names its practitioner."""
        user = self.env.user
        if user.has_group(THERAPIST) and not user.has_group(COORDINATOR):
            return user
        return self.env["res.users"]

    def _psys_commitments(self, users, events):
        """(practitioner, event) for each of ``events`` (read as dicts) that
        is a commitment of hers: one she organises, or one she accepted from
        an organiser of her own association or from psys's calendar mirror
        (a session where she holds a shift). An event someone else puts in
        her calendar takes none of her free slots."""
        partner_user = {user.partner_id.id: user for user in users}
        # sudo: whether she accepted, and the organisers' companies; nothing else is read.
        accepted = {
            (row["event_id"][0], row["partner_id"][0])
            for row in self.env["calendar.attendee"]
            .sudo()
            .search_read(
                [
                    ("event_id", "in", [event["id"] for event in events]),
                    ("partner_id", "in", list(partner_user)),
                    ("state", "=", "accepted"),
                ],
                ["event_id", "partner_id"],
            )
        }
        organisers = self.env["res.users"].sudo().browse({event["user_id"][0] for event in events if event["user_id"]})
        companies = {organiser.id: organiser.company_id for organiser in organisers}
        for event in events:
            organiser = event["user_id"] and event["user_id"][0]
            for partner_id in event["partner_ids"]:
                user = partner_user.get(partner_id)
                if not user:
                    continue
                company = companies.get(organiser)
                mirrored = event["psys_mirror"]
                if organiser == user.id or (
                    (event["id"], partner_id) in accepted and (mirrored or (company and company in user.company_ids))
                ):
                    yield user, event

    def _get_busy_intervals(self, start, stop):
        """What the practitioners of these partnerships already do in
        [start, stop] (UTC naive), by user: the calendar events they attend
        (not those mirroring a psys booking, counted as bookings) and the
        active bookings of every one of their partnerships. Their leaves and
        closing days come from the resource calendars, see
        ``_get_slot_candidates``. Two queries, whatever the number of
        events and bookings."""
        users = self.practitioner_id
        busy = {user: [] for user in users}
        if not users:
            return busy
        events = (
            self.env["calendar.event"]
            .sudo()
            .search_read(
                # sudo: only the start/stop of the practitioner's own commitments
                # are read, to remove them from the bookable slots.
                [
                    ("partner_ids", "in", users.partner_id.ids),
                    ("start", "<", stop),
                    ("stop", ">", start),
                    "|",
                    ("res_model", "=", False),
                    ("res_model", "!=", "psys.booking"),
                ],
                ["start", "stop", "partner_ids", "user_id", "psys_mirror"],
            )
        )
        for user, event in self._psys_commitments(users, events):
            busy[user].append((event["start"], event["stop"]))
        bookings = (
            self.env["psys.booking"]
            .sudo()
            .with_context(active_test=False)
            .search_read(
                # sudo: only the times of the practitioner's appointments are
                # read, whichever partnership (and structure) they belong to.
                [
                    ("practitioner_id", "in", users.ids),
                    ("state", "!=", "cancelled"),
                    ("start", "<", stop),
                    ("stop", ">", start),
                ],
                ["start", "stop", "practitioner_id"],
            )
        )
        for booking in bookings:
            busy[users.browse(booking["practitioner_id"][0])].append((booking["start"], booking["stop"]))
        return busy

    def _get_practitioner_resources(self, users=None):
        """The resource of each practitioner of these partnerships (or of
        ``users``), created when missing: her own leaves are attached to it."""
        users = self.practitioner_id if users is None else users
        # sudo: a practitioner's resource only carries her name, time zone and
        # leaves; creating it gives nobody any right.
        Resource = self.env["resource.resource"].sudo().with_context(active_test=False)
        resources = {resource.user_id: resource for resource in Resource.search([("user_id", "in", users.ids)])}
        missing = users.filtered(lambda user: user not in resources)
        if missing:
            created = Resource.create(
                [
                    {
                        "name": user.name,
                        "user_id": user.id,
                        "tz": user.tz or "Europe/Paris",
                        "company_id": user.company_id.id,
                        "calendar_id": False,
                    }
                    for user in missing
                ]
            )
            resources.update({resource.user_id: resource for resource in created})
        return resources

    def _get_slot_candidates(self, date_from, date_to, counts=None):
        """Bookable (partnership, start, stop, home_visit) in [date_from, date_to] (dates).

        ``counts``, a dict, receives per partnership id how many slots of
        its hours were left out: on public holidays (``holiday``), in a
        leave or a closing day (``closed``), at the practitioner's other
        commitments (``busy``).

        The availability engine (``_psys_availability``) of each partnership:
        its on-site hours (its resource calendar, in the practitioner's time
        zone) minus its days off (the association's, public holidays
        included, the partnership calendar's and the place's), minus one
        busy set shared by all her partnerships: her own leaves, her calendar
        commitments, the bookings of every partnership, and the slots already
        given to her other partnerships here (the oldest partnership first),
        so that no two of her slots overlap."""
        holidays = self.env["resource.calendar.leaves"]._psys_holiday_dates(self.company_id, date_from, date_to)
        start_utc = datetime.combine(date_from, time.min) - timedelta(days=1)
        stop_utc = datetime.combine(date_to, time.max) + timedelta(days=1)
        nothing = self.env["resource.calendar.leaves"]
        busy = self._get_busy_intervals(start_utc, stop_utc)
        resources = self._get_practitioner_resources()
        # Her own leaves with their real hours (Odoo stretches a leave of a
        # resource without working hours to whole days), as the check that
        # refuses a leave over her appointments reads them.
        leaves = self._get_resource_leaves(list(resources.values()), start_utc, stop_utc)
        own_leaves = {user: Intervals(leaves.get(resource.id, [])) for user, resource in resources.items()}
        taken = {
            user: busy_intervals(periods, nothing) | own_leaves.get(user, Intervals()) for user, periods in busy.items()
        }
        candidates = []
        for partnership in self.sorted("id"):
            first = max(date_from, partnership.date_start)
            last = min(date_to, partnership.date_end) if partnership.date_end else date_to
            if not partnership.resource_calendar_id or first > last:
                continue
            tz = partnership._get_tz()
            user = partnership.practitioner_id
            window = [tz.localize(datetime.combine(day, time.min)) for day in (first, last + timedelta(days=1))]
            skipped = (counts if counts is not None else {}).setdefault(
                partnership.id, {"holiday": 0, "closed": 0, "busy": 0}
            )
            step = timedelta(hours=partnership.slot_duration)
            accepted = []
            # On-site and home-visit hours apart (a slot says which), only those the calendar has.
            for home_visit in sorted(set(partnership.attendance_ids.mapped("psys_home_visit"))):
                availability = partnership._psys_availability(
                    *window, busy=taken.get(user), lines=[("psys_home_visit", "=", home_visit)]
                )[partnership.id]
                is_open = covering(availability.open)
                is_closed = overlapping(availability.closed | own_leaves.get(user, Intervals()))
                for day_start, day_stop, _lines in availability.hours:
                    holiday = day_start.date() in holidays[partnership.company_id.id]
                    # Cut in UTC: each slot lasts its real duration, summer time or not.
                    start, end = day_start.astimezone(pytz.utc), day_stop.astimezone(pytz.utc)
                    while start + step <= end:
                        stop = start + step
                        if holiday:
                            skipped["holiday"] += 1
                        elif is_open(start, stop):
                            candidates.append(
                                (partnership, start.replace(tzinfo=None), stop.replace(tzinfo=None), home_visit)
                            )
                            accepted.append((start, stop, nothing))
                        elif is_closed(start, stop):
                            skipped["closed"] += 1
                        else:
                            skipped["busy"] += 1
                        start = stop
            if user:
                taken[user] = taken.get(user, Intervals()) | Intervals(accepted)
        return candidates

    @api.model
    def _get_resource_leaves(self, resources, start, stop):
        """{resource id: [(start, stop, leave)]} of these resources' own
        leaves over [start, stop] (UTC naive), with their real hours, in one
        query."""
        # sudo: the dates of the practitioners' leaves only, to remove them from their slots.
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "in", [resource.id for resource in resources]),
                    ("time_type", "=", "leave"),
                    ("date_from", "<", stop),
                    ("date_to", ">", start),
                ]
            )
        )
        found = {}
        for leave in leaves:
            found.setdefault(leave.resource_id.id, []).append(
                (pytz.utc.localize(leave.date_from), pytz.utc.localize(leave.date_to), leave)
            )
        return found

    def _get_practitioner_partnerships(self):
        """These partnerships and every other active one of the same
        practitioners: their slots are computed together."""
        if not self.practitioner_id:
            return self
        # sudo: the other partnerships of the practitioner are needed for her
        # busy set, whoever asks; only their slots are brought in line.
        return self | self.sudo().search([("practitioner_id", "in", self.practitioner_id.ids)]).with_env(self.env)

    def action_generate_next_slots(self):
        """The button: the slots of the next weeks, and what was done, in a
        notification (made, skipped and why, already there)."""
        self._psys_check_action("write", PRACTITIONERS)
        counts = {}
        self.action_generate_slots(counts=counts)
        return notification(self._slot_generation_summary(counts))

    def _slot_generation_summary(self, counts):
        """``counts`` of ``action_generate_slots`` for these partnerships, in words."""
        total = dict.fromkeys(("made", "existing", "holiday", "closed", "busy"), 0)
        for partnership in self:
            for key, value in counts.get(partnership.id, {}).items():
                total[key] = total.get(key, 0) + value
        made, existing = total["made"], total["existing"]
        holiday, closed, busy = total["holiday"], total["closed"], total["busy"]
        return summary(
            counted(made, _("1 slot created"), _("%(count)s slots created", count=made)),
            counted(
                holiday, _("1 skipped for a public holiday"), _("%(count)s skipped for public holidays", count=holiday)
            ),
            counted(
                closed,
                _("1 skipped for a closing day or time off"),
                _("%(count)s skipped for closing days or time off", count=closed),
            ),
            counted(
                busy, _("1 skipped for another commitment"), _("%(count)s skipped for other commitments", count=busy)
            ),
            counted(existing, _("1 already there"), _("%(count)s already there", count=existing)),
        )

    def action_generate_slots(self, date_from=None, date_to=None, weeks=8, counts=None):
        """Bring the free slots of [date_from, date_to] in line with the
        schedule, the holidays and the practitioner's calendar: create the
        missing ones, archive the free ones that are no longer available
        (a commitment added since), bring back the archived ones that are
        available again. Booked slots are never touched. ``counts``, a dict,
        receives per partnership id what was ``made``, ``existing`` and
        skipped (see ``_get_slot_candidates``)."""
        self._psys_check_action("write", PRACTITIONERS)
        try:
            date_from = fields.Date.to_date(date_from) or fields.Date.context_today(self)
            date_to = fields.Date.to_date(date_to) or date_from + timedelta(weeks=int(weeks))
        except (TypeError, ValueError, OverflowError) as error:
            raise UserError(_("Give the period of the slots as two dates (YYYY-MM-DD).")) from error
        if not 0 <= (date_to - date_from).days <= MAX_SLOT_DAYS:
            raise UserError(
                _(
                    "Slots are generated for a period of at most %(days)s days, ending after it starts.",
                    days=MAX_SLOT_DAYS,
                )
            )
        partnerships = self._get_practitioner_partnerships()
        counts = {} if counts is None else counts
        candidates = {
            (partnership.id, start): (stop, home_visit)
            for partnership, start, stop, home_visit in partnerships._get_slot_candidates(date_from, date_to, counts)
        }
        # sudo: the slots of the practitioner's other partnerships follow the
        # same busy set; the caller was checked on these partnerships above.
        Slot = self.env["psys.slot"].sudo().with_context(active_test=False)
        existing = Slot.search(
            [
                ("partnership_id", "in", partnerships.ids),
                ("start", ">=", datetime.combine(date_from, time.min)),
                ("start", "<", datetime.combine(date_to + timedelta(days=1), time.min)),
            ]
        )
        free = existing.filtered(lambda slot: not slot.is_booked)
        free.filtered(
            lambda slot: slot.active and (slot.partnership_id.id, slot.start) not in candidates
        ).active = False
        free.filtered(lambda slot: not slot.active and (slot.partnership_id.id, slot.start) in candidates).active = True
        known = {(slot.partnership_id.id, slot.start) for slot in existing}
        created = Slot.create(
            [
                {"partnership_id": partnership_id, "start": start, "stop": stop, "home_visit": home_visit}
                for (partnership_id, start), (stop, home_visit) in candidates.items()
                if (partnership_id, start) not in known
            ]
        )
        for partnership_id, start in candidates:
            tally = counts.setdefault(partnership_id, {})
            key = "existing" if (partnership_id, start) in known else "made"
            tally[key] = tally.get(key, 0) + 1
        return created.filtered(lambda slot: slot.partnership_id.id in self.ids).with_env(self.env)

    @api.model
    def _cron_generate_slots(self):
        """Generate the slots of the running partnerships: all of them, or
        those of this recordset when it is not empty."""
        today = fields.Date.context_today(self)
        domain = ["|", ("date_end", "=", False), ("date_end", ">=", today)]
        if self:
            domain.append(("id", "in", self.ids))
            self.search(domain).action_generate_slots()
            return
        # In batches (issue 24): each one commits, the runner calls again.
        next_batch(
            self.search(domain), "psys_referral.slot_generation_last_id", SLOT_GENERATION_BATCH, "Slot generation"
        ).action_generate_slots()

    def action_view_bookings(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_referral.psys_booking_action")
        action["domain"] = [("partnership_id", "=", self.id)]
        action["context"] = {"default_partnership_id": self.id}
        return action

    def action_psys_invite(self):
        """Invite a person to choose their own slot of this partnership: the
        assistant asks which person."""
        self.ensure_one()
        self._psys_check_action("read", PRACTITIONERS)
        return self.env["psys.invitation.wizard"]._psys_open(partnership=self)

    @api.model
    def _psys_action_my_time_off(self):
        """The caller's own leaves, ready to add one (the "My time off" menu)."""
        self._psys_check_action("read", PRACTITIONERS)
        resource = self._get_practitioner_resources(self.env.user)[self.env.user]
        return {
            "type": "ir.actions.act_window",
            "name": _("My time off"),
            "res_model": "resource.calendar.leaves",
            "view_mode": "list",
            "views": [(self.env.ref("psys_referral.resource_calendar_leaves_view_list_psys").id, "list")],
            "domain": [("resource_id", "=", resource.id)],
            "context": {"default_resource_id": resource.id, "default_time_type": "leave"},
        }
