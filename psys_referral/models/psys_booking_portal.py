from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .psys_referral import REASON_CATEGORIES, REASON_MAX_LENGTH, URGENCIES

# Context key: write a portal booking's confirmations after the answer.
# Ids are PostgreSQL integers.
MAX_ID = 2**31 - 1


def parse_id(value):
    """The record id typed in a form or a URL, or None when it is not one."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


class SlotTakenError(UserError):
    """The slot was booked by someone else: nothing to correct in the form."""


class PsysBookingPortal(models.AbstractModel):
    """The portal service: what partner staff (portal users, no right on the
    spine's models) may do with appointments — book, move, cancel, see.

    Every ``sudo()`` of the portal path is in this file, each after the
    caller's structure, partnership and inputs were checked: review them here
    at once. The controllers (``controllers/portal*.py``) call only these.
    Mixed into ``psys.booking``: its methods run on bookings."""

    _name = "psys.booking.portal"
    _description = "Appointments: the partner portal's service"

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
            booking = Booking.create(
                {
                    "slot_id": slot.id,
                    "beneficiary_id": beneficiary.id,
                    "structure_id": structure.id,
                    "booked_by_id": user.id,
                    "referral_id": referral.id,
                    "reason_category": reason_category,
                    "reason": reason,
                    "urgency": urgency,
                    "psys_notice_pending": defer_notices,
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
