import pytz
from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.psys_referral import REASON_MAX_LENGTH
from ..tools.booking import SlotTakenError, parse_id

BOOKING_FIELDS = (
    "beneficiary_id",
    "age_bracket",
    "gender",
    "territory_id",
    "first_name",
    "phone",
    "email",
    "consent",
    "reason_category",
    "reason",
    "urgency",
)
# Free slots: so many days on a page, so many other slots proposed when the
# one chosen was taken meanwhile.
DAYS_PER_PAGE = 5
NEXT_SLOTS = 4


class PsysReferralPortal(CustomerPortal):
    """Pages of the partner structures' staff. Every record is read as the
    portal user, so the record rules (their structure, their partnerships)
    decide; an id of another structure is simply not found."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "psys_booking_count" in counters:
            values["psys_booking_count"] = (
                request.env["psys.booking"].search_count([]) if self._psys_is_booking_staff() else 0
            )
        return values

    def _psys_is_booking_staff(self):
        user = request.env.user
        return bool(user.share and request.env["psys.partnership"].search_count([]))

    def _psys_slot(self, slot_id):
        # An id out of the database's range is not found either (not a 500).
        slot = parse_id(slot_id) and request.env["psys.slot"].search([("id", "=", parse_id(slot_id))])
        if not slot:
            raise NotFound()
        return slot

    def _psys_booking(self, booking_id):
        booking = parse_id(booking_id) and request.env["psys.booking"].search([("id", "=", parse_id(booking_id))])
        if not booking:
            raise NotFound()
        return booking

    def _psys_free_slots(self, domain=None):
        return request.env["psys.slot"].search(
            [("start", ">", fields.Datetime.now()), ("is_booked", "=", False)] + (domain or []),
            limit=300,
        )

    def _psys_check_staff(self):
        """The portal pages are for partner staff: internal users work in
        the back office. Checked first in every route, before any sudo()."""
        if not request.env.user.share:
            raise NotFound()

    def _psys_local_start(self, record):
        """The local start of a slot or a booking, in its practitioner's time zone."""
        # sudo: the time zone only, of a partnership the record rules let through.
        return pytz.utc.localize(record.start).astimezone(record.partnership_id.sudo()._get_tz())

    def _psys_day_label(self, day):
        return format_date(request.env, day, date_format="EEEE d MMMM").capitalize()

    def _psys_when(self, records):
        """``{id: "Mardi 10 novembre, 09:00"}`` of slots or bookings."""
        whens = {}
        for record in records:
            local = self._psys_local_start(record)
            whens[record.id] = f"{self._psys_day_label(local.date())}, {local:%H:%M}"
        return whens

    def _psys_slot_days(self, slots):
        """``slots`` grouped by local day, then by practitioner and place:
        ``[{"date", "label", "groups": [{"practitioner", "place",
        "home_visit", "slots": [(slot, "HH:MM")]}]}]``, in time order."""
        days = {}
        for slot in slots:
            local = self._psys_local_start(slot)
            key = (slot.practitioner_name or "", "" if slot.home_visit else slot.location_name or "", slot.home_visit)
            days.setdefault(local.date(), {}).setdefault(key, []).append((slot, f"{local:%H:%M}"))
        return [
            {
                "date": day,
                "label": self._psys_day_label(day),
                "groups": [
                    {"practitioner": practitioner, "place": place, "home_visit": home_visit, "slots": times}
                    for (practitioner, place, home_visit), times in groups.items()
                ],
            }
            for day, groups in sorted(days.items())
        ]

    @http.route(["/my/psys/slots", "/my/psys/slots/page/<int:page>"], type="http", auth="user", website=True)
    def psys_slots(self, page=1, location=None, practitioner=None, taken=None, **kw):
        self._psys_check_staff()
        slots = self._psys_free_slots()
        # The filters offer what the structure's free slots have, by name (its
        # staff read neither places nor users).
        locations = dict(
            sorted({(slot.location_id.id, slot.location_name or "") for slot in slots}, key=lambda o: o[1])
        )
        practitioners = dict(
            sorted({(slot.practitioner_id.id, slot.practitioner_name or "") for slot in slots}, key=lambda o: o[1])
        )
        location_id = parse_id(location) if parse_id(location) in locations else None
        practitioner_id = parse_id(practitioner) if parse_id(practitioner) in practitioners else None
        if location_id or practitioner_id:
            slots = self._psys_free_slots(
                ([("location_id", "=", location_id)] if location_id else [])
                + ([("practitioner_id", "=", practitioner_id)] if practitioner_id else [])
            )
        days = self._psys_slot_days(slots)
        url_args = {
            key: value for key, value in (("location", location_id), ("practitioner", practitioner_id)) if value
        }
        pager = portal_pager(url="/my/psys/slots", url_args=url_args, total=len(days), page=page, step=DAYS_PER_PAGE)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "days": days[pager["offset"] : pager["offset"] + DAYS_PER_PAGE],
                "pager": pager,
                "locations": locations,
                "practitioners": practitioners,
                "location_id": location_id,
                "practitioner_id": practitioner_id,
                "page_name": "psys_slots",
                "taken": taken,
            }
        )
        return request.render("psys_referral.portal_psys_slots", values)

    def _psys_booking_form_values(self, slot, error=None, posted=None, taken=False):
        user = request.env.user
        Booking = request.env["psys.booking"]
        Beneficiary = request.env["psys.beneficiary"]
        territories = Booking._psys_portal_territories(slot.partnership_id)
        proposals = []
        if taken:
            # The next free slots of the same partnership, from the one taken on.
            free = self._psys_free_slots([("partnership_id", "=", slot.partnership_id.id), ("id", "!=", slot.id)])
            later = free.filtered(lambda other: other.start >= slot.start)
            proposals = self._psys_slot_days((later or free)[:NEXT_SLOTS])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "slot": slot,
                "slot_when": self._psys_when(slot)[slot.id],
                "taken": taken,
                "proposals": proposals,
                "beneficiaries": Booking._psys_portal_person_options(user.commercial_partner_id),
                "age_brackets": Beneficiary._fields["age_bracket"]._description_selection(request.env),
                "genders": Beneficiary._fields["gender"]._description_selection(request.env),
                "territories": [(territory.id, territory.display_name) for territory in territories],
                "reason_categories": dict(
                    Booking._fields["reason_category"]._description_selection(request.env)
                ).items(),
                "urgencies": Booking._fields["urgency"]._description_selection(request.env),
                "reason_max_length": REASON_MAX_LENGTH,
                "error": error,
                "posted": posted or {},
                "page_name": "psys_book",
            }
        )
        return values

    @http.route("/my/psys/slots/<int:slot_id>/book", type="http", auth="user", methods=["GET"], website=True)
    def psys_book_form(self, slot_id, **kw):
        self._psys_check_staff()
        slot = self._psys_slot(slot_id)
        return request.render(
            "psys_referral.portal_psys_book", self._psys_booking_form_values(slot, taken=slot.is_booked)
        )

    @http.route("/my/psys/slots/<int:slot_id>/book", type="http", auth="user", methods=["POST"], website=True)
    def psys_book(self, slot_id, **post):
        self._psys_check_staff()
        slot = self._psys_slot(slot_id)
        values = {key: post.get(key) for key in BOOKING_FIELDS}
        try:
            # The confirmations are written right after the answer (queued either way).
            booking = request.env["psys.booking"]._psys_portal_book(
                request.env.user, slot.id, values, defer_notices=True
            )
        except SlotTakenError as error:
            # Someone was faster: the form comes back as it was typed, with
            # the next free slots of the partnership to book it on instead.
            response = request.render(
                "psys_referral.portal_psys_book",
                self._psys_booking_form_values(slot, error=error.args[0], posted=post, taken=True),
            )
            response.status_code = 409
            return response
        except (UserError, ValidationError) as error:
            response = request.render(
                "psys_referral.portal_psys_book",
                self._psys_booking_form_values(slot, error=error.args[0], posted=post),
            )
            response.status_code = 400
            return response
        return request.redirect(f"/my/psys/referrals?booked={booking.id}")

    @http.route("/my/psys/referrals", type="http", auth="user", website=True)
    def psys_referrals(self, booked=None, moved=None, cancelled=None, **kw):
        # Only ids come from the URL: a message given there would be shown on
        # the partner's page as if it came from the service. An id that is not
        # one of the structure's bookings is simply not highlighted.
        for done, booking_id in (("booked", booked), ("moved", moved), ("cancelled", cancelled)):
            if parse_id(booking_id):
                return self._psys_render_referrals(done=done, done_id=parse_id(booking_id))
        return self._psys_render_referrals()

    def _psys_render_referrals(self, done=None, done_id=None, error=None):
        self._psys_check_staff()
        bookings = request.env["psys.booking"].search([], limit=500)
        done_booking = bookings.filtered(lambda booking: booking.id == done_id)
        # Statuses only: the referral and relay states of the structure's own
        # bookings (found above through the record rules); nothing clinical.
        referrals = bookings.sudo().referral_id
        relay_states = {}
        orientation_labels = dict(request.env["psys.orientation"]._fields["state"]._description_selection(request.env))
        for referral in referrals:
            relays = referral.orientation_ids.sorted("date")
            if relays:
                relay_states[referral.id] = orientation_labels[relays[-1].state]
        # The slot a cancellation just freed may be offered to another person
        # this structure put on the waiting list: say so where the worker
        # looks, with the button to book it (read as her: the record rules).
        freed_offers = request.env["psys.waiting.entry"]
        if done == "cancelled" and done_booking:
            freed_offers = freed_offers.search([("state", "=", "offered"), ("slot_id", "=", done_booking.slot_id.id)])
        now = fields.Datetime.now()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "freed_offers": freed_offers,
                "offer_notices": {offer.id: self._psys_offer_notice(offer) for offer in freed_offers},
                "bookings": bookings,
                "booking_states": dict(bookings._fields["state"]._description_selection(request.env)),
                "referral_states": dict(
                    request.env["psys.referral"]._fields["state"]._description_selection(request.env)
                ),
                "relay_states": relay_states,
                "first_names": bookings._psys_portal_first_names(request.env.user.commercial_partner_id),
                "whens": self._psys_when(bookings),
                "locked_reasons": {
                    booking.id: booking._psys_portal_locked_reason()
                    for booking in bookings
                    if booking.state == "booked" and booking.start > now
                },
                "now": now,
                "done": done_booking and done,
                "done_booking": done_booking,
                "error": error,
                "page_name": "psys_referrals",
            }
        )
        return request.render("psys_referral.portal_psys_referrals", values)

    def _psys_offer_notice(self, offer):
        """The offer of a slot to a person of the structure's waiting list, in words."""
        start = self._psys_local_start(offer.slot_id)
        expiry = pytz.utc.localize(offer.offer_expiry).astimezone(start.tzinfo)
        when = f"{self._psys_day_label(start.date())}, {start:%H:%M}"
        until = f"{self._psys_day_label(expiry.date())}, {expiry:%H:%M}"
        return _(
            "The freed slot, %(when)s, is offered to %(code)s from your waiting list: "
            "it is kept for this person until %(expiry)s.",
            when=when,
            code=offer.beneficiary_code,
            expiry=until,
        )

    def _psys_render_cancel(self, booking, error=None, reason=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "booking": booking,
                "whens": self._psys_when(booking),
                "locked_reason": booking._psys_portal_locked_reason(),
                "first_names": booking._psys_portal_first_names(request.env.user.commercial_partner_id),
                "reason_max_length": REASON_MAX_LENGTH,
                "error": error,
                "reason": reason or "",
                "page_name": "psys_cancel",
            }
        )
        return request.render("psys_referral.portal_psys_cancel", values)

    @http.route("/my/psys/bookings/<int:booking_id>/cancel", type="http", auth="user", methods=["GET"], website=True)
    def psys_cancel_form(self, booking_id, **kw):
        self._psys_check_staff()
        return self._psys_render_cancel(self._psys_booking(booking_id))

    @http.route("/my/psys/bookings/<int:booking_id>/cancel", type="http", auth="user", methods=["POST"], website=True)
    def psys_cancel(self, booking_id, reason=None, **post):
        self._psys_check_staff()
        booking = self._psys_booking(booking_id)
        reason = (reason or "").strip()
        try:
            if not reason:
                raise UserError(_("Give the reason for the cancellation: the practitioner reads it."))
            booking._psys_portal_cancel(reason)
        except UserError as error:
            response = self._psys_render_cancel(booking, error=error.args[0], reason=reason)
            response.status_code = 400
            return response
        return request.redirect(f"/my/psys/referrals?cancelled={booking.id}")

    @http.route("/my/psys/bookings/<int:booking_id>/move", type="http", auth="user", methods=["GET"], website=True)
    def psys_move_form(self, booking_id, **kw):
        self._psys_check_staff()
        booking = self._psys_booking(booking_id)
        slots = self._psys_free_slots([("partnership_id", "=", booking.partnership_id.id)])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "booking": booking,
                "whens": self._psys_when(booking),
                "locked_reason": booking._psys_portal_locked_reason(),
                "first_names": booking._psys_portal_first_names(request.env.user.commercial_partner_id),
                "days": self._psys_slot_days(slots)[: DAYS_PER_PAGE * 2],
                "page_name": "psys_move",
            }
        )
        return request.render("psys_referral.portal_psys_move", values)

    @http.route("/my/psys/bookings/<int:booking_id>/move", type="http", auth="user", methods=["POST"], website=True)
    def psys_move(self, booking_id, slot_id=None, **post):
        self._psys_check_staff()
        booking = self._psys_booking(booking_id)
        if not parse_id(slot_id):
            return self._psys_referrals_error(_("Choose the new slot."))
        slot = self._psys_slot(slot_id)
        try:
            booking._psys_portal_move(slot.id)
        except UserError as error:
            return self._psys_referrals_error(error.args[0])
        return request.redirect(f"/my/psys/referrals?moved={booking.id}")

    def _psys_referrals_error(self, message):
        response = self._psys_render_referrals(error=message)
        response.status_code = 400
        return response
