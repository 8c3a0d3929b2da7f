from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from ..models.psys_waiting_entry import OfferTakenError
from ..tools.booking import SlotTakenError
from .common import PsysReferralCase


class WaitingCase(PsysReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Entry = cls.env["psys.waiting.entry"]
        cls.Booking = cls.env["psys.booking"]
        cls.env.company.psys_waiting_offer_hours = 24

    def _add(self, user=None, **values):
        values = dict(
            {"partnership_id": self.partnership.id, "age_bracket": "26_39", "reason_category": "stress"}, **values
        )
        return self.Entry._psys_portal_add(user or self.user_portal, values).sudo()

    def _book(self, slot, **values):
        return self.Booking._psys_portal_book(self.user_portal, slot.id, self._book_values(**values))

    def _queue(self):
        """Both slots booked, two people waiting (the first one older)."""
        booking = self._book(self.slot)
        other = self._book(self.slot_2)
        first, second = self._add(), self._add()
        first.date = fields.Datetime.now() - timedelta(days=2)
        second.date = fields.Datetime.now() - timedelta(days=1)
        return booking, other, first, second


@tagged("psys_referral", "post_install", "-at_install")
class TestWaitingList(WaitingCase):
    def test_entry_is_a_request_without_appointment(self):
        entry = self._add()
        self.assertEqual(entry.state, "waiting")
        self.assertEqual(entry.structure_id, self.structure)
        self.assertEqual(entry.requested_by_id, self.user_portal)
        self.assertEqual(entry.referral_id.state, "received")
        self.assertEqual(entry.referral_id.beneficiary_id, entry.beneficiary_id)
        # The same person twice on one list: a clear answer, no second entry.
        with self.assertRaisesRegex(UserError, "already on the waiting list"):
            self._add(beneficiary_id=entry.beneficiary_id.id)
        # Another structure's partnership: refused.
        with self.assertRaisesRegex(UserError, "partnership of your structure"):
            self._add(partnership_id=self.partnership_b.id)

    def test_cancelled_slot_goes_to_the_oldest_waiting_person(self):
        booking, _other, first, second = self._queue()
        booking._psys_portal_cancel()
        self.assertEqual(first.state, "offered")
        self.assertEqual(first.slot_id, self.slot)
        self.assertEqual(first.offer_expiry, fields.Datetime.now() + timedelta(hours=24))
        self.assertEqual(second.state, "waiting")
        # The worker is told by a message e-mailed to them: when, where, until when.
        message = first.message_ids.filtered(lambda m: self.user_portal.partner_id in m.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertIn(first.beneficiary_code, message.body)
        # Kept for that person: hidden from the free slots, refused to a plain booking.
        self.assertIn(self.slot.id, self.Entry._psys_kept_slot_ids())
        with self.assertRaisesRegex(SlotTakenError, "kept for a person on the waiting list"):
            self._book(self.slot)

    def test_create_and_write_change_nothing_else(self):
        """A booking's consequences are its steps' (book, move, cancel): a
        plain create or write (an import, a script) leaves the waiting list,
        the calendar and the notices alone."""
        booking, _other, first, _second = self._queue()
        self._before_commit()
        event = booking.sudo().calendar_event_id
        sms_count = self.env["sms.sms"].search_count([])
        booking.sudo().write({"state": "cancelled", "cancelled_by": "service"})
        self._before_commit()
        self.assertEqual(first.state, "waiting", "no offer without the cancel step")
        self.assertTrue(event.exists(), "the event goes with the cancel step only")
        self.Booking.create({"slot_id": self.slot.id, "beneficiary_id": first.beneficiary_id.id})
        self._before_commit()
        self.assertEqual(first.state, "waiting", "closed by the book step only")
        self.assertEqual(self.env["sms.sms"].search_count([]), sms_count)

    def test_new_slots_are_offered(self):
        booking, _other, first, second = self._queue()
        free = self._slot(self.partnership, self.start + timedelta(hours=2))
        # A new slot goes straight to the first person waiting, the next one to the second.
        self.assertEqual((first.state, first.slot_id), ("offered", free))
        other_free = self._slot(self.partnership, self.start + timedelta(hours=3))
        self.assertEqual((second.state, second.slot_id), ("offered", other_free))
        third = self._add()
        # Nobody may move a booking into a slot kept for someone else.
        with self.assertRaisesRegex(SlotTakenError, "kept for a person"):
            booking._psys_portal_move(free.id)
        first._psys_withdraw()
        self.assertEqual(first.state, "withdrawn")
        self.assertEqual((third.state, third.slot_id), ("offered", free), "A withdrawn offer goes on")

    def test_moved_booking_frees_its_slot(self):
        booking = self._book(self.slot)
        target = self._slot(self.partnership, self.start + timedelta(hours=2))
        entry = self._add()
        self.assertEqual(entry.state, "waiting", "Free slots are not offered to a new entry")
        booking._psys_portal_move(target.id)
        self.assertEqual((entry.state, entry.slot_id), ("offered", self.slot))

    def test_book_the_offer(self):
        booking, _other, first, _second = self._queue()
        booking._psys_portal_cancel()
        new = first.with_user(self.user_portal)._psys_portal_book_offer(self.user_portal)
        self.assertEqual(first.state, "booked")
        self.assertEqual(first.booking_id, new)
        self.assertEqual(new.slot_id, self.slot)
        self.assertEqual(new.beneficiary_id, first.beneficiary_id)
        self.assertEqual(new.referral_id, first.referral_id, "The request of the waiting list gets its appointment")
        self.assertEqual(new.booked_by_id, self.user_portal)
        # Taken twice (one after the other): a clear answer, one booking.
        with self.assertRaisesRegex(OfferTakenError, "already booked"):
            first._psys_book_offer(self.user_portal)
        self.assertEqual(self.Booking.search_count([("slot_id", "=", self.slot.id), ("state", "=", "booked")]), 1)

    def test_expired_offer_goes_to_the_next_person(self):
        booking, _other, first, second = self._queue()
        booking._psys_portal_cancel()
        with freeze_time(fields.Datetime.now() + timedelta(hours=25)):
            with self.assertRaises(UserError) as error:
                first.with_context(lang="fr_FR")._psys_book_offer(self.user_portal)
            if self.env["res.lang"]._lang_get("fr_FR"):
                self.assertIn("Cette proposition a expiré le", str(error.exception))
            self.Entry._cron_expire_offers()
            self.assertEqual(first.state, "expired")
            self.assertEqual((second.state, second.slot_id), ("offered", self.slot))
            # Once the list is empty the slot is open to everyone.
            self.Entry._cron_expire_offers()
        with freeze_time(fields.Datetime.now() + timedelta(hours=50)):
            self.Entry._cron_expire_offers()
            self.assertEqual(second.state, "expired")
            self.assertFalse(self.Entry._psys_kept_slot_ids())
            self.assertEqual(self._book(self.slot).slot_id, self.slot)

    def test_cancelled_slot_is_never_offered_twice(self):
        booking, _other, first, second = self._queue()
        booking._psys_portal_cancel()
        self.assertEqual((first.state, first.slot_id), ("offered", self.slot))
        # Freed again (a second hook, a retried request): still one offer.
        self.assertFalse(self.Entry._psys_offer_slots(self.slot))
        self.assertFalse(second._psys_make_offer(self.slot, fields.Datetime.now()), "The database refuses it")
        self.assertEqual(second.state, "waiting")
        self.assertEqual(self.Entry.search_count([("slot_id", "=", self.slot.id), ("state", "=", "offered")]), 1)

    def test_offer_booked_meanwhile_in_the_back_office(self):
        booking, _other, first, _second = self._queue()
        booking._psys_portal_cancel()
        self.Booking._psys_book({"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id})
        with self.assertRaisesRegex(SlotTakenError, "already booked"):
            first._psys_book_offer(self.user_portal)
        self.assertEqual(first.state, "waiting", "The person keeps their place")
        self.assertFalse(first.slot_id)

    def test_back_office_books_and_withdraws_by_actions(self):
        booking, _other, first, second = self._queue()
        booking._psys_portal_cancel()
        first.with_user(self.user_reception).action_book_offer()
        self.assertEqual(first.state, "booked")
        self.assertEqual(first.booking_id.booked_by_id, self.user_reception)
        second.with_user(self.user_reception).action_withdraw()
        self.assertEqual(second.state, "withdrawn")
        with self.assertRaises(AccessError):
            second.with_user(self.user_employee).action_withdraw()

    def test_urgent_requests_come_first(self):
        booking, _other, oldest, second = self._queue()
        urgent = self._add(urgency="urgent")
        soon = self._add(urgency="soon")
        entries = oldest | second | urgent | soon
        self.assertEqual(self.Entry.search([("id", "in", entries.ids)]), urgent | soon | oldest | second)
        booking._psys_portal_cancel()
        self.assertEqual((urgent.state, urgent.slot_id), ("offered", self.slot), "Urgent before older")
        self.assertEqual(entries.filtered(lambda entry: entry.state == "offered"), urgent)
        # A request made urgent later moves its entry up, still by age among equals.
        second.referral_id.urgency = "urgent"
        self.assertEqual(second.priority, 2)
        self._slot(self.partnership, self.start + timedelta(hours=2))
        self.assertEqual(second.state, "offered")
        self.assertEqual((soon.state, oldest.state), ("waiting", "waiting"))

    def test_booked_elsewhere_leaves_the_list(self):
        _booking, _other, first, second = self._queue()
        free = self._slot(self.partnership, self.start + timedelta(hours=2))
        self.assertEqual((first.state, first.slot_id), ("offered", free))
        # The service books the first person on another slot in the back office:
        # off the list, and the slot kept for them goes to the next person.
        later = self._slot(self.partnership, self.start + timedelta(days=1))
        self.assertEqual((second.state, second.slot_id), ("offered", later))
        third = self._add()
        booking = self.Booking.with_user(self.user_reception)._psys_book(
            {"slot_id": self.slot_b.id, "beneficiary_id": first.beneficiary_id.id}
        )
        self.assertEqual(first.state, "offered", "Another partnership's booking: still waiting here")
        booking.action_cancel()
        # A session held (recorded afterwards) counts as much as one to come.
        booking = self.Booking._psys_book(
            {"slot_id": self.slot_past.id, "beneficiary_id": first.beneficiary_id.id, "state": "seen"}
        )
        self.assertEqual((first.state, first.booking_id), ("booked", booking))
        self.assertFalse(first.slot_id)
        self.assertEqual((third.state, third.slot_id), ("offered", free))
        self.assertEqual(second.slot_id, later)
        # Booked on the very slot kept for them: closed with it.
        self.Booking._psys_book({"slot_id": later.id, "beneficiary_id": second.beneficiary_id.id})
        self.assertEqual((second.state, second.slot_id, second.booking_id.slot_id), ("booked", later, later))

    def test_portal_staff_see_only_their_structure(self):
        entry = self._add()
        entry_b = self._add(self.user_portal_b, partnership_id=self.partnership_b.id)
        self.assertEqual(self.Entry.with_user(self.user_portal).search([]), entry)
        self.assertEqual(self.Entry.with_user(self.user_portal_b).search([]), entry_b)
        with self.assertRaises(AccessError):
            entry.with_user(self.user_portal_b)._psys_portal_withdraw()
        with self.assertRaises(AccessError):
            entry.with_user(self.user_portal_b).read(["beneficiary_code"])
        with self.assertRaises(AccessError):
            self.Entry.with_user(self.user_portal).create(
                {"partnership_id": self.partnership.id, "beneficiary_id": entry.beneficiary_id.id}
            )


@tagged("psys_referral", "post_install", "-at_install")
class TestWaitingPortal(HttpCase, WaitingCase):
    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=Request.csrf_token(self)), allow_redirects=False)

    def test_add_and_book_over_http(self):
        booking = self._book(self.slot)
        self._book(self.slot_2)
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open("/my/psys/waiting")
        self.assertEqual(page.status_code, 200, page.text[-2000:])
        self.assertIn("o_psys_waiting_form", page.text)
        response = self._post(
            "/my/psys/waiting",
            {"partnership_id": self.partnership.id, "age_bracket": "18_25", "reason_category": "isolation"},
        )
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        entry = self.Entry.search([("structure_id", "=", self.structure.id)])
        self.assertEqual(entry.state, "waiting")
        # Bad input: a clear French answer, nothing added.
        response = self._post("/my/psys/waiting", {"partnership_id": self.partnership_b.id})
        self.assertEqual(response.status_code, 400)
        self.assertIn("partenariat de votre structure", response.text)
        booking._psys_portal_cancel()
        entry.invalidate_recordset()
        self.assertEqual(entry.state, "offered")
        page = self.url_open("/my/psys/waiting").text
        self.assertIn(f"/my/psys/waiting/{entry.id}/book", page)
        self.assertNotIn(f"/my/psys/slots/{self.slot.id}/book", self.url_open("/my/psys/slots").text)
        # Another structure's staff can neither see nor book it.
        self.authenticate("psys_portal_b", "psys_portal_b")
        self.assertNotIn(entry.beneficiary_code, self.url_open("/my/psys/waiting").text)
        self.assertEqual(self._post(f"/my/psys/waiting/{entry.id}/book", {}).status_code, 404)
        self.authenticate("psys_portal", "psys_portal")
        response = self._post(f"/my/psys/waiting/{entry.id}/book", {})
        self.assertEqual(response.status_code, 303)
        entry.invalidate_recordset()
        self.assertEqual(entry.state, "booked")
        # The same offer again (a second tap): a French message, one booking.
        response = self._post(f"/my/psys/waiting/{entry.id}/book", {})
        self.assertEqual(response.status_code, 409)
        self.assertIn("déjà été réservée", response.text)
        self.assertEqual(self.Booking.search_count([("slot_id", "=", self.slot.id), ("state", "=", "booked")]), 1)

    def test_booked_on_the_portal_leaves_the_list(self):
        """The worker books a person on the list through the normal booking
        page: that person no longer waits."""
        entry = self._add()
        self.authenticate("psys_portal", "psys_portal")
        response = self._post(
            f"/my/psys/slots/{self.slot.id}/book",
            {"beneficiary_id": entry.beneficiary_id.id, "reason_category": "stress", "urgency": "normal"},
        )
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        booking = self.Booking.search([("slot_id", "=", self.slot.id), ("state", "=", "booked")])
        self.assertEqual(booking.beneficiary_id, entry.beneficiary_id)
        entry.invalidate_recordset()
        self.assertEqual((entry.state, entry.booking_id), ("booked", booking))
        self.assertEqual(booking.referral_id, entry.referral_id, "The request of the waiting list")
        self.assertNotIn(f"/my/psys/waiting/{entry.id}/withdraw", self.url_open("/my/psys/waiting").text)

    def test_booking_an_offer_names_the_new_appointment(self):
        """Issue 27, point 1: after « Book this slot », the requests page names
        and highlights the new appointment, not another one."""
        old = self._book(self.slot)
        self._book(self.slot_2)
        entry = self._add()
        old._psys_portal_cancel("Empêchement")
        entry.invalidate_recordset()
        self.assertEqual(entry.state, "offered")
        self.authenticate("psys_portal", "psys_portal")
        response = self._post(f"/my/psys/waiting/{entry.id}/book", {})
        self.assertEqual(response.status_code, 303)
        entry.invalidate_recordset()
        new = entry.booking_id
        self.assertTrue(new)
        self.assertTrue(response.headers["Location"].endswith(f"/my/psys/referrals?booked={new.id}"))
        page = self.url_open(response.headers["Location"]).text
        banner = page.split("o_psys_done", 1)[1].split("</div>", 1)[0]
        self.assertIn(new.beneficiary_code, banner)
        self.assertNotIn(old.beneficiary_code, banner)
        highlighted = [
            chunk.split('"', 1)[0]
            for chunk in page.split('data-booking-id="')[1:]
            if "o_psys_highlight" in chunk.split(">", 1)[0]
        ]
        self.assertEqual(set(highlighted), {str(new.id)}, "the new appointment only, as a card and as a row")

    def test_her_own_cancellation_offers_the_slot_to_her_other_person(self):
        """Issue 27, point 1: the worker whose cancellation freed the slot is
        told of the offer to her other waiting person: by e-mail (mail skips
        a message's author unless told) and on the page she lands on."""
        booking = self._book(self.slot)
        self._book(self.slot_2)
        entry = self._add()
        self.authenticate("psys_portal", "psys_portal")
        response = self._post(f"/my/psys/bookings/{booking.id}/cancel", {"reason": "Empêchement"})
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        entry.invalidate_recordset()
        self.assertEqual((entry.state, entry.slot_id), ("offered", self.slot))
        offer = entry.message_ids.filtered(lambda message: self.user_portal.partner_id in message.partner_ids)
        self.assertEqual(len(offer), 1)
        self.assertEqual(offer.author_id, self.user_portal.partner_id, "her own action freed the slot")
        self.assertEqual(
            offer.notification_ids.filtered(
                lambda n: n.res_partner_id == self.user_portal.partner_id
            ).notification_type,
            "email",
            "e-mailed to her all the same",
        )
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("o_psys_freed_offer", page)
        notice = page.split("o_psys_freed_offer", 1)[1].split("</form>", 1)[0]
        self.assertIn(entry.beneficiary_code, notice)
        self.assertIn(f"/my/psys/waiting/{entry.id}/book", notice)
