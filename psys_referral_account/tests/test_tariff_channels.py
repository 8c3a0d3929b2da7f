from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsysReferralAccountCase

PREFERENTIAL = ("preferential", 30.0)
STANDARD = ("standard", 50.0)


@tagged("psys_referral_account", "post_install", "-at_install")
class TestTariffChannels(PsysReferralAccountCase):
    """The preferential tariff follows the referral, not the channel the
    appointment was booked through."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounting()

    def _portal_book(self, slot, user=None, **values):
        user = user or self.user_portal
        values = dict({"first_name": "Nadia", "phone": "0612345678", "consent": "1"}, **values)
        return self.env["psys.booking"].with_user(user)._psys_portal_book(user, slot.id, self._book_values(**values))

    def _back_office_book(self, person, partnership=None, days=2, **values):
        """As the reception desk, on a past slot, without saying who referred."""
        slot = self._slot(partnership or self.partnership, self.start - timedelta(days=7 + days))
        return (
            self.env["psys.booking"]
            .with_user(self.user_reception)
            .create(dict({"slot_id": slot.id, "beneficiary_id": person.id}, **values))
        )

    def _seen(self, booking):
        with freeze_time(booking.stop + timedelta(hours=1)):
            booking.with_user(self.user_therapist).action_mark_seen()
        return booking.tariff, booking.price

    def _person(self):
        person = self._beneficiary()
        self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "named_contact"})
        person.partner_id = self.env["res.partner"].create({"name": "Karim", "psys_private_contact": True})
        return person

    def test_portal(self):
        self.assertEqual(self._seen(self._portal_book(self.slot)), PREFERENTIAL)

    def test_referred_by_the_ccas_booked_again_from_the_back_office(self):
        first = self._portal_book(self.slot)
        again = self._back_office_book(first.beneficiary_id)
        self.assertFalse(again.structure_id, "The desk did not say who referred")
        self.assertEqual(self._seen(again), PREFERENTIAL)

    def test_inbound_referral_then_back_office_booking(self):
        person = self._person()
        self.env["psys.referral"].create(
            {"beneficiary_id": person.id, "structure_id": self.structure.id, "partnership_id": self.partnership.id}
        )
        self.assertEqual(self._seen(self._back_office_book(person)), PREFERENTIAL)

    def test_moved_on_the_portal(self):
        booking = self._portal_book(self.slot)
        booking._psys_portal_move(self.slot_2.id)
        self.assertEqual(self._seen(booking), PREFERENTIAL)

    def test_moved_in_the_back_office(self):
        booking = self._portal_book(self.slot)
        booking.with_user(self.user_reception).write({"slot_id": self.slot_2.id, "structure_id": False})
        self.assertEqual(self._seen(booking), PREFERENTIAL)

    def test_cancelled_then_booked_again_from_the_back_office(self):
        first = self._portal_book(self.slot)
        first._psys_portal_cancel()
        again = (
            self.env["psys.booking"]
            .with_user(self.user_reception)
            .create({"slot_id": self.slot_2.id, "beneficiary_id": first.beneficiary_id.id})
        )
        self.assertEqual(self._seen(again), PREFERENTIAL)

    def test_self_referred_is_standard(self):
        self.assertEqual(self._seen(self._back_office_book(self._person())), STANDARD)

    def test_referred_by_another_structure_is_standard(self):
        """Referred by the Mission Locale: no preferential price at the CCAS's
        partnership, nor the other way round."""
        by_ml = self._portal_book(self.slot_b, user=self.user_portal_b)
        self.assertEqual(self._seen(self._back_office_book(by_ml.beneficiary_id)), STANDARD)
        by_ccas = self._portal_book(self.slot)
        self.assertEqual(self._seen(self._back_office_book(by_ccas.beneficiary_id, self.partnership_b)), STANDARD)

    def test_standard_policy_is_standard_for_everyone(self):
        self.partnership.tariff_policy = "standard"
        self.assertEqual(self._seen(self._portal_book(self.slot)), STANDARD)

    def test_one_decision_for_a_batch(self):
        referred = self._portal_book(self.slot)
        stranger = self._person()
        bookings = self._back_office_book(referred.beneficiary_id, days=1) | self._back_office_book(stranger, days=2)
        self.assertEqual(bookings._psys_session_tariffs(), {bookings[0].id: PREFERENTIAL, bookings[1].id: STANDARD})
