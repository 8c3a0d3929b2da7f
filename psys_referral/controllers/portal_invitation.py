from odoo import _, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.psys_invitation import InvitationUsedError
from ..tools.booking import SlotTakenError, parse_id
from .portal import NEXT_SLOTS
from .portal_waiting import PsysWaitingPortal

# Error pages of the public link: HTTP status, audit event.
INVITATION_ERRORS = {
    "unknown": 404,
    "expired": 410,
    "reused": 410,
    "limited": 429,
}


class PsysInvitationPortal(PsysWaitingPortal):
    """Invitation to self-book: the worker sends a link from the portal, the
    person opens it without an account (``/rdv/<token>``), sees the free
    slots of one partnership, by day, without any name, and books one.

    The public routes check the token's shape, the rate limits, the token
    itself and its validity before anything else; the invitation (a model no
    public or portal user may read) is then used in sudo, limited to what it
    names: one partnership, one person, one booking."""

    # The public page -------------------------------------------------------

    def _psys_invitation_address(self):
        """The client's address: behind a reverse proxy, with ``proxy_mode``
        on, Odoo sets it from ``X-Forwarded-For``."""
        return request.httprequest.remote_addr or ""

    def _psys_invitation_check(self, token):
        """``(invitation, None)`` when the link may book, else ``(invitation
        or empty, the French error page)``. A refused request writes no row:
        it is only counted by the rate limits."""
        address = self._psys_invitation_address()
        # sudo: the public user reads no invitation. The lookup by the hash
        # of the token (of the right shape, see _psys_find) is the check
        # itself; the rate limits count this address and the invitation
        # found, nothing else is read before they pass.
        Invitation = request.env["psys.invitation"].sudo()
        invitation = Invitation._psys_find(token)
        problem = (
            "limited"
            if Invitation._psys_rate_limited(invitation, address)
            else ("unknown" if not invitation else invitation._psys_unusable())
        )
        if problem:
            return invitation, self._psys_invitation_error(problem, invitation)
        return invitation, None

    def _psys_invitation_error(self, problem, invitation=None):
        values = {"problem": problem}
        if invitation:
            values["res_company"] = invitation.company_id
        response = request.render("psys_referral.portal_psys_invitation_error", values)
        response.status_code = INVITATION_ERRORS[problem]
        return response

    def _psys_invitation_days(self, slots):
        """Slots by day as on the worker's pages, without the practitioner's
        name: the place only."""
        days = self._psys_slot_days(slots)
        for day in days:
            for group in day["groups"]:
                group["practitioner"] = ""
        return days

    def _psys_render_invitation(self, invitation, token, chosen=None, taken=None, error=None, status=200):
        slots = invitation._psys_free_slots()
        proposals = []
        if taken:
            later = slots.filtered(lambda slot: slot.start >= taken.start)
            proposals = self._psys_invitation_days((later or slots)[:NEXT_SLOTS])
        values = {
            "invitation": invitation,
            "token": token,
            "res_company": invitation.company_id,
            "days": self._psys_invitation_days(slots),
            "chosen": chosen,
            "chosen_when": chosen and self._psys_when(chosen)[chosen.id],
            "taken": taken,
            "proposals": proposals,
            "error": error,
            "expiry": invitation._psys_expiry_label(),
        }
        response = request.render("psys_referral.portal_psys_invitation", values)
        response.status_code = status
        return response

    @http.route("/rdv/<string:token>", type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def psys_invitation(self, token, slot_id=None, **kw):
        invitation, error_page = self._psys_invitation_check(token)
        if error_page:
            return error_page
        address = self._psys_invitation_address()
        # A time chosen: the page asks to confirm it (a slot of this
        # partnership only, free; anything else shows the list again).
        chosen = invitation._psys_free_slots().filtered(lambda slot: slot.id == parse_id(slot_id))
        invitation._psys_log("view", address, slot=chosen)
        return self._psys_render_invitation(invitation, token, chosen=chosen)

    @http.route("/rdv/<string:token>", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def psys_invitation_book(self, token, slot_id=None, **post):
        invitation, error_page = self._psys_invitation_check(token)
        if error_page:
            return error_page
        address = self._psys_invitation_address()
        slot = invitation.env["psys.slot"].browse(parse_id(slot_id)).exists()
        try:
            booking = invitation._psys_book(slot_id)
        except SlotTakenError as error:
            invitation._psys_log("taken", address, slot=slot)
            # The slot of the partnership taken meanwhile: the next free ones.
            return self._psys_render_invitation(invitation, token, taken=slot, error=error.args[0], status=409)
        except InvitationUsedError:
            # Used meanwhile (a second click): refused, no row.
            return self._psys_invitation_error("reused", invitation)
        except (UserError, ValidationError) as error:
            invitation._psys_log("invalid", address, slot=slot, note=error.args[0])
            return self._psys_render_invitation(invitation, token, error=error.args[0], status=400)
        invitation._psys_log("booked", address, slot=booking.slot_id)
        values = {
            "booking": booking,
            "res_company": invitation.company_id,
            "when": self._psys_when(booking)[booking.id],
        }
        return request.render("psys_referral.portal_psys_invitation_booked", values)

    # The worker sends an invitation from the portal ------------------------

    def _psys_render_invite(self, error=None, link=None, channels=None, posted=None, status=200):
        self._psys_check_staff()
        user = request.env.user
        Booking = request.env["psys.booking"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "partnerships": Booking._psys_portal_partnerships(user).with_env(request.env),
                "beneficiaries": Booking._psys_portal_person_options(user.commercial_partner_id),
                "error": error,
                "link": link,
                "channels": channels or [],
                "posted": posted or {},
                "page_name": "psys_invite",
            }
        )
        response = request.render("psys_referral.portal_psys_invite", values)
        response.status_code = status
        return response

    @http.route("/my/psys/invite", type="http", auth="user", methods=["GET"], website=True)
    def psys_invite_form(self, **kw):
        return self._psys_render_invite()

    @http.route("/my/psys/invite", type="http", auth="user", methods=["POST"], website=True)
    def psys_invite(self, partnership_id=None, beneficiary_id=None, **post):
        self._psys_check_staff()
        user = request.env.user
        Booking = request.env["psys.booking"]
        partnership = Booking._psys_portal_partnerships(user).filtered(lambda p: p.id == parse_id(partnership_id))
        beneficiaries = Booking._psys_referred_beneficiaries(user.commercial_partner_id)
        beneficiary = beneficiaries.filtered(lambda b: b.id == parse_id(beneficiary_id))
        posted = {"partnership_id": partnership_id, "beneficiary_id": beneficiary_id}
        if not partnership or not beneficiary:
            return self._psys_render_invite(
                error=_("Choose a partnership of your structure and a person you referred."),
                posted=posted,
                status=400,
            )
        try:
            # sudo: the partnership is one the user books on, the person one
            # their structure referred (both checked just above); the
            # invitation model is not readable by portal users.
            invitation, link = (
                request.env["psys.invitation"]
                .sudo()
                ._psys_create_invitation(partnership.sudo(), beneficiary.sudo(), user)
            )
            channels = invitation._psys_send(link)
        except UserError as error:
            return self._psys_render_invite(error=error.args[0], posted=posted, status=400)
        return self._psys_render_invite(link=link, channels=channels)
