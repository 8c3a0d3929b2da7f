import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, mute_logger

from odoo.addons.psys_base.models.base import PRACTITIONERS, RECEPTION

from .psys_booking_notification import ics_escape, ics_fold
from .psys_referral import REASON_CATEGORIES, REASON_MAX_LENGTH, URGENCIES


class SlotTakenError(UserError):
    """The slot was booked by someone else: nothing to correct in the form."""


_logger = logging.getLogger(__name__)

# Context key: write a portal booking's confirmations after the answer.
DEFER_NOTICES = "psys_defer_notices"
NOTICES_PER_RUN = 500
# The practitioner is in one place at a time (see ``init``).
OVERLAP_CONSTRAINT = "psys_booking_practitioner_no_overlap"
# Ids are PostgreSQL integers.
MAX_ID = 2**31 - 1


def parse_id(value):
    """The record id typed in a form or a URL, or None when it is not one."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


# A session costs tens of euros: above this, a price is a typing error.
MAX_SESSION_PRICE = 1000
BOOKING_STATES = [
    ("booked", "Booked"),
    ("seen", "Seen"),
    ("excused", "Excused absence"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
]


class PsysBooking(models.Model):
    _name = "psys.booking"
    _inherit = ["psys.workflow.guard"]
    _description = "Appointment booked on a slot"
    # No chatter on purpose: partner staff read their bookings through the
    # portal record rules, and a chatter would be a side channel to them.
    # The history of a person's path is tracked on the inbound referral.
    _order = "start desc, id desc"
    _rec_name = "beneficiary_code"
    # Set by the actions (seen: encounter, tariff, price, invoice line).
    _psys_workflow_fields = (
        "state",
        "cancelled_by",
        "encounter_id",
        "price",
        "tariff",
        "invoice_line_id",
        "statement_id",
        "cancel_reason",
    )

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
    encounter_id = fields.Many2one("psys.encounter", readonly=True, copy=False)
    session_number = fields.Integer(
        compute="_compute_session_number",
        help="How many sessions the person has had in this partnership, this one included.",
    )
    session_quota = fields.Integer(related="partnership_id.session_quota")
    quota_reached = fields.Boolean(compute="_compute_session_number")
    price = fields.Monetary(readonly=True, copy=False, help="Price charged for the session.")
    tariff = fields.Selection(
        [("standard", "Standard"), ("preferential", "Preferential"), ("funded", "Funded")],
        readonly=True,
        copy=False,
    )
    invoice_line_id = fields.Many2one("account.move.line", readonly=True, copy=False)
    # The monthly statement a structure-paid or funded session went on.
    statement_id = fields.Many2one("psys.statement", readonly=True, copy=False, index="btree_not_null")
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice")
    reminder_sent = fields.Boolean(copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
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

    @api.constrains("reason")
    def _check_reason(self):
        for booking in self:
            if booking.reason and len(booking.reason) > REASON_MAX_LENGTH:
                raise ValidationError(_("The reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))

    @api.constrains("price")
    def _check_price(self):
        for booking in self:
            if not 0 <= booking.price <= MAX_SESSION_PRICE:  # NaN too
                raise ValidationError(
                    _(
                        "The price of a session is between 0 and %(max)s, not %(price)s.",
                        max=MAX_SESSION_PRICE,
                        price=booking.price,
                    )
                )

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
        # The people booked no longer wait in these partnerships.
        self.env["psys.waiting.entry"]._psys_close_for_bookings(bookings)
        return bookings

    def write(self, vals):
        # Waiting list and closing the loop: see the end of the class.
        freed, cancelled = self._psys_loop_before_write(vals)
        if "slot_id" not in vals and vals.get("state") != "booked":
            result = super().write(vals)
        else:
            try:
                with self.env.cr.savepoint():
                    result = super().write(vals)
                    self.flush_recordset()
            except psycopg2.errors.UniqueViolation as error:
                raise SlotTakenError(_("This slot is already booked: choose another one.")) from error
            except psycopg2.errors.ExclusionViolation as error:
                raise SlotTakenError(self._psys_overlap_message()) from error
        self._psys_loop_after_write(freed, cancelled)
        return result

    @api.model
    def _psys_overlap_message(self):
        return _(
            "The practitioner already has an appointment at that time, in this or another partnership: "
            "choose another slot."
        )

    # Booking by partner staff ---------------------------------------------
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
        bookings = self.sudo().search([("structure_id", "=", structure.id)])  # sudo: scoped on the structure
        referrals = self.env["psys.referral"].sudo().search([("structure_id", "=", structure.id)])  # idem
        people = bookings.beneficiary_id | referrals.beneficiary_id
        return people.filtered_domain(self.env["psys.beneficiary"]._get_returning_domain())

    @api.model
    def _psys_portal_book(self, user, slot_id, values):
        """Book ``slot_id`` for a person on behalf of portal ``user``.

        ``values``: ``beneficiary_id`` (an existing person the structure
        referred) or ``age_bracket``/``gender``/``territory_id`` (a new stub),
        optional ``first_name`` + ``phone``/``email`` with ``consent``,
        ``reason_category``, ``reason``, ``urgency``. Everything or nothing
        is written."""
        partnerships = self._psys_portal_partnerships(user)
        slot = self.env["psys.slot"].sudo().browse(parse_id(slot_id)).exists()  # sudo: checked just below
        if not slot or slot.partnership_id not in partnerships or not slot.active:
            raise UserError(_("This slot does not exist or is not open to your structure."))
        partnership = slot.partnership_id
        structure = partnership.structure_id
        if slot.start <= fields.Datetime.now():
            raise UserError(_("This slot is in the past: choose a future one."))
        self._psys_lock_slot(slot)
        self.env["psys.waiting.entry"]._psys_check_slot_offer(slot)
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
        Beneficiary = (
            self.env["psys.beneficiary"]
            .sudo()
            .with_company(partnership.company_id)
            .with_context(mail_create_nosubscribe=True)
        )
        with self.env.cr.savepoint():
            if values.get("beneficiary_id"):
                beneficiary = Beneficiary.browse(parse_id(values["beneficiary_id"])).exists()
                if not beneficiary or beneficiary not in self._psys_referred_beneficiaries(structure):
                    raise UserError(_("This person was not referred by your structure."))
            else:
                beneficiary = self._psys_portal_new_beneficiary(Beneficiary, structure, partnership, values)
            seen = self.sudo().search_count(
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
            referral = (
                self.env["psys.referral"]
                .sudo()
                .search(
                    [
                        ("beneficiary_id", "=", beneficiary.id),
                        ("partnership_id", "=", partnership.id),
                        ("state", "in", ("received", "accepted", "in_progress")),
                    ],
                    limit=1,
                )
            )
            if not referral:
                referral = (
                    self.env["psys.referral"]
                    .sudo()
                    .with_context(mail_create_nosubscribe=True)
                    .create(
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
                )
            # sudo: the portal user has no right on bookings; every input was checked above.
            booking = self.sudo().create(
                {
                    "slot_id": slot.id,
                    "beneficiary_id": beneficiary.id,
                    "structure_id": structure.id,
                    "booked_by_id": user.id,
                    "referral_id": referral.id,
                    "reason_category": reason_category,
                    "reason": reason,
                    "urgency": urgency,
                    "psys_notice_pending": bool(self.env.context.get(DEFER_NOTICES)),
                }
            )
        if booking.psys_notice_pending:
            booking._psys_trigger_notices()
        else:
            booking._psys_notify("booked")
        return booking

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
            # sudo: territories are shared reference data; only the id is kept.
            territory = self.env["psys.territory"].sudo().browse(parse_id(values["territory_id"])).exists()
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
            self.env["psys.consent"].sudo().create(
                [
                    {"beneficiary_id": beneficiary.id, "scope": scope, "method": "partner"}
                    for scope in ("named_contact", "reminders")
                ]
            )
            contact = (
                self.env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": first_name,
                        "phone": phone,
                        "email": email,
                        "psys_private_contact": True,
                        "company_id": partnership.company_id.id,
                        "lang": "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else False,
                    }
                )
            )
            beneficiary.partner_id = contact
        return beneficiary

    def _psys_check_cutoff(self):
        for booking in self:
            message = booking._psys_portal_locked_reason()
            if message:
                raise UserError(message)

    def _psys_portal_cancel(self, reason=None):
        self._psys_check_cutoff()
        reason = (reason or "").strip()
        if len(reason) > REASON_MAX_LENGTH:
            raise UserError(_("The reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))
        self._psys_send_pending_notices()
        # sudo: ownership checked by caller
        self.sudo().write({"state": "cancelled", "cancelled_by": "structure", "cancel_reason": reason or False})
        self._psys_notify("cancelled")

    def _psys_portal_move(self, slot_id):
        self.ensure_one()
        self._psys_check_cutoff()
        slot = self.env["psys.slot"].sudo().browse(parse_id(slot_id)).exists()  # sudo: checked below
        if not slot or slot.partnership_id != self.partnership_id or not slot.active:
            raise UserError(_("This slot does not exist or is not open to your structure."))
        if slot.start <= fields.Datetime.now():
            raise UserError(_("This slot is in the past: choose a future one."))
        self.env["psys.waiting.entry"]._psys_check_slot_offer(slot)
        self._psys_send_pending_notices()
        self.sudo().write({"slot_id": slot.id})  # sudo: ownership checked by caller
        self._psys_notify("moved")

    # Back office -----------------------------------------------------------

    def action_mark_seen(self):
        self._psys_check_action("write", PRACTITIONERS)
        now = fields.Datetime.now()
        for booking in self:
            if booking.state != "booked":
                raise UserError(_("Only a booked appointment can be marked as seen."))
            if booking.start > now:
                raise UserError(_("A session cannot be marked as seen before it starts."))
        for booking in self:
            encounter = self.env["psys.encounter"].create(booking._prepare_encounter_values())
            # sudo: workflow fields of a booking (and its referral) the caller may write, checked above.
            booking.sudo().write({"encounter_id": encounter.id, "state": "seen"})
            if booking.referral_id.state in ("received", "accepted"):
                booking.referral_id.sudo().state = "in_progress"
            booking._psys_invoice()

    def action_mark_excused(self):
        self._psys_check_action("write", RECEPTION)
        self._check_state_booked()
        self.sudo().write({"state": "excused"})  # sudo: workflow field, the caller was checked above

    def action_mark_no_show(self):
        self._psys_check_action("write", RECEPTION)
        self._check_state_booked()
        self.sudo().write({"state": "no_show"})  # sudo: workflow field, the caller was checked above

    def action_cancel(self):
        self._psys_check_action("write", RECEPTION)
        self._check_state_booked()
        self._psys_send_pending_notices()
        # sudo: workflow fields, the caller was checked above.
        self.sudo().write({"state": "cancelled", "cancelled_by": "service"})
        self._psys_notify("cancelled")

    def _check_state_booked(self):
        if any(booking.state != "booked" for booking in self):
            raise UserError(_("Only a booked appointment can change status this way."))

    def _prepare_encounter_values(self):
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
        self.env["psys.orientation"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "res_model": "psys.orientation",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_encounter_id": self.encounter_id.id,
                "default_beneficiary_id": self.beneficiary_id.id,
                "default_referral_id": self.referral_id.id,
                "default_booking_id": self.id,
            },
        }

    # Invoicing -------------------------------------------------------------

    def _psys_paid_by_person(self):
        """The seen sessions the person paid themselves: what a receipt for a
        mutuelle may list (not those the structure pays, nor unpaid ones)."""
        return self.filtered(
            lambda booking: booking.state == "seen"
            and booking.price
            and booking.invoice_id.state == "posted"
            and booking.invoice_id.payment_state in ("paid", "in_payment")
            and booking.invoice_id.partner_id == booking.beneficiary_id.partner_id
        )

    def _psys_invoice_partner(self):
        self.ensure_one()
        if self.partnership_id.payer == "structure":
            return self.partnership_id.structure_id
        if not self.beneficiary_id.partner_id:
            raise UserError(
                _(
                    "%(code)s pays the session but has no consented named contact: "
                    "record the consent and the contact before marking the session as seen.",
                    code=self.beneficiary_code,
                )
            )
        return self.beneficiary_id.partner_id

    def _psys_invoice_line_name(self, partner, service_date, tariff):
        """The invoice line's label: the date of service and the tariff. The
        pseudonymous code only on a structure's invoice (its staff know their
        users by code); never on an invoice handed to the person."""
        self.ensure_one()
        tariff_name = dict(self._fields["tariff"]._description_selection(self.env))[tariff]
        if partner == self.beneficiary_id.partner_id:
            return _("Session of %(date)s (%(tariff)s tariff)", date=service_date, tariff=tariff_name)
        return _(
            "Session of %(date)s – %(code)s (%(tariff)s tariff)",
            date=service_date,
            code=self.beneficiary_code,
            tariff=tariff_name,
        )

    def _psys_referred_through_structure(self):
        """The bookings whose person came through their partnership's
        structure: booked by it (this booking or another one), or an inbound
        referral from it. Whatever the channel the booking was made through
        (portal, back office, a new booking after a move)."""
        structures, people = self.partnership_id.structure_id, self.beneficiary_id
        referred = set()
        if structures and people:
            domain = [
                ("structure_id", "in", structures.ids),
                ("beneficiary_id", "in", people.ids),
                ("company_id", "in", self.company_id.ids),
            ]
            for model in ("psys.referral", "psys.booking"):
                # sudo: only who referred whom is read, to price these bookings.
                groups = self.env[model].sudo()._read_group(domain, ["structure_id", "beneficiary_id"])
                referred.update((structure.id, beneficiary.id) for structure, beneficiary in groups)
        return self.filtered(
            lambda booking: (booking.partnership_id.structure_id.id, booking.beneficiary_id.id) in referred
        )

    def _psys_session_tariffs(self):
        """``{booking id: (tariff, price)}``: the one place a session's tariff
        is decided. Preferential when the partnership grants it to the people
        its structure refers and this person was (see
        ``_psys_referred_through_structure``)."""
        referred = self._psys_referred_through_structure()
        tariffs = {}
        for booking in self:
            partnership = booking.partnership_id
            is_referred = booking in referred
            if partnership.tariff_policy == "funded":
                tariff = "funded"
            elif partnership.tariff_policy == "preferential" and is_referred:
                tariff = "preferential"
            else:
                tariff = "standard"
            tariffs[booking.id] = (tariff, partnership._get_session_price(is_referred))
        return tariffs

    def _psys_invoice(self):
        """A seen paid session becomes a customer invoice line.

        Called by ``action_mark_seen`` once it checked the caller: tariff,
        price and invoice line are workflow fields, written in sudo."""
        tariffs = self._psys_session_tariffs()
        for booking in self.sudo():
            partnership = booking.partnership_id
            tariff, price = tariffs[booking.id]
            booking.write({"tariff": tariff, "price": price})
            if partnership.tariff_policy == "funded":
                continue  # free for the person, at the funded rate for the funder's statement
            if not partnership.product_id or not price or partnership.payer == "structure":
                continue  # a paying structure is invoiced by its monthly statement (psys.statement)
            partner = booking._psys_invoice_partner()
            invoice = booking._psys_find_or_create_invoice(partner)
            service_date = format_datetime(
                self.env, booking.start, tz=partnership._get_tz().zone, dt_format="dd/MM/yyyy HH:mm"
            )
            invoice.write(
                {
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": partnership.product_id.id,
                                "name": booking._psys_invoice_line_name(partner, service_date, tariff),
                                "quantity": 1.0,
                                "price_unit": price,
                                "tax_ids": booking.company_id._psys_invoice_line_taxes(),
                                "psys_booking_id": booking.id,
                            },
                        )
                    ]
                }
            )
            booking.invoice_line_id = invoice.invoice_line_ids.filtered(
                lambda line, b=booking: line.psys_booking_id == b
            )

    def _psys_find_or_create_invoice(self, partner):
        self.ensure_one()
        # sudo: practitioners mark sessions seen without being accountants; the
        # draft is built only from this checked booking, posting and payments
        # stay with the invoicing users.
        Move = self.env["account.move"].sudo().with_company(self.company_id)
        if self.partnership_id.payer == "structure":
            # The structure is invoiced monthly: sessions add up on its draft invoice.
            invoice = Move.search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "draft"),
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.company_id.id),
                    ("psys_partnership_id", "=", self.partnership_id.id),
                ],
                limit=1,
            )
            if invoice:
                return invoice
        company = self.company_id
        mention = company._psys_vat_mention()
        narration = "<br/>".join(
            part
            for part in (
                mention,
                company.company_registry and _("SIRET: %(siret)s", siret=company.company_registry),
            )
            if part
        )
        return Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company.id,
                "invoice_date": fields.Date.context_today(self),
                "narration": narration,
                "psys_partnership_id": self.partnership_id.id,
            }
        )

    # Reminders -------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self, partnerships=None):
        """Remind the bookings that start within the company's notice, of
        every partnership or only of ``partnerships``."""
        now = fields.Datetime.now()
        template = self.env.ref("psys_referral.mail_template_booking_reminder", raise_if_not_found=False)
        if not template:
            return
        for company in self.env["res.company"].search([("psys_reminder_hours", ">", 0)]):
            bookings = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "booked"),
                    ("reminder_sent", "=", False),
                    ("start", ">", now),
                    ("start", "<=", now + timedelta(hours=company.psys_reminder_hours)),
                ]
                + ([("partnership_id", "in", partnerships.ids)] if partnerships is not None else [])
            )
            bookings._psys_notify("reminder")
            bookings.write({"reminder_sent": True})

    def _psys_local_start(self):
        self.ensure_one()
        return format_datetime(
            self.env, self.start, tz=self.partnership_id._get_tz().zone, dt_format="dd/MM/yyyy HH:mm"
        )

    def _psys_statement_label(self):
        """Date, place and code of a session: what a statement or a structure's
        invoice says about it (no name, nothing clinical)."""
        self.ensure_one()
        return _(
            "Session of %(date)s – %(place)s – %(code)s",
            date=self._psys_local_start(),
            place=self.location_id.name,
            code=self.beneficiary_code,
        )

    # Phone-first portal pages (issue 13) -----------------------------------

    cancel_reason = fields.Char(
        string="Cancellation reason",
        readonly=True,
        copy=False,
        help="Why the structure cancelled the appointment, as its staff typed it on the portal.",
    )

    def _psys_portal_locked_reason(self):
        """Why the structure's staff may no longer move or cancel this
        appointment themselves, or an empty string when they still may.
        The portal hides the buttons and shows this sentence instead."""
        self.ensure_one()
        if self.state != "booked":
            return _("Only a booked appointment can be cancelled or moved.")
        cutoff = self.company_id.psys_cancel_cutoff_hours
        if self.start - timedelta(hours=cutoff) <= fields.Datetime.now():
            return _(
                "Appointments can be cancelled or moved only up to %(hours)s hours before: "
                "please call the practitioner.",
                hours=cutoff,
            )
        return ""

    def _psys_portal_first_names(self, structure):
        """``{booking id: first name}`` for the bookings of ``structure``
        whose person gave that structure a first name, with a consent to be
        known by it that still holds. Another structure never gets it, even
        for a person it booked later."""
        names = {}
        # sudo: the first name only, of people this structure itself named
        # with their consent; the bookings come through the record rules.
        for booking in self.filtered(lambda booking: booking.structure_id == structure).sudo():
            beneficiary = booking.beneficiary_id
            if (
                beneficiary.first_referrer_id == structure
                and beneficiary.partner_id
                and beneficiary.has_contact_consent
            ):
                names[booking.id] = beneficiary.partner_id.name
        return names

    @api.model
    def _psys_portal_territories(self, partnership):
        """The territories a structure's staff may give for a new person:
        the towns of the partnership's place and everything under them, not
        every town of the association."""
        # sudo: reference data (territory names) under the partnership's place.
        territory = partnership.sudo().location_id.territory_id
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
                    ("company_id", "in", [False, partnership.sudo().company_id.id]),
                ]
            )
        )

    # Confirmations and reminders (e-mail, calendar file, SMS, slip) ---------
    # What the messages say: date, time, place, address, how to cancel; never
    # what the appointment is for (see models/psys_booking_notification.py).

    def _psys_notify(self, event):
        """Tell the worker, the consented person and the practitioner of
        ``event`` (booked, moved, cancelled, reminder) on these bookings.
        Called once the caller's action was checked."""
        if event != "booked":
            self._psys_send_pending_notices()  # the confirmation first
        # sudo: the messages are written from templates and read the places
        # and contacts of these bookings, whose action the caller passed.
        self.env["psys.booking.notification"].sudo()._notify_bookings(self, event)

    def _psys_person_may_be_told(self):
        """The person gave a current consent to be contacted by name and to
        receive reminders."""
        self.ensure_one()
        beneficiary = self.beneficiary_id
        scopes = set(beneficiary.consent_ids.filtered(lambda consent: consent.state == "given").mapped("scope"))
        return bool(beneficiary.partner_id) and {"named_contact", "reminders"} <= scopes

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

    def _psys_ics(self, cancel=False, audience="person"):
        """A calendar file (RFC 5545) of the appointment; the same UID across
        moves, so calendars update the entry."""
        self.ensure_one()
        summary = _("Appointment") if audience == "person" else _("Appointment %(code)s", code=self.beneficiary_code)
        place = ", ".join(filter(None, [self._psys_place_name(), self._psys_place_address()]))
        stamp = "%Y%m%dT%H%M%SZ"
        now = fields.Datetime.now()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "psys")
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//psys//appointments//FR",
            "METHOD:" + ("CANCEL" if cancel else "PUBLISH"),
            "BEGIN:VEVENT",
            f"UID:psys-booking-{self.id}-{uuid}",
            "DTSTAMP:" + now.strftime(stamp),
            f"SEQUENCE:{max(0, int((now - (self.create_date or now)).total_seconds()))}",
            "DTSTART:" + self.start.strftime(stamp),
            "DTEND:" + self.stop.strftime(stamp),
            "SUMMARY:" + ics_escape(summary),
            "LOCATION:" + ics_escape(place),
            "DESCRIPTION:" + ics_escape(self._psys_how_to_cancel(audience)),
            "STATUS:" + ("CANCELLED" if cancel else "CONFIRMED"),
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode()

    @api.model
    def _psys_sms_number(self, phone, company=None):
        """The phone in international format, or False when it is not a phone number."""
        company = company or self.company_id[:1] or self.env.company
        country = company.country_id or self.env.ref("base.fr", raise_if_not_found=False)
        return self.env["res.partner"]._phone_format(number=phone, country=country, force_format="E164")

    def _psys_sms_body(self, event):
        """The SMS text: date, time, place and who to tell; nothing about why."""
        self.ensure_one()
        values = {
            "date": self._psys_local("dd/MM/yyyy"),
            "time": self._psys_local_time(),
            "place": ", ".join(filter(None, [self._psys_place_name(), self._psys_place_address()])),
            "contact": self._psys_cancel_contact(),
        }
        if event == "moved":
            return _("Your appointment is moved to %(date)s at %(time)s, %(place)s. To cancel: %(contact)s.", **values)
        if event == "cancelled":
            return _("Your appointment of %(date)s at %(time)s is cancelled. For another one: %(contact)s.", **values)
        if event == "reminder":
            return _("Reminder: appointment on %(date)s at %(time)s, %(place)s. To cancel: %(contact)s.", **values)
        return _("Appointment booked on %(date)s at %(time)s, %(place)s. To cancel: %(contact)s.", **values)

    def _psys_unreachable_text(self, kind):
        self.ensure_one()
        if kind == "sms":
            return _(
                "No SMS sent for the appointment of %(date)s: the consented phone number "
                "is not a valid phone number. Check it with the person.",
                date=self._psys_local_start(),
            )
        who = _("the person") if kind == "mail_person" else _("the referring worker")
        return _(
            "An e-mail about the appointment of %(date)s could not be delivered to %(who)s: "
            "reach them another way (phone, printable slip).",
            date=self._psys_local_start(),
            who=who,
        )

    def _psys_note_unreachable(self, kind, activity=False):
        """Write on the referral (or the person's record) that a message could
        not reach someone (``kind``: sms, mail_person, mail_worker), in the
        team's language; with ``activity``, the practitioner gets a to-do."""
        self.ensure_one()
        lang = self.practitioner_id.lang or self.company_id.partner_id.lang or self.env.lang
        booking = self.with_context(lang=lang)
        body = booking._psys_unreachable_text(kind)
        # sudo: an internal note on the booking's referral, for the team; no
        # one outside the association reads referral notes.
        record = (self.referral_id or self.beneficiary_id).sudo().with_context(lang=lang)
        record.message_post(body=body, subtype_xmlid="mail.mt_note")
        if activity and self.practitioner_id:
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.practitioner_id.id,
                summary=booking._psys_unreachable_summary(),
                note=body,
            )

    def _psys_unreachable_summary(self):
        return _("Message not delivered")

    # Waiting list and closing the loop (issue 13) ---------------------------

    def _psys_loop_before_write(self, vals):
        """The slots this write frees (a booking cancelled or moved away) and
        the bookings it cancels, read before the write changes them."""
        active = self.filtered(lambda booking: booking.state != "cancelled")
        freed = self.env["psys.slot"]
        if vals.get("state") == "cancelled":
            freed = active.slot_id
        elif vals.get("slot_id"):
            freed = active.filtered(lambda booking: booking.slot_id.id != vals["slot_id"]).slot_id
        cancelled = active if vals.get("state") == "cancelled" else self.browse()
        return freed, cancelled

    def _psys_loop_after_write(self, freed, cancelled):
        if cancelled:
            cancelled.referral_id._psys_after_booking_cancelled(cancelled)
        if freed:
            # sudo: a freed slot is offered whoever freed it; nothing of the
            # caller's input goes into the offer.
            self.env["psys.waiting.entry"].sudo()._psys_offer_slots(freed)

    # Confirmations after the answer (issue 13, performance) ------------------
    # A portal booking answers as fast as any portal page: its confirmations
    # (queued mails and SMS either way) are written by a job triggered at
    # once, or before anything else is said of that booking.

    psys_notice_pending = fields.Boolean(
        string="Confirmations pending",
        copy=False,
        help="The booking's confirmations are still to be written (within seconds).",
    )

    def _psys_trigger_notices(self):
        # sudo: a trigger of the notices job; nothing of the caller goes into it.
        self.env.ref("psys_referral.ir_cron_psys_booking_notices").sudo()._trigger()

    def _psys_send_pending_notices(self):
        """Write the confirmations these bookings still wait for, as the
        worker who booked (as when they were written at booking time)."""
        # sudo: the flag is ours; the confirmations are those of the booking.
        pending = self.sudo().filtered("psys_notice_pending")
        if not pending:
            return
        pending.write({"psys_notice_pending": False})
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
