from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.psys_booking import SlotTakenError, parse_id
from ..models.psys_referral import REASON_MAX_LENGTH

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

    @http.route("/my/psys/slots", type="http", auth="user", website=True)
    def psys_slots(self, taken=None, **kw):
        if not request.env.user.share:
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update({"slots": self._psys_free_slots(), "page_name": "psys_slots", "taken": taken})
        return request.render("psys_referral.portal_psys_slots", values)

    def _psys_booking_form_values(self, slot, error=None, posted=None):
        user = request.env.user
        Booking = request.env["psys.booking"]
        beneficiaries = Booking._psys_referred_beneficiaries(user.commercial_partner_id)
        Beneficiary = request.env["psys.beneficiary"]
        territories = (
            request.env["psys.territory"]
            .sudo()  # sudo: territory names only, shared ones or those of the slot's association
            .search(["|", ("company_id", "=", False), ("company_id", "=", slot.company_id.id)])
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "slot": slot,
                "beneficiaries": [(beneficiary.id, beneficiary.code) for beneficiary in beneficiaries],
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
        slot = self._psys_slot(slot_id)
        return request.render("psys_referral.portal_psys_book", self._psys_booking_form_values(slot))

    @http.route("/my/psys/slots/<int:slot_id>/book", type="http", auth="user", methods=["POST"], website=True)
    def psys_book(self, slot_id, **post):
        slot = self._psys_slot(slot_id)
        values = {key: post.get(key) for key in BOOKING_FIELDS}
        try:
            request.env["psys.booking"]._psys_portal_book(request.env.user, slot.id, values)
        except SlotTakenError:
            # Someone was faster: back to the free slots, nothing to correct.
            return request.redirect("/my/psys/slots?taken=1")
        except (UserError, ValidationError) as error:
            response = request.render(
                "psys_referral.portal_psys_book",
                self._psys_booking_form_values(slot, error=error.args[0], posted=post),
            )
            response.status_code = 400
            return response
        return request.redirect("/my/psys/referrals?booked=1")

    @http.route("/my/psys/referrals", type="http", auth="user", website=True)
    def psys_referrals(self, booked=None, **kw):
        # Only codes come from the URL (booked=1): a message given there would
        # be shown on the partner's page as if it came from the service.
        return self._psys_render_referrals(booked=booked)

    def _psys_render_referrals(self, booked=None, error=None):
        if not request.env.user.share:
            raise NotFound()
        bookings = request.env["psys.booking"].search([], limit=500)
        # Statuses only: the referral and relay states of the structure's own
        # bookings (found above through the record rules); nothing clinical.
        referrals = bookings.sudo().referral_id
        relay_states = {}
        orientation_labels = dict(request.env["psys.orientation"]._fields["state"]._description_selection(request.env))
        for referral in referrals:
            relays = referral.orientation_ids.sorted("date")
            if relays:
                relay_states[referral.id] = orientation_labels[relays[-1].state]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "bookings": bookings,
                "booking_states": dict(bookings._fields["state"]._description_selection(request.env)),
                "referral_states": dict(
                    request.env["psys.referral"]._fields["state"]._description_selection(request.env)
                ),
                "relay_states": relay_states,
                "now": fields.Datetime.now(),
                "booked": booked,
                "error": error,
                "page_name": "psys_referrals",
            }
        )
        return request.render("psys_referral.portal_psys_referrals", values)

    @http.route("/my/psys/bookings/<int:booking_id>/cancel", type="http", auth="user", methods=["POST"], website=True)
    def psys_cancel(self, booking_id, **post):
        booking = self._psys_booking(booking_id)
        try:
            booking._psys_portal_cancel()
        except UserError as error:
            return self._psys_referrals_error(error.args[0])
        return request.redirect("/my/psys/referrals")

    @http.route("/my/psys/bookings/<int:booking_id>/move", type="http", auth="user", methods=["GET"], website=True)
    def psys_move_form(self, booking_id, **kw):
        booking = self._psys_booking(booking_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "booking": booking,
                "slots": self._psys_free_slots([("partnership_id", "=", booking.partnership_id.id)]),
                "page_name": "psys_move",
            }
        )
        return request.render("psys_referral.portal_psys_move", values)

    @http.route("/my/psys/bookings/<int:booking_id>/move", type="http", auth="user", methods=["POST"], website=True)
    def psys_move(self, booking_id, slot_id=None, **post):
        booking = self._psys_booking(booking_id)
        if not parse_id(slot_id):
            return self._psys_referrals_error(_("Choose the new slot."))
        slot = self._psys_slot(slot_id)
        try:
            booking._psys_portal_move(slot.id)
        except UserError as error:
            return self._psys_referrals_error(error.args[0])
        return request.redirect("/my/psys/referrals")

    def _psys_referrals_error(self, message):
        response = self._psys_render_referrals(error=message)
        response.status_code = 400
        return response
