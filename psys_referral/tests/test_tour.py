from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import PsysReferralCase


@tagged("psys_referral", "post_install", "-at_install")
class TestPortalTour(HttpCase, PsysReferralCase):
    def test_book_see_cancel(self):
        self.start_tour("/my/psys/slots", "psys_referral_portal_tour", login="psys_portal")
        booking = self.env["psys.booking"].search([("structure_id", "=", self.structure.id)])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(booking.cancelled_by, "structure")
        self.assertEqual(booking.cancel_reason, "La personne a trouvé un emploi")
        self.assertEqual(booking.beneficiary_id.age_bracket, "18_25")
        self.assertEqual(booking.booked_by_id, self.user_portal)


@tagged("psys_referral", "post_install", "-at_install")
class TestPortalPhoneTour(HttpCase, PsysReferralCase):
    """Issue 13: the social worker's phone."""

    browser_size = "390x844"

    def test_book_move_cancel_on_a_phone(self):
        self.start_tour("/my/psys/slots", "psys_referral_portal_phone_tour", login="psys_portal")
        booking = self.env["psys.booking"].search([("structure_id", "=", self.structure.id)])
        self.assertEqual(len(booking), 1, "Moved, not booked twice")
        self.assertEqual(booking.slot_id, self.slot_2, "Moved to the next free slot")
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(booking.cancelled_by, "structure")
        self.assertEqual(booking.cancel_reason, "La personne a trouvé un emploi")
        self.assertEqual(booking.beneficiary_id.partner_id.name, "Zoé")
        self.assertEqual(booking.booked_by_id, self.user_portal)
        self.assertFalse(self.slot.is_booked, "The first slot is free again")


@tagged("psys_referral", "post_install", "-at_install")
class TestPortalPickersTour(HttpCase, PsysReferralCase):
    """Issue 27, point 12, on the social worker's phone: the pickers name
    the person, the time buttons are touch targets, the invitation link is
    copied (or selected where the browser cannot), the number to call past
    the cut-off is a link."""

    browser_size = "390x844"

    def test_pickers_copy_and_call_on_a_phone(self):
        soon = self._slot(self.partnership, self.psys_now + timedelta(hours=12))
        booking = self.env["psys.booking"]._psys_portal_book(
            self.user_portal, soon.id, self._book_values(first_name="Zoé", phone="06 12 34 56 78", consent="1")
        )
        self.user_therapist.partner_id.write({"phone": "06 98 76 54 32", "mobile": False})
        self.start_tour("/my/psys/slots", "psys_referral_portal_pickers_tour", login="psys_portal")
        invitation = self.env["psys.invitation"].search([("beneficiary_id", "=", booking.beneficiary_id.id)])
        self.assertEqual(len(invitation), 1, "Invited through the picker, by her name")
