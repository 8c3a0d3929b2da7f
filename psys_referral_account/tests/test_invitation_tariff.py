from datetime import timedelta

from freezegun import freeze_time

from odoo.api import call_kw
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import PsysReferralAccountCase


@tagged("psys_referral_account", "post_install", "-at_install")
class TestInvitationTariff(HttpCase, PsysReferralAccountCase):
    """Who referred a person is a fact of the referral, never of the channel
    used to book: a practitioner's own link is no referral by the structure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slot_3 = cls._slot(cls.partnership, cls.start + timedelta(days=1))

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def _post(self, token, slot):
        return self.url_open(
            f"/rdv/{token}",
            data={"slot_id": slot.id, "csrf_token": Request.csrf_token(self)},
            allow_redirects=False,
        )

    def test_own_person_invited_to_the_ccas_partnership_pays_the_standard_tariff(self):
        """Issue 27, point 8: the practitioner creates a person who came on
        her own and invites her by link to her CCAS partnership. The link
        is the channel, not a referral: the person is not referred by the
        CCAS, for the tariff (50 €, not 30 €) and for the bilan."""
        self._setup_accounting()
        therapist = self.user_therapist
        (person_id,) = call_kw(
            self.env["psys.beneficiary"].with_user(therapist),
            "create",
            [[{"age_bracket": "26_39", "gender": "female"}]],
            {},
        )
        person = self.env["psys.beneficiary"].browse(person_id)
        self.assertFalse(person.first_referrer_id, "She came on her own")
        # Her consented contact, to be invoiced (not what this test is about).
        self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "named_contact"})
        person.partner_id = self.env["res.partner"].create({"name": "Karim", "psys_private_contact": True})
        wizard = self.env["psys.invitation.wizard"].with_user(therapist)
        (wizard_id,) = call_kw(
            wizard, "create", [[{"beneficiary_id": person.id, "partnership_id": self.partnership.id}]], {}
        )
        done = call_kw(wizard, "action_send", [[wizard_id]], {})
        token = done["params"]["message"].rsplit("/", 1)[1]
        # The person books through her link.
        self.assertEqual(self._post(token, self.slot_3).status_code, 200)
        booking = self.slot_3.booking_ids
        self.assertEqual(booking.beneficiary_id, person)
        self.assertFalse(booking.referral_id.structure_id, "The request is a self-referral")
        self.assertFalse(booking.structure_id, "Not booked by the CCAS")
        with freeze_time(booking.stop + timedelta(hours=1)):
            call_kw(self.env["psys.booking"].with_user(therapist), "action_mark_seen", [booking.ids], {})
        self.assertEqual((booking.tariff, booking.price), ("standard", 50.0))
        self.assertEqual(booking.invoice_id.amount_total, 50.0)
        # The bilan counts her as come on her own.
        encounter = booking.encounter_id
        self.assertEqual((encounter.referral_source, encounter.referral_partner_id), ("self", self.env["res.partner"]))
