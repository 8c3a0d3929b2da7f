from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..tools.booking import parse_id
from .portal import PsysReferralPortal

WAITING_FIELDS = ("partnership_id", "beneficiary_id", "age_bracket", "gender", "reason_category", "urgency")
# Codes given in the URL after an action: the page says what happened (no
# free text from the URL is ever shown).
WAITING_DONE = ("added", "booked", "withdrawn")


class PsysWaitingPortal(PsysReferralPortal):
    """The waiting list of the structure's staff: who waits, which slot is
    offered to whom until when, a button to book it, a form to add a person.
    Entries are read as the portal user: the record rules keep them to the
    structure's own entries of the partnerships the user is listed on."""

    def _psys_free_slots(self, domain=None):
        # A slot kept for the waiting list is not free for everyone.
        kept = request.env["psys.waiting.entry"]._psys_kept_slot_ids()
        return super()._psys_free_slots((domain or []) + ([("id", "not in", kept)] if kept else []))

    def _psys_waiting_entry(self, entry_id):
        entry = parse_id(entry_id) and request.env["psys.waiting.entry"].search([("id", "=", parse_id(entry_id))])
        if not entry:
            raise NotFound()
        return entry

    def _psys_render_waiting(self, error=None, done=None, posted=None, status=200):
        user = request.env.user
        if not user.share:
            raise NotFound()
        Booking = request.env["psys.booking"]
        Entry = request.env["psys.waiting.entry"]
        Beneficiary = request.env["psys.beneficiary"]
        structure = user.commercial_partner_id
        entries = Entry.search([("state", "in", ("waiting", "offered"))], limit=200) | Entry.search(
            [("state", "in", ("booked", "expired", "withdrawn"))], limit=50, order="write_date desc"
        )
        # The first names the structure may see, of its own entries' people.
        entry_names = Booking._psys_portal_person_names(structure, entries.beneficiary_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "entries": entries,
                "entry_names": {entry.id: entry_names.get(entry.beneficiary_id.id) for entry in entries},
                "entry_states": dict(Entry._fields["state"]._description_selection(request.env)),
                "partnerships": Booking._psys_portal_partnerships(user).with_env(request.env),
                "beneficiaries": Booking._psys_portal_person_options(structure),
                "age_brackets": Beneficiary._fields["age_bracket"]._description_selection(request.env),
                "genders": Beneficiary._fields["gender"]._description_selection(request.env),
                "reason_categories": Entry._fields["reason_category"]._description_selection(request.env),
                "urgencies": Entry._fields["urgency"]._description_selection(request.env),
                "error": error,
                "done": done if done in WAITING_DONE else None,
                "posted": posted or {},
                "page_name": "psys_waiting",
            }
        )
        response = request.render("psys_referral.portal_psys_waiting", values)
        response.status_code = status
        return response

    @http.route("/my/psys/waiting", type="http", auth="user", methods=["GET"], website=True)
    def psys_waiting(self, done=None, **kw):
        return self._psys_render_waiting(done=done)

    @http.route("/my/psys/waiting", type="http", auth="user", methods=["POST"], website=True)
    def psys_waiting_add(self, **post):
        if not request.env.user.share:
            raise NotFound()
        values = {key: post.get(key) for key in WAITING_FIELDS}
        try:
            request.env["psys.waiting.entry"]._psys_portal_add(request.env.user, values)
        except (UserError, ValidationError) as error:
            return self._psys_render_waiting(error=error.args[0], posted=post, status=400)
        return request.redirect("/my/psys/waiting?done=added")

    @http.route("/my/psys/waiting/<int:entry_id>/book", type="http", auth="user", methods=["POST"], website=True)
    def psys_waiting_book(self, entry_id, **post):
        entry = self._psys_waiting_entry(entry_id)
        try:
            booking = entry._psys_portal_book_offer(request.env.user)
        except (UserError, ValidationError) as error:
            # The page is rendered (and the transaction kept): an offer whose
            # slot was taken meanwhile goes back to waiting.
            return self._psys_render_waiting(error=error.args[0], status=409)
        # The new appointment is named and highlighted on the requests page.
        return request.redirect(f"/my/psys/referrals?booked={booking.id}")

    @http.route("/my/psys/waiting/<int:entry_id>/withdraw", type="http", auth="user", methods=["POST"], website=True)
    def psys_waiting_withdraw(self, entry_id, **post):
        entry = self._psys_waiting_entry(entry_id)
        try:
            entry._psys_portal_withdraw()
        except UserError as error:
            return self._psys_render_waiting(error=error.args[0], status=400)
        return request.redirect("/my/psys/waiting?done=withdrawn")
