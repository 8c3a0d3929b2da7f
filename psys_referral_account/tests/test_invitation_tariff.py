from datetime import timedelta

from odoo.tests import HttpCase, tagged

from odoo.addons.psys_referral.tests.common import InvitationFlowMixin

from .common import PsysReferralAccountCase


@tagged("psys_referral_account", "post_install", "-at_install")
class TestInvitationTariff(InvitationFlowMixin, HttpCase, PsysReferralAccountCase):
    """Who referred a person is a fact of the referral, never of the channel
    used to book: a practitioner's own link is no referral by the structure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slot_3 = cls._slot(cls.partnership, cls.start + timedelta(days=1))

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def test_own_person_invited_to_the_ccas_partnership_pays_the_standard_tariff(self):
        """Issue 27, point 8: the person who came on her own, invited by the
        practitioner's link to her CCAS partnership, pays the standard
        tariff (50 €, not the CCAS's preferential 30 €)."""
        self._setup_accounting()

        def named_contact(person):
            # Her consented contact, to be invoiced (not what this test is about).
            self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "named_contact"})
            person.partner_id = self.env["res.partner"].create({"name": "Karim", "psys_private_contact": True})

        booking = self._own_person_seen_through_own_link(self.slot_3, before_seen=named_contact)
        self.assertFalse(booking.referral_id.structure_id, "The request is a self-referral")
        self.assertEqual((booking.tariff, booking.price), ("standard", 50.0))
        self.assertEqual(booking.invoice_id.amount_total, 50.0)
