from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import PsysReferralCase


@tagged("psys_referral", "post_install", "-at_install")
class TestPortalPages(HttpCase, PsysReferralCase):
    def _post(self, url, data, csrf=True):
        if csrf:
            data = dict(data, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _booking_count(self):
        return self.env["psys.booking"].search_count([])

    def test_slots_list_only_own_structure(self):
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open("/my/psys/slots")
        self.assertEqual(page.status_code, 200, page.text[-3000:])
        self.assertIn(f"/my/psys/slots/{self.slot.id}/book", page.text)
        self.assertNotIn(f"/my/psys/slots/{self.slot_b.id}/book", page.text)
        self.assertNotIn(f"/my/psys/slots/{self.slot_past.id}/book", page.text, "No past slot")
        self.assertEqual(self.url_open(f"/my/psys/slots/{self.slot_b.id}/book").status_code, 404)

    def test_book_over_http_and_isolation(self):
        self.authenticate("psys_portal", "psys_portal")
        response = self._post(f"/my/psys/slots/{self.slot.id}/book", self._book_values())
        self.assertEqual(response.status_code, 303)
        booking = self.env["psys.booking"].search([("slot_id", "=", self.slot.id)])
        self.assertEqual(booking.booked_by_id, self.user_portal)
        listing = self.url_open("/my/psys/referrals").text
        self.assertIn(booking.beneficiary_code, listing)
        self.assertNotIn("Fatigue", listing, "The reason is never shown back")
        # Another structure's staff: nothing of it, anywhere.
        self.authenticate("psys_portal_b", "psys_portal_b")
        self.assertNotIn(booking.beneficiary_code, self.url_open("/my/psys/referrals").text)
        self.assertEqual(self.url_open(f"/my/psys/bookings/{booking.id}/move").status_code, 404)
        self.assertEqual(self._post(f"/my/psys/bookings/{booking.id}/cancel", {}).status_code, 404)
        self.assertEqual(
            self._post(
                f"/my/psys/bookings/{self.env['psys.booking'].search([], limit=1, order='id desc').id}/move",
                {"slot_id": self.slot_b.id},
            ).status_code,
            404,
        )
        self.assertEqual(booking.state, "booked")

    def test_forged_post_with_another_structures_slot(self):
        self.authenticate("psys_portal", "psys_portal")
        before = self._booking_count()
        response = self._post(f"/my/psys/slots/{self.slot_b.id}/book", self._book_values())
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._booking_count(), before)

    def test_taken_slot_keeps_the_form(self):
        self.authenticate("psys_portal", "psys_portal")
        self.assertEqual(self._post(f"/my/psys/slots/{self.slot.id}/book", self._book_values()).status_code, 303)
        before = self._booking_count()
        response = self._post(f"/my/psys/slots/{self.slot.id}/book", self._book_values())
        # The form comes back as typed (test_portal_phone.py tells more).
        self.assertEqual(response.status_code, 409)
        self.assertIn("réservé par quelqu", response.text)  # the portal speaks French, as its users
        self.assertIn("Fatigue", response.text)
        self.assertEqual(self._booking_count(), before)
        self.assertNotIn(f"/my/psys/slots/{self.slot.id}/book", self.url_open("/my/psys/slots").text)

    def test_csrf_is_required(self):
        self.authenticate("psys_portal", "psys_portal")
        before = self._booking_count()
        response = self._post(f"/my/psys/slots/{self.slot.id}/book", self._book_values(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._booking_count(), before)

    def test_bad_input_shows_the_error(self):
        self.authenticate("psys_portal", "psys_portal")
        before = self._booking_count()
        response = self._post(f"/my/psys/slots/{self.slot.id}/book", self._book_values(reason="x" * 5000))
        self.assertEqual(response.status_code, 400)
        self.assertIn("limité à 500 caractères", response.text)
        self.assertEqual(self._booking_count(), before)

    def test_internal_users_and_anonymous(self):
        self.assertNotEqual(self.url_open("/my/psys/slots", allow_redirects=False).status_code, 200)
        self.authenticate("psys_therapist", "psys_therapist")
        self.assertEqual(self.url_open("/my/psys/slots").status_code, 404)
