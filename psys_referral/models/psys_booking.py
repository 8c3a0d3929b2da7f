"""The appointment a structure (portal) or the team (back office) books
on a slot, in one file: its fields and database guarantees, its life as
explicit steps (book, move, cancel, mark seen, mark absent), the portal's
service that calls them, its calendar event and what it tells whom."""

import logging
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_datetime, mute_logger
from odoo.tools.sql import create_index

from odoo.addons.psys_base.tools.groups import PRACTITIONERS, RECEPTION
from odoo.addons.psys_base.tools.policy import Policy

from ..tools.booking import SlotTakenError, parse_id
from .psys_referral import REASON_CATEGORIES, REASON_MAX_LENGTH, URGENCIES

_logger = logging.getLogger(__name__)

# Confirmations written by one run of the notices job.
NOTICES_PER_RUN = 500
# Reminders sent per transaction.
REMINDER_BATCH = 200
# The practitioner is in one place at a time (see ``init``).
OVERLAP_CONSTRAINT = "psys_booking_practitioner_no_overlap"
BOOKING_STATES = [
    ("booked", "Booked"),
    ("seen", "Seen"),
    ("excused", "Excused absence"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
]


class PsysBooking(models.Model):
    _name = "psys.booking"
    _inherit = [
        "psys.secured",
        "psys.encounter.mirror",
        "psys.calendar.mirror",
    ]
    _description = "Appointment booked on a slot"
    _psys_policy = Policy(
        ownership=("beneficiary_id",),
        workflow=(
            "state",
            "cancelled_by",
            "encounter_id",
            "cancel_reason",
        ),
    )
    # No chatter on purpose: partner staff read their bookings through the
    # portal record rules, and a chatter would be a side channel to them.
    # The history of a person's path is tracked on the inbound referral.
    _order = "start desc, id desc"
    _rec_name = "beneficiary_code"

    slot_id = fields.Many2one("psys.slot", required=True, index=True, ondelete="restrict")
    partnership_id = fields.Many2one(related="slot_id.partnership_id", store=True, index=True)
    start = fields.Datetime(related="slot_id.start", store=True)
    stop = fields.Datetime(related="slot_id.stop", store=True)
    practitioner_id = fields.Many2one(related="slot_id.practitioner_id", store=True, index=True)
    location_id = fields.Many2one(related="slot_id.location_id", store=True)
    location_name = fields.Char(related="slot_id.location_id.name", string="Place name")
    beneficiary_id = fields.Many2one("psys.beneficiary", required=True, index=True, ondelete="restrict")
    beneficiary_code = fields.Char(related="beneficiary_id.code", store=True, string="Person")
    structure_id = fields.Many2one(
        "res.partner",
        string="Referring structure",
        index=True,
        help="The structure that referred the person; empty for a self-referral.",
    )
    booked_by_id = fields.Many2one("res.users", string="Booked by", default=lambda self: self.env.user)
    referral_id = fields.Many2one("psys.referral", index=True, ondelete="set null")
    referral_state = fields.Selection(related="referral_id.state", string="Request status")
    reason_category = fields.Selection(REASON_CATEGORIES, string="Reason")
    reason = fields.Char(string="Reason in a few words")
    urgency = fields.Selection(URGENCIES, default="normal")
    state = fields.Selection(BOOKING_STATES, required=True, default="booked", index=True)
    cancelled_by = fields.Selection([("structure", "The structure"), ("service", "The service")])
    cancel_reason = fields.Char(
        string="Cancellation reason",
        readonly=True,
        copy=False,
        help="Why the structure cancelled the appointment, as its staff typed it on the portal.",
    )
    psys_notice_pending = fields.Boolean(
        string="Confirmations pending",
        copy=False,
        help="The booking's confirmations are still to be written (within seconds).",
    )
    # What an SMS may say, and nothing else: the SMS templates
    # (data/sms_template_data.xml) use these placeholders only, so that the
    # association edits their text without reaching the person's record.
    psys_sms_date = fields.Char(string="SMS: date", compute="_compute_psys_sms")
    psys_sms_time = fields.Char(string="SMS: time", compute="_compute_psys_sms")
    psys_sms_place = fields.Char(string="SMS: place", compute="_compute_psys_sms")
    psys_sms_contact = fields.Char(string="SMS: who to tell", compute="_compute_psys_sms")
    # The team's fields: the structure's staff read, search and group their
    # bookings through the portal rule, and see over RPC no more than the
    # portal pages show them (groups= here, held for search, group-by and
    # order by the kernel's field guard).
    session_number = fields.Integer(
        compute="_compute_session_number",
        groups="base.group_user",
        help="How many sessions the person has had in this partnership, this one included.",
    )
    session_quota = fields.Integer(related="partnership_id.session_quota")
    quota_reached = fields.Boolean(compute="_compute_session_number", groups="base.group_user")
    encounter_id = fields.Many2one(groups="base.group_user")
    reminder_sent = fields.Boolean(copy=False)
    company_id = fields.Many2one(related="slot_id.company_id", store=True, index=True)

    @api.private
    def init(self):
        # One person per slot, guaranteed by the database itself: a partial
        # unique index, so a cancelled booking frees the slot.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS psys_booking_slot_active_uniq
                ON psys_booking (slot_id) WHERE state != 'cancelled'
            """
        )
        self._psys_create_overlap_constraint()
        # An association's appointments of a period (the bilan's indicators,
        # the reminders): with the company's index alone, its whole history
        # is read (issue 24: 105 000 rows for a year's 10 000).
        create_index(self.env.cr, "psys_booking_company_start_index", self._table, ["company_id", "start"])

    @api.model
    def _psys_create_overlap_constraint(self):
        """No two active appointments of one practitioner overlap in time,
        whichever partnerships they belong to: an exclusion constraint on
        (practitioner, time range), so the database refuses the second one
        even when two connections book at the same instant."""
        cr = self.env.cr
        cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [OVERLAP_CONSTRAINT])
        if cr.fetchone():
            return
        cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        try:
            with cr.savepoint():
                cr.execute(
                    """
                    ALTER TABLE psys_booking ADD CONSTRAINT psys_booking_practitioner_no_overlap
                        EXCLUDE USING gist (practitioner_id WITH =, tsrange(start, stop) WITH &&)
                        WHERE (state != 'cancelled' AND practitioner_id IS NOT NULL)
                    """
                )
        except psycopg2.errors.ExclusionViolation:
            # Appointments booked twice before the constraint: they are left
            # as they are, for a person to sort out; the constraint comes at
            # the next update once they are.
            cr.execute(
                """
                SELECT a.id, b.id FROM psys_booking a JOIN psys_booking b
                    ON a.practitioner_id = b.practitioner_id AND a.id < b.id
                   AND tsrange(a.start, a.stop) && tsrange(b.start, b.stop)
                 WHERE a.state != 'cancelled' AND b.state != 'cancelled'
                """
            )
            _logger.warning(
                "Appointments of one practitioner overlap (booking ids %s): "
                "the constraint that forbids it is not created until they are moved or cancelled.",
                cr.fetchall(),
            )

    def _compute_session_number(self):
        groups = self.env["psys.booking"]._read_group(
            [
                ("beneficiary_id", "in", self.beneficiary_id.ids),
                ("partnership_id", "in", self.partnership_id.ids),
                ("state", "=", "seen"),
            ],
            ["beneficiary_id", "partnership_id"],
            ["__count"],
        )
        counts = {(beneficiary, partnership): count for beneficiary, partnership, count in groups}
        for booking in self:
            count = counts.get((booking.beneficiary_id, booking.partnership_id), 0)
            booking.session_number = count
            booking.quota_reached = bool(booking.partnership_id) and count >= booking.partnership_id.session_quota

    @api.depends_context("lang")
    @api.depends("slot_id", "structure_id")
    def _compute_psys_sms(self):
        for booking in self:
            if not booking.start:
                booking.psys_sms_date = booking.psys_sms_time = booking.psys_sms_place = False
                booking.psys_sms_contact = False
                continue
            booking.psys_sms_date = booking._psys_local("dd/MM/yyyy")
            booking.psys_sms_time = booking._psys_local_time()
            place = [booking._psys_place_name(), booking._psys_place_address()]
            booking.psys_sms_place = ", ".join(filter(None, place))
            booking.psys_sms_contact = booking._psys_cancel_contact()

    @api.constrains("reason")
    def _check_reason(self):
        for booking in self:
            if booking.reason and len(booking.reason) > REASON_MAX_LENGTH:
                raise ValidationError(_("The reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))

    @api.constrains("beneficiary_id", "slot_id")
    def _check_company(self):
        for booking in self:
            if booking.beneficiary_id.company_id != booking.slot_id.company_id:
                raise ValidationError(_("The person and the slot belong to different associations."))

    @api.model_create_multi
    def create(self, vals_list):
        try:
            with self.env.cr.savepoint():
                bookings = super().create(vals_list)
                bookings.flush_recordset()
        except psycopg2.errors.UniqueViolation as error:
            raise SlotTakenError(_("This slot is already booked: choose another one.")) from error
        except psycopg2.errors.ExclusionViolation as error:
            raise SlotTakenError(self._psys_overlap_message()) from error
        return bookings

    def write(self, vals):
        # Only the database's answer is translated here: what a booking's
        # change means (waiting list, calendar, notices, referral) is in its
        # steps (see « The booking's life »), never in create or write.
        if "slot_id" not in vals and vals.get("state") != "booked":
            return super().write(vals)
        try:
            with self.env.cr.savepoint():
                result = super().write(vals)
                self.flush_recordset()
        except psycopg2.errors.UniqueViolation as error:
            raise SlotTakenError(_("This slot is already booked: choose another one.")) from error
        except psycopg2.errors.ExclusionViolation as error:
            raise SlotTakenError(self._psys_overlap_message()) from error
        return result

    @api.model
    def _psys_overlap_message(self):
        return _(
            "The practitioner already has an appointment at that time, in this or another partnership: "
            "choose another slot."
        )

    # Back office -----------------------------------------------------------

    def action_mark_seen(self):
        self._psys_check_action("write", PRACTITIONERS)
        now = fields.Datetime.now()
        for booking in self:
            if booking.state != "booked":
                raise UserError(_("Only a booked appointment can be marked as seen."))
            if booking.start > now:
                raise UserError(_("A session cannot be marked as seen before it starts."))
        self._psys_create_encounters({"state": "seen"})
        # sudo: workflow field of the bookings' referrals, the caller was checked above.
        self.referral_id.filtered(lambda referral: referral.state in ("received", "accepted")).sudo().write(
            {"state": "in_progress"}
        )

    def action_mark_excused(self):
        self._psys_transition(("booked",), "excused", RECEPTION)

    def action_mark_no_show(self):
        self._psys_transition(("booked",), "no_show", RECEPTION)

    def action_cancel(self):
        self._psys_check_action("write", RECEPTION)
        self._check_state_booked()
        self._psys_cancel("service")

    def _check_state_booked(self):
        if any(booking.state != "booked" for booking in self):
            raise UserError(_("Only a booked appointment can change status this way."))

    def _psys_encounter_values(self):
        self.ensure_one()
        return {
            "beneficiary_id": self.beneficiary_id.id,
            "date_start": self.start,
            "duration": (self.stop - self.start).total_seconds() / 3600,
            "location_id": self.location_id.id,
            "kind": "appointment",
            "practitioner_ids": [(6, 0, self.practitioner_id.ids)],
            "referral_source": "structure" if self.structure_id else "self",
            "referral_partner_id": self.structure_id.id,
            "company_id": self.company_id.id,
        }

    def action_propose_relay(self):
        """Open a new outbound orientation for the person, linked to the referral."""
        self.ensure_one()
        self._psys_check_action("read", PRACTITIONERS)
        return self._psys_action_orient(
            {"beneficiary_id": self.beneficiary_id.id, "referral_id": self.referral_id.id, "booking_id": self.id}
        )

    def _psys_local_start(self):
        self.ensure_one()
        return format_datetime(
            self.env, self.start, tz=self.partnership_id._get_tz().zone, dt_format="dd/MM/yyyy HH:mm"
        )

    # Waiting list and closing the loop (issue 13) ---------------------------
    # The booking's life: book, move, cancel (marking seen or absent are the
    # back office's actions above). Each step is what a change of appointment
    # means, in an order read on one screen: the booking's own write, then the
    # waiting list, the practitioner's calendar (``psys.calendar.mirror``), the
    # notices, the referral. ``create`` and ``write`` do none of it. The steps
    # are private: their callers — the back office's actions and form
    # (``action_*``, ``web_save``), the portal's service below
    # (``_psys_portal_*``), the waiting list's offers, the invitations — checked
    # the caller's right on the bookings first; the steps write in the
    # environment they are given (the portal's in sudo), but the cancel's
    # workflow fields, in sudo.

    @api.model
    def _psys_book(self, vals_list, notices="none"):
        """Book: create the appointments (``vals_list``: a dict or a list),
        close the waiting entries of the people booked (a slot kept for them
        elsewhere goes to the next person), put them in the practitioner's
        calendar and tell the worker and the person. ``notices``: ``none``,
        the team booking in the back office tells the person itself;
        ``now``; ``later``, by the notices job right after the answer (the
        calendar event with them, see ``_psys_send_pending_notices``)."""
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        later = notices == "later"
        bookings = self.create([dict(vals, psys_notice_pending=True) if later else vals for vals in vals_list])
        self.env["psys.waiting.entry"]._psys_close_for_bookings(bookings)
        if later:
            bookings._psys_trigger_notices()
            return bookings
        bookings._psys_mirror_later()
        if notices == "now":
            bookings._psys_notify("booked")
        return bookings

    def _psys_move(self, slot, notify=True):
        """Move: the appointments go to ``slot``, the slots they leave go to
        the waiting list, the calendar event follows, and (``notify``) the
        worker, the person and the practitioner are told."""
        self._psys_send_pending_notices()  # the confirmation of the old time first
        freed = self.filtered(lambda booking: booking.state != "cancelled" and booking.slot_id != slot).slot_id
        self.write({"slot_id": slot.id})
        self.env["psys.waiting.entry"]._psys_offer_slots(freed)
        self._psys_mirror_later()
        if notify:
            self._psys_notify("moved")

    def _psys_cancel(self, cancelled_by, reason=False):
        """Cancel (by ``structure`` or ``service``): the freed slots go to
        the waiting list, the calendar event goes, everyone is told, and a
        request left without appointment is closed or followed up."""
        self._psys_send_pending_notices()  # the confirmation before its cancellation
        # sudo: workflow fields, written only by this step, whose callers
        # (``action_cancel``, ``_psys_portal_cancel``) checked the caller's right.
        self.sudo().write({"state": "cancelled", "cancelled_by": cancelled_by, "cancel_reason": reason or False})
        self.env["psys.waiting.entry"]._psys_offer_slots(self.slot_id)
        self._psys_mirror_later()
        self._psys_notify("cancelled")
        self.referral_id._psys_after_booking_cancelled(self)

    def web_save(self, vals, specification, next_id=None):
        """The back office's form: a new appointment is booked and a new slot
        is a move, by the steps above (without notice: the team tells the
        person itself); the rest of the form is a plain write. As the
        caller: access rights and record rules check it."""
        if not self:
            return self._psys_book(vals).web_save({}, specification, next_id=next_id)
        vals = dict(vals)
        slot_id = vals.pop("slot_id", None)
        if vals:
            self.write(vals)
        if slot_id and slot_id != self.slot_id.id:
            self._psys_move(self.env["psys.slot"].browse(slot_id), notify=False)
        return super().web_save({}, specification, next_id=next_id)

    # The portal's service ------------------------------------------------------
    # What partner staff (portal users, no right on the spine's models) may do
    # with appointments: book, move, cancel, see. The controllers
    # (``controllers/portal*.py``) call only these, then render. Every
    # ``sudo()`` of the portal path is here, each after the caller's
    # structure, partnership and inputs were checked: review them at once.

    def _psys_lock_slot(self, slot):
        """Take the slot for this transaction, or fail at once.

        The unique index is what guarantees one person per slot; this lock
        only spares the requests that would lose the race the work of
        writing a whole booking and waiting for the winner to commit: they
        are told straight away that the slot is taken."""
        try:
            # A lost race is an answer, not a server error: no "bad query" log.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute("SELECT id FROM psys_slot WHERE id = %s FOR NO KEY UPDATE NOWAIT", [slot.id])
        except psycopg2.errors.LockNotAvailable as error:
            raise SlotTakenError(_("This slot is already booked: choose another one.")) from error
        if slot.is_booked:
            raise SlotTakenError(_("This slot is already booked: choose another one."))

    @api.model
    def _psys_portal_partnerships(self, user):
        """Partnerships where ``user`` may book: listed on it, and working
        for its structure."""
        return (
            self.env["psys.partnership"]
            .sudo()  # sudo: filtered on the user's own structure and listing right.
            .search(
                [
                    ("booking_user_ids", "in", user.ids),
                    ("structure_id", "=", user.commercial_partner_id.id),
                ]
            )
        )

    @api.model
    def _psys_referred_beneficiaries(self, structure):
        """People a structure referred before and who are still on record (an
        anonymised person is never offered again): the only ones its staff may
        book for, invite or put on a waiting list."""
        Booking = self.sudo()  # sudo: the structure's own bookings and referrals, people only
        bookings = Booking.search([("structure_id", "=", structure.id)])
        referrals = Booking.env["psys.referral"].search([("structure_id", "=", structure.id)])
        people = bookings.beneficiary_id | referrals.beneficiary_id
        return people.filtered_domain(self.env["psys.beneficiary"]._get_returning_domain())

    @api.model
    def _psys_portal_book(self, user, slot_id, values, offer=None, defer_notices=False):
        """Book ``slot_id`` for a person on behalf of portal ``user``.

        ``values``: ``beneficiary_id`` (an existing person the structure
        referred) or ``age_bracket``/``gender``/``territory_id`` (a new stub),
        optional ``first_name`` + ``phone``/``email`` with ``consent``,
        ``reason_category``, ``reason``, ``urgency``. Everything or nothing
        is written. ``offer``: the waiting list's offer of this slot being
        booked; ``defer_notices``: the confirmations and the calendar event
        are written by their job right after the answer (the portal's form)."""
        partnerships = self._psys_portal_partnerships(user)
        slot = self.env["psys.slot"].sudo().browse(parse_id(slot_id)).exists()  # sudo: checked just below
        if not slot or slot.partnership_id not in partnerships or not slot.active:
            raise UserError(_("This slot does not exist or is not open to your structure."))
        partnership = slot.partnership_id
        structure = partnership.structure_id
        if slot.start <= fields.Datetime.now():
            raise UserError(_("This slot is in the past: choose a future one."))
        self._psys_lock_slot(slot)
        self.env["psys.waiting.entry"]._psys_check_slot_offer(slot, offer)
        reason_category = values.get("reason_category")
        if reason_category not in dict(REASON_CATEGORIES):
            raise UserError(_("Choose a reason for the referral."))
        reason = (values.get("reason") or "").strip()
        if len(reason) > REASON_MAX_LENGTH:
            raise UserError(_("The reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))
        urgency = values.get("urgency") or "normal"
        if urgency not in dict(URGENCIES):
            raise UserError(_("Choose an urgency."))
        # sudo for the rest of this method: portal users have no right on the
        # spine's models; what is written comes only from the inputs checked
        # above (a slot open to their structure, a person it referred,
        # bounded texts and known selection values).
        # The worker is told through explicit recipients, never as a follower:
        # following the person or the request would mail them its chatter.
        Booking = self.sudo()
        quiet = {"mail_create_nosubscribe": True}
        Beneficiary = Booking.env["psys.beneficiary"].with_company(partnership.company_id).with_context(**quiet)
        Referral = Booking.env["psys.referral"].with_context(**quiet)
        with self.env.cr.savepoint():
            if values.get("beneficiary_id"):
                beneficiary = Beneficiary.browse(parse_id(values["beneficiary_id"])).exists()
                if not beneficiary or beneficiary not in self._psys_referred_beneficiaries(structure):
                    raise UserError(_("This person was not referred by your structure."))
            else:
                beneficiary = self._psys_portal_new_beneficiary(Beneficiary, structure, partnership, values)
            seen = Booking.search_count(
                [
                    ("beneficiary_id", "=", beneficiary.id),
                    ("partnership_id", "=", partnership.id),
                    ("state", "in", ("booked", "seen")),
                ]
            )
            if seen >= partnership.session_quota:
                raise UserError(
                    _(
                        "%(code)s has reached the %(quota)s sessions of this partnership: "
                        "the practitioner will propose a relay.",
                        code=beneficiary.code,
                        quota=partnership.session_quota,
                    )
                )
            referral = Referral.search(
                [
                    ("beneficiary_id", "=", beneficiary.id),
                    ("partnership_id", "=", partnership.id),
                    ("state", "in", ("received", "accepted", "in_progress")),
                ],
                limit=1,
            )
            if not referral:
                referral = Referral.create(
                    {
                        "beneficiary_id": beneficiary.id,
                        "partnership_id": partnership.id,
                        "structure_id": structure.id,
                        "referred_by_id": user.id,
                        "reason_category": reason_category,
                        "reason": reason,
                        "urgency": urgency,
                        "company_id": partnership.company_id.id,
                    }
                )
            return Booking._psys_book(
                [
                    {
                        "slot_id": slot.id,
                        "beneficiary_id": beneficiary.id,
                        "structure_id": structure.id,
                        "booked_by_id": user.id,
                        "referral_id": referral.id,
                        "reason_category": reason_category,
                        "reason": reason,
                        "urgency": urgency,
                    }
                ],
                notices="later" if defer_notices else "now",
            )

    @api.model
    def _psys_portal_new_beneficiary(self, Beneficiary, structure, partnership, values):
        fields_def = Beneficiary._fields
        age_bracket = values.get("age_bracket") or "unknown"
        gender = values.get("gender") or "undisclosed"
        if age_bracket not in dict(fields_def["age_bracket"]._description_selection(self.env)):
            raise UserError(_("Choose an age bracket."))
        if gender not in dict(fields_def["gender"]._description_selection(self.env)):
            raise UserError(_("Choose a gender."))
        territory = self.env["psys.territory"]
        if values.get("territory_id"):
            # (sudo, as Beneficiary:) territories are shared reference data; only the id is kept.
            territory = Beneficiary.env["psys.territory"].browse(parse_id(values["territory_id"])).exists()
            if not territory or territory not in self._psys_portal_territories(partnership):
                raise UserError(_("Unknown territory."))
        first_name = (values.get("first_name") or "").strip()
        phone = (values.get("phone") or "").strip()
        email = (values.get("email") or "").strip()
        if any(len(text) > 100 for text in (first_name, phone, email)):
            raise UserError(_("Name, phone and e-mail are limited to 100 characters."))
        beneficiary = Beneficiary.create(
            {
                "age_bracket": age_bracket,
                "gender": gender,
                "territory_id": territory.id,
                "first_referrer_id": structure.id,
                "company_id": partnership.company_id.id,
            }
        )
        if first_name or phone or email:
            if not values.get("consent"):
                raise UserError(_("A name, phone or e-mail is kept only with the person's consent: tick the box."))
            if not first_name or not (phone or email):
                raise UserError(_("Give the first name and a phone number or an e-mail for the reminders."))
            if phone and not self._psys_sms_number(phone, partnership.company_id):
                raise UserError(_("%(phone)s is not a phone number: check it, or give an e-mail instead.", phone=phone))
            Beneficiary.env["psys.consent"].create(
                [
                    {"beneficiary_id": beneficiary.id, "scope": scope, "method": "partner"}
                    for scope in ("named_contact", "reminders")
                ]
            )
            contact = Beneficiary.env["res.partner"].create(
                {
                    "name": first_name,
                    "phone": phone,
                    "email": email,
                    "psys_private_contact": True,
                    "company_id": partnership.company_id.id,
                    "lang": "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else False,
                }
            )
            beneficiary.partner_id = contact
        return beneficiary

    def _psys_check_cutoff(self):
        for booking in self:
            message = booking._psys_portal_locked_reason()
            if message:
                raise UserError(message)

    def _psys_portal_cancel(self, reason=None):
        """Cancel these bookings, read as the portal user (its record rules
        found them), on behalf of their structure."""
        self._psys_check_cutoff()
        reason = (reason or "").strip()
        if len(reason) > REASON_MAX_LENGTH:
            raise UserError(_("The reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))
        self._psys_cancel("structure", reason)

    def _psys_portal_move(self, slot_id):
        """Move this booking, read as the portal user, to another free slot
        of its partnership."""
        self.ensure_one()
        self._psys_check_cutoff()
        slot = self.env["psys.slot"].sudo().browse(parse_id(slot_id)).exists()  # sudo: checked below
        if not slot or slot.partnership_id != self.partnership_id or not slot.active:
            raise UserError(_("This slot does not exist or is not open to your structure."))
        if slot.start <= fields.Datetime.now():
            raise UserError(_("This slot is in the past: choose a future one."))
        self.env["psys.waiting.entry"]._psys_check_slot_offer(slot)
        self.sudo()._psys_move(slot)  # sudo: ownership checked by caller

    def _psys_portal_locked_reason(self):
        """Why the structure's staff may no longer move or cancel this
        appointment themselves, or an empty string when they still may.
        The portal hides the buttons and shows this sentence instead; past
        the cut-off, with the number to call as a ``tel:`` link."""
        self.ensure_one()
        if self.state != "booked":
            return _("Only a booked appointment can be cancelled or moved.")
        cutoff = self.company_id.psys_cancel_cutoff_hours
        if self.start - timedelta(hours=cutoff) <= fields.Datetime.now():
            who, phone = self._psys_portal_call_contact()
            if phone:
                number = self._psys_sms_number(phone, self.company_id) or "".join(
                    char for char in phone if char.isdigit() or char == "+"
                )
                link = Markup('<a class="o_psys_call text-nowrap" href="tel:%s">%s</a>') % (number, phone)
                return _(
                    "Appointments can be cancelled or moved only up to %(hours)s hours before: "
                    "please call %(who)s on %(phone)s.",
                    hours=cutoff,
                    who=who,
                    phone=link,
                )
            return _(
                "Appointments can be cancelled or moved only up to %(hours)s hours before: "
                "please call the practitioner.",
                hours=cutoff,
            )
        return ""

    def _psys_portal_call_contact(self):
        """``(who, phone)`` the structure's staff call about this appointment
        past the cut-off: its practitioner, else the association that holds
        the partnership; an empty phone when neither gave one."""
        self.ensure_one()
        # sudo: a name and a work phone only, of the practitioner (or the
        # association) of a booking the caller's record rules let through.
        partnership = self.sudo().partnership_id
        practitioner = partnership.practitioner_id.partner_id
        if practitioner and (practitioner.phone or practitioner.mobile):
            return practitioner.name, practitioner.phone or practitioner.mobile
        company = partnership.company_id
        return company.name, company.phone or ""

    def _psys_portal_first_names(self, structure):
        """``{booking id: first name}`` for the bookings of ``structure``
        whose person gave that structure a first name, with a consent to be
        known by it that still holds. Another structure never gets it, even
        for a person it booked later."""
        bookings = self.filtered(lambda booking: booking.structure_id == structure)
        names = self._psys_portal_person_names(structure, bookings.beneficiary_id)
        return {
            booking.id: names[booking.beneficiary_id.id] for booking in bookings if booking.beneficiary_id.id in names
        }

    @api.model
    def _psys_portal_person_names(self, structure, beneficiaries):
        """``{person id: first name}`` of the ``beneficiaries`` who gave
        ``structure`` itself their first name, with a consent to be known by
        it that still holds: the name that structure's staff may see."""
        names = {}
        # sudo: the first name only, of people this structure itself named
        # with their consent; the people come from the caller's own records.
        for beneficiary in beneficiaries.sudo():
            if (
                beneficiary.first_referrer_id == structure
                and beneficiary.partner_id
                and beneficiary.has_contact_consent
            ):
                names[beneficiary.id] = beneficiary.partner_id.name
        return names

    @api.model
    def _psys_portal_person_options(self, structure):
        """The people ``structure``'s staff may pick (book, put on the
        waiting list, invite): ``[(id, label)]``, the first name they may see
        with the code beside it (the code alone otherwise), names first."""
        people = self._psys_referred_beneficiaries(structure)
        names = self._psys_portal_person_names(structure, people)
        options = [
            (person.id, f"{names[person.id]} · {person.code}" if person.id in names else person.code)
            for person in people
        ]
        return sorted(options, key=lambda option: (option[0] not in names, option[1].casefold()))

    @api.model
    def _psys_portal_territories(self, partnership):
        """The territories a structure's staff may give for a new person:
        the towns of the partnership's place and everything under them, not
        every town of the association."""
        # sudo: reference data (territory names) under the partnership's place.
        partnership = partnership.sudo()
        territory = partnership.location_id.territory_id
        if not territory:
            return self.env["psys.territory"]
        town = territory
        while town.kind != "town" and town.parent_id:
            town = town.parent_id
        if town.kind != "town":
            town = territory
        return (
            self.env["psys.territory"]
            .sudo()  # sudo: see above
            .search(
                [
                    ("id", "child_of", town.ids),
                    ("company_id", "in", [False, partnership.company_id.id]),
                ]
            )
        )

    # The practitioner's calendar ------------------------------------------------
    # Every active appointment is an event of the practitioner's calendar
    # (``psys.calendar.mirror``): her as attendee, in the room of the slot,
    # named « Rendez-vous » only (her agenda shows the person's code from the
    # booking, not from the event). The steps above bring it in step; a
    # portal booking's event comes with its confirmations.

    def _psys_event_values(self):
        self.ensure_one()
        if self.state == "cancelled" or not self.practitioner_id or not self.start or self.psys_notice_pending:
            return None
        location = self.location_id
        # In the practitioner's language: the calendar is hers.
        booking = self.with_context(lang=self.practitioner_id.lang or self.env.lang)
        if self.slot_id.home_visit:
            place = booking._psys_home_visit_label()
        else:
            place = ", ".join(filter(None, [location.name, location.street, location.zip, location.city]))
        return {
            "name": booking._psys_event_name(),
            "start": self.start,
            "stop": self.stop,
            "user_id": self.practitioner_id.id,
            "partner_ids": self.practitioner_id.partner_id.ids,
            "location": place,
        }

    def _psys_event_name(self):
        return _("Appointment")

    def _psys_home_visit_label(self):
        return _("Home visit")

    # What the booking tells whom --------------------------------------------
    # Confirmations, reminders (e-mail with a calendar file, SMS), the
    # printable slip. What they say: date, time, place, address, how to
    # cancel; never what the appointment is for. The messages are written and
    # queued by ``psys.booking.notification``; the templates (mail and SMS,
    # data/) read the helpers and fields below.

    def _psys_notify(self, event):
        """Tell the worker, the consented person and the practitioner of
        ``event`` (booked, moved, cancelled, reminder) on these bookings.
        Called once the caller's action was checked."""
        if event != "booked":
            self._psys_send_pending_notices()  # the confirmation first
        # sudo: the messages are written from templates and read the places
        # and contacts of these bookings, whose action the caller passed.
        self.env["psys.booking.notification"].sudo()._notify_bookings(self, event)

    def _psys_local(self, dt_format):
        self.ensure_one()
        return format_datetime(self.env, self.start, tz=self.partnership_id._get_tz().zone, dt_format=dt_format)

    def _psys_local_date(self):
        return self._psys_local("EEEE d MMMM yyyy")

    def _psys_local_time(self):
        return self._psys_local("HH:mm")

    def _psys_place_name(self):
        self.ensure_one()
        if self.slot_id.home_visit:
            return _("Home visit")
        return self.location_id.name or ""

    def _psys_place_address(self):
        self.ensure_one()
        if self.slot_id.home_visit:
            return ""
        location = self.location_id
        town = " ".join(filter(None, [location.zip, location.city]))
        return ", ".join(filter(None, [location.street, location.street2, town]))

    def _psys_cancel_contact(self):
        """Who the person tells to cancel, with a phone or an e-mail: the
        structure that booked, else the association."""
        self.ensure_one()
        who = self.structure_id or self.company_id.partner_id
        reach = who.phone or who.email or self.company_id.phone or self.company_id.email or ""
        return f"{who.name} ({reach})" if reach else who.name

    def _psys_how_to_cancel(self, audience):
        """The sentence on cancelling, for ``audience`` (worker, person, practitioner)."""
        self.ensure_one()
        if audience == "worker":
            url = self.get_base_url() + "/my/psys/referrals"
            return _(
                "You can move or cancel it on your partner portal until %(hours)s hours before: %(url)s",
                hours=self.company_id.psys_cancel_cutoff_hours,
                url=url,
            )
        if audience == "practitioner":
            return _("The appointment is in your calendar.")
        return _(
            "If you cannot come, please tell %(contact)s as soon as possible.", contact=self._psys_cancel_contact()
        )

    def _psys_greeting_name(self, audience):
        """The person's first name, only in a message to the person."""
        self.ensure_one()
        return self.beneficiary_id.partner_id.name if audience == "person" else ""

    def _psys_slip_name(self):
        """The name the printable slip may show to the current user: for a
        structure's staff, the first name the person gave that structure with
        a consent that still holds (``_psys_portal_first_names``); for the
        team, the named contact when the user may read it. Nothing for the
        superuser: whoever renders the slip in sudo passes the name its
        caller may see (see the slip route)."""
        self.ensure_one()
        user = self.env.user
        if self.env.su:
            return ""
        if user.share:
            return self._psys_portal_first_names(user.commercial_partner_id).get(self.id, "")
        contact = self.beneficiary_id.partner_id
        return contact.name if contact and contact.has_access("read") else ""

    @api.model
    def _psys_sms_number(self, phone, company=None):
        """The phone in international format, or False when it is not a phone number."""
        company = company or self.company_id[:1] or self.env.company
        country = company.country_id or self.env.ref("base.fr", raise_if_not_found=False)
        return self.env["res.partner"]._phone_format(number=phone, country=country, force_format="E164")

    @api.model
    def _cron_send_reminders(self, partnerships=None, batch_size=REMINDER_BATCH):
        """Remind the bookings that start within the company's notice, of
        every partnership or only of ``partnerships``, ``batch_size`` at a
        time: the cron runner commits each batch and calls again while some
        remain (issue 24); the reminded ones are marked and not found again."""
        now = fields.Datetime.now()
        template = self.env.ref("psys_referral.mail_template_booking_reminder", raise_if_not_found=False)
        if not template:
            return
        domains = [
            [
                ("company_id", "=", company.id),
                ("state", "=", "booked"),
                ("reminder_sent", "=", False),
                ("start", ">", now),
                ("start", "<=", now + timedelta(hours=company.psys_reminder_hours)),
            ]
            + ([("partnership_id", "in", partnerships.ids)] if partnerships is not None else [])
            for company in self.env["res.company"].search([("psys_reminder_hours", ">", 0)])
        ]
        if not domains:
            return
        domain = expression.OR(domains)
        bookings = self.search(domain, limit=batch_size, order="start, id")
        bookings._psys_notify("reminder")
        bookings.write({"reminder_sent": True})
        remaining = self.search_count(domain) if len(bookings) == batch_size else 0
        _logger.info("Booking reminders: %s sent, %s remaining", len(bookings), remaining)
        self.env["ir.cron"]._notify_progress(done=len(bookings), remaining=remaining)

    # Confirmations after the answer (issue 13, performance): a portal
    # booking answers as fast as any portal page; its confirmations (queued
    # mails and SMS either way) and the practitioner's calendar event are
    # written by a job triggered at once, or before anything else is said or
    # done of that booking (``_psys_move``, ``_psys_cancel``).

    def _psys_trigger_notices(self):
        # sudo: a trigger of the notices job; nothing of the caller goes into it.
        self.env.ref("psys_referral.ir_cron_psys_booking_notices").sudo()._trigger()

    def _psys_send_pending_notices(self):
        """Write what these bookings still wait for: the practitioner's
        calendar event, then the confirmations, as the worker who booked (as
        when they were written at booking time)."""
        # sudo: the flag is ours; the confirmations are those of the booking.
        pending = self.sudo().filtered("psys_notice_pending")
        if not pending:
            return
        pending.write({"psys_notice_pending": False})
        pending._psys_mirror_later()
        for booker in pending.booked_by_id:
            pending.filtered(lambda booking, booker=booker: booking.booked_by_id == booker).with_user(
                booker
            )._psys_notify("booked")

    @api.model
    def _cron_send_pending_notices(self):
        pending = self.search([("psys_notice_pending", "=", True)], limit=NOTICES_PER_RUN)
        pending._psys_send_pending_notices()
        if len(pending) == NOTICES_PER_RUN:
            pending._psys_trigger_notices()  # more in the next run
