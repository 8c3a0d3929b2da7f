from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysReferralCase


@tagged("psys_referral", "post_install", "-at_install")
class TestClosingTheLoop(PsysReferralCase):
    """A request never stays « received » for nothing: its only appointment
    cancelled closes it (or asks the practitioner to propose another one),
    and a request without any appointment after the delay is reported."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Booking = cls.env["psys.booking"]
        cls.Referral = cls.env["psys.referral"]
        cls.env.company.psys_referral_stale_days = 15

    def _book(self, slot, **values):
        return self.Booking._psys_portal_book(self.user_portal, slot.id, self._book_values(**values))

    def _activities(self, referral):
        return referral.activity_ids.filtered(lambda activity: activity.user_id == self.user_therapist)

    def test_structure_cancels_the_only_appointment(self):
        booking = self._book(self.slot)
        referral = booking.referral_id
        booking._psys_portal_cancel()
        self.assertEqual(referral.state, "closed")
        # A new booking for the person opens a new request.
        again = self._book(self.slot_2, beneficiary_id=booking.beneficiary_id.id)
        self.assertNotEqual(again.referral_id, referral)
        # The service may reopen it; the structure's staff may not.
        with self.assertRaises(AccessError):
            referral.with_user(self.user_portal).action_reopen()
        referral.with_user(self.user_reception).action_reopen()
        self.assertEqual(referral.state, "received")

    def test_another_appointment_keeps_the_request_open(self):
        booking = self._book(self.slot)
        second = self._book(self.slot_2, beneficiary_id=booking.beneficiary_id.id)
        self.assertEqual(second.referral_id, booking.referral_id)
        booking._psys_portal_cancel()
        self.assertEqual(booking.referral_id.state, "received")

    def test_service_cancels_asks_the_practitioner(self):
        booking = self._book(self.slot)
        booking.with_user(self.user_reception).action_cancel()
        referral = booking.referral_id
        self.assertEqual(referral.state, "received", "The person still waits for an appointment")
        self.assertEqual(len(self._activities(referral)), 1)
        self.assertIn(booking.beneficiary_code, self._activities(referral).summary)

    def test_request_without_appointment_is_reported_once(self):
        old = self.Referral.create(
            {
                "beneficiary_id": self._beneficiary().id,
                "partnership_id": self.partnership.id,
                "structure_id": self.structure.id,
                "referred_by_id": self.user_portal.id,
            }
        )
        recent = self.Referral.create(
            {
                "beneficiary_id": self._beneficiary().id,
                "partnership_id": self.partnership.id,
                "structure_id": self.structure.id,
                "referred_by_id": self.user_portal.id,
            }
        )
        booked = self._book(self.slot).referral_id
        waiting = (
            self.env["psys.waiting.entry"]
            ._psys_portal_add(
                self.user_portal,
                {"partnership_id": self.partnership.id, "age_bracket": "26_39", "reason_category": "stress"},
            )
            .sudo()
            .referral_id
        )
        now = fields.Datetime.now()
        mine = old | booked | waiting
        self.env.cr.execute(
            "UPDATE psys_referral SET create_date = %s WHERE id IN %s", [now - timedelta(days=16), tuple(mine.ids)]
        )
        self.env.cr.execute(
            "UPDATE psys_referral SET create_date = %s WHERE id = %s", [now - timedelta(days=3), recent.id]
        )
        self.env.invalidate_all()
        self.Referral._cron_notify_stale()
        self.assertEqual(len(self._activities(old)), 1)
        self.assertEqual(old.stale_notified_date, now)
        told = old.message_ids.filtered(lambda message: self.user_portal.partner_id in message.partner_ids)
        self.assertEqual(len(told), 1)
        # In the worker's language (French for the structures' staff).
        french = self.user_portal.lang == "fr_FR" and self.env["res.lang"]._lang_get("fr_FR")
        self.assertIn("sans rendez-vous depuis 15 jours" if french else "no appointment for 15 days", told.body)
        for referral in recent | booked | waiting:
            self.assertFalse(self._activities(referral), referral.name)
            self.assertFalse(referral.stale_notified_date)
        # Idempotent: a second run tells nobody again.
        self.Referral._cron_notify_stale()
        self.assertEqual(len(self._activities(old)), 1)
        self.assertEqual(len(old.message_ids.filtered(lambda m: self.user_portal.partner_id in m.partner_ids)), 1)

    def test_delay_is_per_association(self):
        self.env.company.psys_referral_stale_days = 0  # never
        referral = self.Referral.create(
            {"beneficiary_id": self._beneficiary().id, "partnership_id": self.partnership.id}
        )
        self.env.cr.execute(
            "UPDATE psys_referral SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=100), referral.id],
        )
        self.env.invalidate_all()
        self.Referral._cron_notify_stale()
        self.assertFalse(referral.stale_notified_date)
