from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.models.base import PRACTITIONERS, RECEPTION
from odoo.addons.psys_base.tools.french_holidays import french_public_holidays_between

from .psys_booking import MAX_SESSION_PRICE

# Slots are generated for at most this many days at once.
MAX_SLOT_DAYS = 366
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class PsysPartnership(models.Model):
    _name = "psys.partnership"
    _description = "Partnership with a partner structure"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    practitioner_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
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
    schedule_line_ids = fields.One2many("psys.partnership.schedule", "partnership_id", string="On-site schedule")
    slot_duration = fields.Float(string="Slot length (hours)", default=1.0, required=True)
    date_start = fields.Date(string="Valid from", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(string="Valid until", tracking=True)
    tariff_policy = fields.Selection(
        [
            ("standard", "Standard price for everyone"),
            ("preferential", "Preferential price for people this structure refers"),
            ("funded", "Free: a funder pays"),
        ],
        required=True,
        default="preferential",
        tracking=True,
    )
    funder_id = fields.Many2one("res.partner", help="Who funds the sessions when they are free.")
    funded_rate = fields.Monetary(
        string="Funded rate",
        help="What the funder pays for one session: the amount of its monthly statement and of the bilan.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    payer = fields.Selection(
        [("person", "The person"), ("structure", "The structure, invoiced")],
        string="Who pays",
        required=True,
        default="person",
        tracking=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Session product",
        help="The service invoiced for a paid session.",
    )
    standard_pricelist_id = fields.Many2one("product.pricelist", string="Standard pricelist")
    preferential_pricelist_id = fields.Many2one("product.pricelist", string="Preferential pricelist")
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

    @api.constrains("funded_rate")
    def _check_funded_rate(self):
        for partnership in self:
            if not 0 <= partnership.funded_rate <= MAX_SESSION_PRICE:  # NaN too
                raise ValidationError(
                    _("The funded rate of a session is between 0 and %(max)s.", max=MAX_SESSION_PRICE)
                )

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

    # Slots -----------------------------------------------------------------

    def _get_tz(self):
        self.ensure_one()
        return pytz.timezone(self.practitioner_id.tz or self.env.user.tz or "Europe/Paris")

    def _get_busy_intervals(self, start, stop):
        """Practitioners' other commitments and leaves in [start, stop] (UTC
        naive), by user: calendar events they attend, their own time off and
        the company's closing days (resource leaves)."""
        users = self.practitioner_id
        busy = {user: [] for user in users}
        if not users:
            return busy
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_read(
                # sudo: only the dates of the practitioners' own leaves and of
                # their company's closing days are read.
                [
                    ("date_from", "<", stop),
                    ("date_to", ">", start),
                    "|",
                    ("resource_id.user_id", "in", users.ids),
                    "&",
                    ("resource_id", "=", False),
                    ("company_id", "in", self.company_id.ids),
                ],
                ["date_from", "date_to", "resource_id", "company_id"],
            )
        )
        resource_user = {
            resource.id: resource.user_id
            for resource in self.env["resource.resource"].sudo().search([("user_id", "in", users.ids)])
        }
        for leave in leaves:
            if leave["resource_id"]:
                concerned = resource_user.get(leave["resource_id"][0], self.env["res.users"])
            else:
                company_id = leave["company_id"] and leave["company_id"][0]
                concerned = users.filtered(lambda user, company_id=company_id: company_id in user.company_ids.ids)
            for user in concerned:
                busy[user].append((leave["date_from"], leave["date_to"]))
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
                ],
                ["start", "stop", "partner_ids"],
            )
        )
        partner_user = {user.partner_id.id: user for user in users}
        for event in events:
            for partner_id in event["partner_ids"]:
                if partner_id in partner_user:
                    busy[partner_user[partner_id]].append((event["start"], event["stop"]))
        return busy

    def _get_slot_candidates(self, date_from, date_to):
        """Bookable (partnership, start, stop, home_visit) in [date_from, date_to] (dates):
        the weekly schedule in the practitioner's time zone, minus French
        public holidays and the practitioner's other calendar events."""
        holidays = french_public_holidays_between(date_from, date_to)
        start_utc = datetime.combine(date_from, time.min) - timedelta(days=1)
        stop_utc = datetime.combine(date_to, time.max) + timedelta(days=1)
        busy = self._get_busy_intervals(start_utc, stop_utc)
        candidates = []
        for partnership in self:
            tz = partnership._get_tz()
            first = max(date_from, partnership.date_start)
            last = min(date_to, partnership.date_end) if partnership.date_end else date_to
            lines_by_day = {}
            for line in partnership.schedule_line_ids:
                lines_by_day.setdefault(int(line.weekday), []).append(line)
            step = timedelta(hours=partnership.slot_duration)
            intervals = busy.get(partnership.practitioner_id, [])
            day = first
            while day <= last:
                if day not in holidays:
                    for line in lines_by_day.get(day.weekday(), []):
                        local = datetime.combine(day, time()) + timedelta(hours=line.hour_from)
                        end_local = datetime.combine(day, time()) + timedelta(hours=line.hour_to)
                        while local + step <= end_local:
                            start = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
                            stop = tz.localize(local + step).astimezone(pytz.utc).replace(tzinfo=None)
                            if not any(b_start < stop and b_stop > start for b_start, b_stop in intervals):
                                candidates.append((partnership, start, stop, line.home_visit))
                            local += step
                day += timedelta(days=1)
        return candidates

    def action_generate_slots(self, date_from=None, date_to=None, weeks=8):
        """Bring the free slots of [date_from, date_to] in line with the
        schedule, the holidays and the practitioner's calendar: create the
        missing ones, archive the free ones that are no longer available
        (a commitment added since), bring back the archived ones that are
        available again. Booked slots are never touched."""
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
        candidates = {
            (partnership.id, start): (stop, home_visit)
            for partnership, start, stop, home_visit in self._get_slot_candidates(date_from, date_to)
        }
        Slot = self.env["psys.slot"].with_context(active_test=False)
        existing = Slot.search(
            [
                ("partnership_id", "in", self.ids),
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
        return Slot.create(
            [
                {"partnership_id": partnership_id, "start": start, "stop": stop, "home_visit": home_visit}
                for (partnership_id, start), (stop, home_visit) in candidates.items()
                if (partnership_id, start) not in known
            ]
        )

    @api.model
    def _cron_generate_slots(self):
        """Generate the slots of the running partnerships: all of them, or
        those of this recordset when it is not empty."""
        today = fields.Date.context_today(self)
        domain = ["|", ("date_end", "=", False), ("date_end", ">=", today)]
        if self:
            domain.append(("id", "in", self.ids))
        self.search(domain).action_generate_slots()

    def action_view_bookings(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_referral.psys_booking_action")
        action["domain"] = [("partnership_id", "=", self.id)]
        action["context"] = {"default_partnership_id": self.id}
        return action

    # Tariffs ---------------------------------------------------------------

    def _get_session_price(self, referred_by_structure):
        """Price of one session: the funded rate when a funder pays, the
        preferential pricelist for people this structure referred, the
        standard one otherwise."""
        self.ensure_one()
        if self.tariff_policy == "funded":
            return self.funded_rate
        if not self.product_id:
            return 0.0
        pricelist = self.standard_pricelist_id
        if self.tariff_policy == "preferential" and referred_by_structure:
            pricelist = self.preferential_pricelist_id or pricelist
        if not pricelist:
            return self.product_id.lst_price
        return pricelist._get_product_price(self.product_id, 1.0)


class PsysPartnershipSchedule(models.Model):
    _name = "psys.partnership.schedule"
    _description = "Weekly on-site schedule of a partnership"
    _order = "weekday, hour_from"

    partnership_id = fields.Many2one("psys.partnership", required=True, ondelete="cascade", index=True)
    weekday = fields.Selection(WEEKDAYS, required=True, default="0")
    hour_from = fields.Float(string="From", required=True, default=9.0)
    hour_to = fields.Float(string="To", required=True, default=12.0)
    home_visit = fields.Boolean(string="Home visits", help="These hours are for visits at the person's home.")
    company_id = fields.Many2one(related="partnership_id.company_id", store=True)

    @api.constrains("hour_from", "hour_to", "home_visit")
    def _check_hours(self):
        for line in self:
            if not 0 <= line.hour_from < line.hour_to <= 24:
                raise ValidationError(_("On-site hours go from 0 to 24 and end after they start."))
            if line.home_visit and not line.partnership_id.allow_home_visits:
                raise ValidationError(_("This partnership does not allow home visits."))
