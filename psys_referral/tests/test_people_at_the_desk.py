from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysReferralCase


@tagged("psys_referral", "post_install", "-at_install")
class TestOrientationsAtTheDesk(PsysReferralCase):
    """Outbound orientations (with their chatter) are clinical facts: the desk
    neither reads them nor attaches anybody to them."""

    def test_reception_cannot_reach_an_orientation(self):
        encounter = self._encounter(self._beneficiary())
        orientation = self.env["psys.orientation"].create(
            {"encounter_id": encounter.id, "target_id": self.target_cmp.id}
        )
        contact = self.env["res.partner"].create({"name": "Nom Privé", "psys_private_contact": True})
        orientation = orientation.with_user(self.user_reception)
        for name, call in {
            "read": lambda: orientation.read(["state", "target_id"]),
            "follow": lambda: orientation.message_subscribe(partner_ids=contact.ids),
            "post": lambda: orientation.message_post(body="Suivi"),
            "action": lambda: orientation.action_accepted(),
        }.items():
            with self.subTest(channel=name), self.assertRaises(AccessError):
                call()
        self.assertFalse(orientation.sudo().message_partner_ids & contact)
        # A therapist follows the orientation.
        self.assertEqual(orientation.with_user(self.user_therapist).state, "sent")


@tagged("psys_referral", "post_install", "-at_install")
class TestStillActive(PsysReferralCase):
    def test_upcoming_booking_or_open_referral_keeps_a_person(self):
        self.company.psys_retention_months = 24
        booked, referred, idle = (self._beneficiary(first_contact_date="2022-01-10") for _i in range(3))
        self.env["psys.booking"].create({"slot_id": self.slot.id, "beneficiary_id": booked.id})
        self.env["psys.referral"].create(
            {"beneficiary_id": referred.id, "structure_id": self.structure.id, "partnership_id": self.partnership.id}
        )
        people = booked | referred | idle
        self.assertEqual(people._psys_still_active(), booked | referred)
        self.env["psys.beneficiary"]._cron_anonymise_inactive()
        self.assertEqual(people.mapped("state"), ["active", "active", "anonymised"])
