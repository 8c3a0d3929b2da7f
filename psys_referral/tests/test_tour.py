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
        self.assertEqual(booking.beneficiary_id.age_bracket, "18_25")
        self.assertEqual(booking.booked_by_id, self.user_portal)
