from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsysReferralCase


@tagged("psys_referral")
class TestPortalBooking(PsysReferralCase):
    """The booking rules behind the portal pages, as the portal user."""

    def _book(self, slot, user=None, **values):
        user = user or self.user_portal
        return self.env["psys.booking"].with_user(user)._psys_portal_book(user, slot.id, self._book_values(**values))

    def _count(self):
        return (
            self.env["psys.booking"].search_count([]),
            self.env["psys.beneficiary"].search_count([]),
            self.env["psys.referral"].search_count([]),
            self.env["psys.consent"].search_count([]),
            self.env["res.partner"].search_count([]),
        )

    def test_book_new_person_with_consent(self):
        booking = self._book(self.slot, first_name="Nadia", phone="0612345678", email="nadia@example.com", consent="1")
        self.assertEqual(booking.state, "booked")
        self.assertEqual(booking.structure_id, self.structure)
        self.assertEqual(booking.booked_by_id, self.user_portal)
        beneficiary = booking.beneficiary_id
        self.assertEqual(beneficiary.first_referrer_id, self.structure)
        self.assertEqual(beneficiary.age_bracket, "26_39")
        self.assertEqual(sorted(beneficiary.consent_ids.mapped("scope")), ["named_contact", "reminders"])
        self.assertEqual(beneficiary.partner_id.name, "Nadia")
        self.assertTrue(beneficiary.partner_id.psys_private_contact)
        self.assertEqual(booking.referral_id.state, "received")
        self.assertEqual(booking.referral_id.structure_id, self.structure)
        self.assertTrue(self.slot.is_booked)
        self.assertNotIn(self.slot, self.env["psys.slot"].search([("is_booked", "=", False)]))

    def test_book_again_for_a_person_referred_before(self):
        first = self._book(self.slot)
        second = self._book(self.slot_2, beneficiary_id=str(first.beneficiary_id.id))
        self.assertEqual(second.beneficiary_id, first.beneficiary_id)
        self.assertEqual(second.referral_id, first.referral_id, "Same open referral")

    def test_cannot_book_for_another_structures_person(self):
        other = self._book(self.slot_b, user=self.user_portal_b)
        before = self._count()
        with self.assertRaisesRegex(UserError, "not referred by your structure"):
            self._book(self.slot, beneficiary_id=str(other.beneficiary_id.id))
        self.assertEqual(self._count(), before)

    def test_bad_inputs_leave_nothing(self):
        before = self._count()
        cases = [
            (self.slot_b, {}, "not open to your structure"),  # forged: another structure's slot
            (self.slot_past, {}, "in the past"),
            (self.slot, {"reason_category": ""}, "Choose a reason"),
            (self.slot, {"reason": "x" * 5000}, "limited to 500"),
            (self.slot, {"age_bracket": "forty"}, "age bracket"),
            (self.slot, {"urgency": "yesterday"}, "urgency"),
            (self.slot, {"first_name": "Nadia", "phone": "06"}, "consent"),
            (self.slot, {"first_name": "Nadia", "consent": "1"}, "phone number or an e-mail"),
        ]
        for slot, values, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self._book(slot, **values)
        self.assertEqual(self._count(), before)

    def test_taken_slot(self):
        self._book(self.slot)
        before = self._count()
        with self.assertRaisesRegex(UserError, "already booked"):
            self._book(self.slot)
        self.assertEqual(self._count(), before)
        # The index itself refuses a second active booking, whatever the path.
        with self.assertRaisesRegex(UserError, "already booked"):
            self.env["psys.booking"].create({"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id})

    def test_cancel_frees_the_slot(self):
        booking = self._book(self.slot)
        booking.with_user(self.user_portal)._psys_portal_cancel()
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(booking.cancelled_by, "structure")
        self.assertFalse(self.slot.is_booked)
        again = self._book(self.slot)
        self.assertEqual(again.state, "booked")

    def test_cancel_or_move_after_cutoff(self):
        soon = self._slot(self.partnership, datetime.now().replace(microsecond=0) + timedelta(hours=3))
        booking = self._book(soon)
        with self.assertRaisesRegex(UserError, "24 hours"):
            booking._psys_portal_cancel()
        with self.assertRaisesRegex(UserError, "24 hours"):
            booking._psys_portal_move(self.slot.id)
        self.assertEqual(booking.state, "booked")
        self.assertEqual(booking.slot_id, soon)

    def test_move(self):
        booking = self._book(self.slot)
        booking._psys_portal_move(self.slot_2.id)
        self.assertEqual(booking.slot_id, self.slot_2)
        self.assertFalse(self.slot.is_booked)
        with self.assertRaisesRegex(UserError, "not open to your structure"):
            booking._psys_portal_move(self.slot_b.id)

    def test_quota(self):
        booking = self._book(self.slot)
        beneficiary = booking.beneficiary_id
        for hours in (2, 3):
            self._book(
                self._slot(self.partnership, self.start + timedelta(hours=hours)), beneficiary_id=str(beneficiary.id)
            )
        with self.assertRaisesRegex(UserError, "reached the 3 sessions"):
            self._book(self.slot_2, beneficiary_id=str(beneficiary.id))

    def test_portal_record_rules(self):
        booking = self._book(self.slot)
        other = self._book(self.slot_b, user=self.user_portal_b)
        Booking = self.env["psys.booking"].with_user(self.user_portal)
        self.assertEqual(Booking.search([]), booking)
        self.assertEqual(self.env["psys.slot"].with_user(self.user_portal).search([]), self.partnership.slot_ids)
        with self.assertRaises(AccessError):
            other.with_user(self.user_portal).read(["state"])
        with self.assertRaises(AccessError):
            booking.with_user(self.user_portal).write({"state": "seen"})
        with self.assertRaises(AccessError):
            self.env["psys.referral"].with_user(self.user_portal).search([])
        with self.assertRaises(AccessError):
            self.env["psys.beneficiary"].with_user(self.user_portal).search([])
        with self.assertRaises(AccessError):
            self.env["psys.encounter"].with_user(self.user_portal).search([])
        # No chatter on bookings: no message side channel to partner staff.
        self.assertNotIn("message_ids", self.env["psys.booking"]._fields)
        # Staff of the structure not listed on the partnership see nothing.
        self.partnership.booking_user_ids = False
        self.assertFalse(Booking.search([]))
        self.assertFalse(self.env["psys.slot"].with_user(self.user_portal).search([]))

    def test_reminders(self):
        soon = self._slot(self.partnership, datetime.now().replace(microsecond=0) + timedelta(hours=30))
        booking = self._book(soon, first_name="Nadia", email="nadia@example.com", consent="1")
        later = self._book(self.slot)  # in a week: beyond the 48 hours
        elsewhere = self._book(self._slot(self.partnership_b, soon.start), user=self.user_portal_b)
        self.env.company.psys_reminder_hours = 48
        bookings = booking | later | elsewhere
        mails = [("model", "=", "psys.booking"), ("res_id", "in", bookings.ids)]
        confirmations = self.env["mail.mail"].search(mails)
        self.env["psys.booking"]._cron_send_reminders(self.partnership)
        sent = self.env["mail.mail"].search(mails) - confirmations
        self.assertEqual(set(sent.recipient_ids.mapped("email")), {"nadia@example.com", "agent.ccas@example.com"})
        self.assertTrue(booking.reminder_sent)
        self.assertFalse(later.reminder_sent)
        self.assertFalse(elsewhere.reminder_sent, "the reminders were asked for one partnership only")
        self.assertIn(booking._psys_local_start(), sent[0].subject)
        if self.env["res.lang"]._lang_get("fr_FR"):
            self.assertTrue(all(mail.subject.startswith("Rappel") for mail in sent), sent.mapped("subject"))
            self.assertTrue(all("Nous vous rappelons" in mail.body_html for mail in sent))
        self.env["psys.booking"]._cron_send_reminders(self.partnership)
        self.assertEqual(self.env["mail.mail"].search(mails) - confirmations, sent, "Sent once")

    def test_reminders_in_batches(self):
        """The job reminds a batch at a time and tells the cron runner how
        many remain; the reminded are not found again (issue 24)."""
        now = datetime.now().replace(microsecond=0)
        bookings = self.env["psys.booking"]
        for hours in (20, 21, 22):
            bookings |= self._book(self._slot(self.partnership, now + timedelta(hours=hours)))
        self.env.company.psys_reminder_hours = 48
        cron = self.env.ref("psys_referral.ir_cron_psys_booking_reminders")
        _runner, progress = cron._add_progress()
        Booking = self.env["psys.booking"].with_context(ir_cron_progress_id=progress.id)
        Booking._cron_send_reminders(self.partnership, batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self.assertEqual(bookings.mapped("reminder_sent"), [True, True, False])
        _runner, progress = cron._add_progress()
        Booking.with_context(ir_cron_progress_id=progress.id)._cron_send_reminders(self.partnership, batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertTrue(all(bookings.mapped("reminder_sent")))

    def test_errors_in_french(self):
        if not self.env["res.lang"]._lang_get("fr_FR"):
            self.skipTest("French is not installed in this database")
        Booking = self.env["psys.booking"].with_context(lang="fr_FR")
        with self.assertRaisesRegex(UserError, "Ce créneau est passé"):
            Booking._psys_portal_book(self.user_portal, self.slot_past.id, self._book_values())
        with self.assertRaisesRegex(UserError, "Le motif est limité à 500 caractères"):
            Booking._psys_portal_book(self.user_portal, self.slot.id, self._book_values(reason="x" * 501))


@tagged("post_install", "-at_install", "psys", "psys_referral")
class TestPortalWorkerFollowsNothing(PsysReferralCase):
    def test_the_worker_follows_neither_the_person_nor_the_request(self):
        """A side channel closed: following the person or the request would
        mail the worker everything written in their chatter."""
        booking = (
            self.env["psys.booking"]
            .with_user(self.user_portal)
            ._psys_portal_book(self.user_portal, self.slot.id, self._book_values())
        )
        worker = self.user_portal.partner_id
        self.assertNotIn(worker, booking.beneficiary_id.message_partner_ids)
        self.assertNotIn(worker, booking.referral_id.message_partner_ids)
