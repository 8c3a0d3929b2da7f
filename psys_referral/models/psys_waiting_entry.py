import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from odoo.addons.psys_base.tools.groups import RECEPTION
from odoo.addons.psys_base.tools.policy import Policy

from ..tools.booking import SlotTakenError, parse_id
from .psys_referral import REASON_CATEGORIES, URGENCIES

_logger = logging.getLogger(__name__)

WAITING_STATES = [
    ("waiting", "Waiting"),
    ("offered", "Slot offered"),
    ("booked", "Booked"),
    ("expired", "Offer expired"),
    ("withdrawn", "Withdrawn"),
]
# The entries that hold a place in the queue.
OPEN_STATES = ("waiting", "offered")
# A freed slot goes first to the most urgent request, then to the oldest.
URGENCY_PRIORITY = {"normal": 0, "soon": 1, "urgent": 2}


class OfferTakenError(UserError):
    """The offer was taken (or is being taken) by a colleague."""


class PsysWaitingEntry(models.Model):
    """A person waiting for a slot of a partnership.

    A freed slot (a booking cancelled or moved away, new slots generated) is
    offered to the most urgent waiting entry of its partnership, the oldest
    first among equals (``priority``, then ``date``): the slot is kept
    for it until ``offer_expiry`` (the company's waiting list delay), the
    worker who asked is told, and may book it. Past the delay the cron gives
    the slot to the next entry, and once the list is empty it is open to
    everyone. One offer per slot and one slot per entry, guaranteed by the
    database (see ``init``)."""

    _name = "psys.waiting.entry"
    _description = "Waiting list entry"
    _psys_policy = Policy(
        ownership=("partnership_id", "beneficiary_id"),
        workflow=("date", "state", "slot_id", "offer_expiry", "booking_id"),
    )
    _inherit = ["psys.secured", "mail.thread"]
    _order = "priority desc, date, id"
    _rec_name = "beneficiary_code"

    date = fields.Datetime(
        string="On the list since", required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    partnership_id = fields.Many2one("psys.partnership", required=True, index=True, ondelete="cascade")
    structure_id = fields.Many2one(related="partnership_id.structure_id", store=True, index=True)
    beneficiary_id = fields.Many2one(
        "psys.beneficiary", string="Person", required=True, index=True, ondelete="restrict"
    )
    beneficiary_code = fields.Char(related="beneficiary_id.code", store=True, string="Person code")
    requested_by_id = fields.Many2one("res.users", string="Requested by", default=lambda self: self.env.user)
    referral_id = fields.Many2one("psys.referral", string="Request", index=True, ondelete="set null")
    reason_category = fields.Selection(REASON_CATEGORIES, string="Reason", required=True, default="other")
    urgency = fields.Selection(URGENCIES, required=True, default="normal")
    priority = fields.Integer(
        compute="_compute_priority",
        store=True,
        index=True,
        help="The most urgent of the entry and its request: urgent 2, within the week 1, normal 0. "
        "A freed slot goes to the highest priority, then to the oldest entry.",
    )
    state = fields.Selection(WAITING_STATES, required=True, default="waiting", index=True, tracking=True)
    slot_id = fields.Many2one("psys.slot", string="Offered slot", readonly=True, ondelete="set null")
    slot_start = fields.Datetime(related="slot_id.start", string="Offered slot start")
    offer_expiry = fields.Datetime(string="Offer open until", readonly=True)
    booking_id = fields.Many2one("psys.booking", string="Appointment", readonly=True, ondelete="set null")
    company_id = fields.Many2one(related="partnership_id.company_id", store=True, index=True)

    @api.depends("urgency", "referral_id.urgency")
    def _compute_priority(self):
        for entry in self:
            entry.priority = max(
                URGENCY_PRIORITY.get(entry.urgency, 0), URGENCY_PRIORITY.get(entry.referral_id.urgency, 0)
            )

    @api.private
    def init(self):
        # A freed slot is offered to one person at a time, and a person holds
        # one offer at a time: two partial unique indexes, so that two
        # transactions freeing slots at once can never offer the same slot twice.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS psys_waiting_entry_slot_offered_uniq
                ON psys_waiting_entry (slot_id) WHERE state = 'offered'
            """
        )
        # One open entry per person and partnership.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS psys_waiting_entry_open_uniq
                ON psys_waiting_entry (partnership_id, beneficiary_id) WHERE state IN ('waiting', 'offered')
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        try:
            with self.env.cr.savepoint():
                entries = super().create(vals_list)
                entries.flush_recordset()
        except psycopg2.errors.UniqueViolation as error:
            raise UserError(_("This person is already on the waiting list of this partnership.")) from error
        return entries

    # Actions (back office) -----------------------------------------------

    def action_book_offer(self):
        """Book the slot offered to this entry."""
        self.ensure_one()
        self._psys_check_action("write", RECEPTION)
        self._psys_book_offer(self.env.user)

    def action_withdraw(self):
        self._psys_check_action("write", RECEPTION)
        self._psys_withdraw()

    # Portal (called by the controller on records read as the portal user) --

    @api.model
    def _psys_portal_add(self, user, values):
        """Put a person on the waiting list of a partnership on behalf of
        portal ``user``: an existing person the structure referred
        (``beneficiary_id``) or a new stub (``age_bracket``/``gender``), with
        ``partnership_id``, ``reason_category`` and ``urgency``."""
        Booking = self.env["psys.booking"]
        partnerships = Booking._psys_portal_partnerships(user)
        partnership = partnerships.filtered(lambda p: p.id == parse_id(values.get("partnership_id")))
        if not partnership:
            raise UserError(_("Choose a partnership of your structure."))
        structure = partnership.structure_id
        reason_category = values.get("reason_category")
        if reason_category not in dict(REASON_CATEGORIES):
            raise UserError(_("Choose a reason for the referral."))
        urgency = values.get("urgency") or "normal"
        if urgency not in dict(URGENCIES):
            raise UserError(_("Choose an urgency."))
        # sudo for the rest: portal users have no right on the spine's models;
        # what is written comes only from the inputs checked here (a
        # partnership of their structure, a person it referred, known values).
        Beneficiary = self.env["psys.beneficiary"].sudo().with_company(partnership.company_id)
        with self.env.cr.savepoint():
            if values.get("beneficiary_id"):
                beneficiary = Beneficiary.browse(parse_id(values["beneficiary_id"])).exists()
                if not beneficiary or beneficiary not in Booking._psys_referred_beneficiaries(structure):
                    raise UserError(_("This person was not referred by your structure."))
            else:
                beneficiary = Booking._psys_portal_new_beneficiary(Beneficiary, structure, partnership, values)
            referral = self._psys_open_referral(partnership, beneficiary, user, reason_category, urgency)
            entry = self.sudo().create(
                {
                    "partnership_id": partnership.id,
                    "beneficiary_id": beneficiary.id,
                    "requested_by_id": user.id,
                    "referral_id": referral.id,
                    "reason_category": reason_category,
                    "urgency": urgency,
                }
            )
        return entry.with_env(self.env)

    @api.model
    def _psys_open_referral(self, partnership, beneficiary, user, reason_category, urgency):
        """The person's open request in the partnership, or a new one: being
        on the waiting list is a request without appointment yet. A new
        request is the structure's only when the structure referred the
        person (``_psys_referring_structure``), whatever the channel."""
        Referral = self.env["psys.referral"].sudo()  # sudo: called after the caller's checks
        referral = Referral.search(
            [
                ("beneficiary_id", "=", beneficiary.id),
                ("partnership_id", "=", partnership.id),
                ("state", "in", ("received", "accepted", "in_progress")),
            ],
            limit=1,
        )
        if referral:
            return referral
        structure = self.with_env(Referral.env)._psys_referring_structure(partnership, beneficiary, user)
        return Referral.create(
            {
                "beneficiary_id": beneficiary.id,
                "partnership_id": partnership.id,
                "structure_id": structure.id,
                "referred_by_id": user.id,
                "reason_category": reason_category,
                "urgency": urgency,
                "company_id": partnership.company_id.id,
            }
        )

    @api.model
    def _psys_referring_structure(self, partnership, beneficiary, user):
        """Who referred ``beneficiary`` to ``partnership``: a fact of the
        referral, never of the channel the request came through. A worker
        of the partnership's structure refers the person; the practitioner
        or the coordinator (a link, the back office) does not: the request
        is the structure's only if the structure referred the person before
        (her first referrer, a request or an appointment at its name, as
        for the tariff), else a self-referral.

        Private: called in sudo by ``_psys_open_referral``, which reads only
        whether this structure referred this person."""
        structure = partnership.structure_id
        if not structure:
            return structure
        if user.share:
            return structure if user.commercial_partner_id == structure else structure.browse()
        if beneficiary.first_referrer_id == structure:
            return structure
        domain = [("beneficiary_id", "=", beneficiary.id), ("structure_id", "=", structure.id)]
        for model in ("psys.referral", "psys.booking"):
            if self.env[model].search_count(domain, limit=1):
                return structure
        return structure.browse()

    def _psys_portal_book_offer(self, user):
        """Book the offer of this entry, read as portal ``user`` (its record
        rules found it: their structure, a partnership they are listed on)."""
        self.ensure_one()
        self.check_access("read")
        return self._psys_book_offer(user)

    def _psys_portal_withdraw(self):
        self.check_access("read")
        self._psys_withdraw()

    # Business ----------------------------------------------------------------

    def _psys_withdraw(self):
        if any(entry.state not in OPEN_STATES for entry in self):
            raise UserError(_("Only a person still waiting can be taken off the waiting list."))
        slots = self.filtered(lambda entry: entry.state == "offered").slot_id
        # sudo: workflow fields; the caller was checked by the action or the portal.
        self.sudo().write({"state": "withdrawn", "offer_expiry": False})
        self._psys_offer_slots(slots)

    def _psys_lock(self):
        """Take this entry for the transaction, or fail at once: a colleague
        is booking the same offer right now."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM psys_waiting_entry WHERE id IN %s FOR NO KEY UPDATE NOWAIT", [tuple(self.ids)]
                )
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure) as error:
            raise OfferTakenError(
                _("A colleague is booking this offer right now, or has just booked it: reload the waiting list.")
            ) from error
        self.invalidate_recordset()

    def _psys_book_offer(self, user):
        """Book the offered slot for the entry's person. Exactly one booking
        comes out of an offer, whoever clicks at the same time."""
        self.ensure_one()
        entry = self.sudo()  # sudo: the caller was checked by the action or the portal
        entry._psys_lock()
        if entry.state == "booked":
            raise OfferTakenError(_("This offer was already booked by a colleague: see the appointments."))
        if entry.state != "offered" or not entry.slot_id:
            raise UserError(_("No slot is offered to this person at the moment."))
        now = fields.Datetime.now()
        if entry.offer_expiry <= now:
            raise UserError(
                _(
                    "This offer expired on %(date)s: the slot went to the next person on the list "
                    "or to everyone. The person keeps no place: put them on the list again if needed.",
                    date=entry._psys_local(entry.offer_expiry),
                )
            )
        slot = entry.slot_id
        Booking = self.env["psys.booking"]
        values = {
            "beneficiary_id": entry.beneficiary_id.id,
            "reason_category": entry.reason_category,
            "urgency": entry.urgency,
        }
        try:
            if user.share:
                booking = Booking._psys_portal_book(user, slot.id, values, offer=entry)
            else:
                Booking._psys_lock_slot(slot)
                booking = Booking.sudo()._psys_book(
                    [
                        dict(
                            values,
                            slot_id=slot.id,
                            structure_id=entry.structure_id.id,
                            booked_by_id=user.id,
                            referral_id=entry.referral_id.id,
                        )
                    ],
                    notices="none",
                )
        except SlotTakenError:
            # Booked meanwhile in the back office: the person keeps their place.
            entry.write({"state": "waiting", "slot_id": False, "offer_expiry": False})
            raise
        entry.write({"state": "booked", "booking_id": booking.id})
        return booking

    @api.model
    def _psys_offer_slots(self, slots):
        """Offer each of these free slots to the oldest waiting entry of its
        partnership: the hook of whatever frees a slot (a new or reopened
        slot, a cancelled or moved booking, an expired or released offer).
        Whoever freed it, the slot goes by the list's own order."""
        # sudo: the partnership's list, whoever freed the slot; nothing of the
        # caller's input goes into an offer but the slot.
        Entry, slots = self.sudo().browse(), slots.sudo()
        now = fields.Datetime.now()
        slots = slots.filtered(lambda slot: slot.active and slot.start > now)
        entries = Entry
        if not slots:
            return entries
        waiting = Entry._read_group(
            [("partnership_id", "in", slots.partnership_id.ids), ("state", "=", "waiting")], ["partnership_id"]
        )
        partnerships = {partnership for (partnership,) in waiting}
        offered = Entry.search([("slot_id", "in", slots.ids), ("state", "=", "offered")]).slot_id
        for slot in slots.sorted("start"):
            if slot.partnership_id not in partnerships or slot in offered or slot.is_booked:
                continue
            entry = Entry._psys_next_waiting(slot.partnership_id)
            if not entry:
                partnerships.discard(slot.partnership_id)
                continue
            if entry._psys_make_offer(slot, now):
                entries |= entry
        return entries

    @api.model
    def _psys_next_waiting(self, partnership):
        """(In sudo.) The most urgent waiting entry of the partnership, the oldest among
        equals (the model's order), that no other transaction is offering a
        slot to right now."""
        self.flush_model(["priority", "date", "state"])
        self.env.cr.execute(
            """
            SELECT id FROM psys_waiting_entry
             WHERE partnership_id = %s AND state = 'waiting'
             ORDER BY priority DESC, date, id
             LIMIT 1
             FOR NO KEY UPDATE SKIP LOCKED
            """,
            [partnership.id],
        )
        row = self.env.cr.fetchone()
        entry = self.browse(row and row[0])
        entry.invalidate_recordset()
        return entry if entry.state == "waiting" else self.browse()

    def _psys_make_offer(self, slot, now):
        self.ensure_one()
        hours = self.company_id.psys_waiting_offer_hours
        if hours <= 0:
            return False  # no waiting list delay: freed slots are open to everyone at once
        expiry = min(now + timedelta(hours=hours), slot.start)
        try:
            with self.env.cr.savepoint():
                self.write({"state": "offered", "slot_id": slot.id, "offer_expiry": expiry})
                self.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            # Offered meanwhile by another transaction: never twice.
            self.invalidate_recordset()
            return False
        self._psys_notify_offer()
        return True

    def _psys_notify_offer(self):
        """Tell the worker who asked, by a message of the entry that is also
        e-mailed to them: date, place, and until when it is kept."""
        self.ensure_one()
        worker = self.requested_by_id
        entry = self.with_context(lang=worker.lang or self.env.lang)
        body = entry._psys_offer_message()
        entry.message_post(
            body=body,
            partner_ids=worker.partner_id.ids if worker else [],
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            # Her own cancellation freed the slot: she is the message's author,
            # whom mail never notifies unless told to.
            notify_author=bool(worker) and worker == self.env.user,
        )

    def _psys_offer_message(self):
        self.ensure_one()
        return _(
            "A slot is free for %(code)s: %(date)s at %(place)s. It is kept for this person until %(expiry)s; "
            "book it from the waiting list, after that it goes to the next person.",
            code=self.beneficiary_code,
            date=self._psys_local(self.slot_id.start),
            place=self.slot_id.location_id.name or "",
            expiry=self._psys_local(self.offer_expiry),
        )

    def _psys_local(self, moment):
        self.ensure_one()
        return format_datetime(self.env, moment, tz=self.partnership_id._get_tz().zone, dt_format="dd/MM/yyyy HH:mm")

    @api.model
    def _cron_expire_offers(self):
        """Offers past their delay expire and their slots go to the next
        person; offers whose slot was booked or closed meanwhile go back to
        waiting (the person keeps their place)."""
        now = fields.Datetime.now()
        offers = self.sudo().search([("state", "=", "offered")])
        void = offers.filtered(lambda entry: not entry.slot_id.active or entry.slot_id.is_booked)
        void.write({"state": "waiting", "slot_id": False, "offer_expiry": False})
        expired = (offers - void).filtered(lambda entry: entry.offer_expiry <= now)
        slots = expired.slot_id
        expired.write({"state": "expired"})
        for entry in expired:
            entry.message_post(body=_("The offer expired: the slot went to the next person on the list."))
        return self._psys_offer_slots(slots)

    # Hooks of the bookings and slots -------------------------------------

    @api.model
    def _psys_close_for_bookings(self, bookings):
        """Called by the booking's step ``_psys_book``: a person booked in a partnership
        (on the portal, in the back office, through an invitation or an
        offer) no longer waits there. Their open entry is closed as booked,
        with the booking; a slot kept for them elsewhere goes to the next
        person."""
        # sudo: the entries of the people just booked, whoever booked them;
        # nothing of the caller's input goes into them but the booking.
        active = bookings.sudo().filtered(lambda booking: booking.state in ("booked", "seen"))
        if not active:
            return self.browse()
        entries = self.sudo().search(
            [
                ("state", "in", OPEN_STATES),
                ("partnership_id", "in", active.partnership_id.ids),
                ("beneficiary_id", "in", active.beneficiary_id.ids),
            ]
        )
        released = self.env["psys.slot"]
        closed = self.browse()
        for entry in entries:
            booking = active.filtered(
                lambda b, e=entry: b.partnership_id == e.partnership_id and b.beneficiary_id == e.beneficiary_id
            )[:1]
            if not booking:
                continue
            values = {"state": "booked", "booking_id": booking.id}
            if entry.state == "offered" and entry.slot_id != booking.slot_id:
                released |= entry.slot_id
                values.update(slot_id=False, offer_expiry=False)
            entry.write(values)
            closed |= entry
        self._psys_offer_slots(released)
        return closed

    @api.model
    def _psys_kept_slot_ids(self):
        """The slots kept for the waiting list right now: not shown as free."""
        # sudo: only slot ids are read, to hide them from the free slots.
        offers = self.sudo().search([("state", "=", "offered"), ("offer_expiry", ">", fields.Datetime.now())])
        return offers.slot_id.ids

    @api.model
    def _psys_check_slot_offer(self, slot, offer=None):
        """Refuse a portal booking of a slot kept for someone on the waiting
        list (unless it is that ``offer`` being booked)."""
        offer = self.sudo().search(
            [
                ("slot_id", "=", slot.id),
                ("state", "=", "offered"),
                ("offer_expiry", ">", fields.Datetime.now()),
                ("id", "!=", offer.id if offer else 0),
            ],
            limit=1,
        )
        if offer:
            raise SlotTakenError(
                _(
                    "This slot is kept for a person on the waiting list until %(date)s: choose another one.",
                    date=offer._psys_local(offer.offer_expiry),
                )
            )
