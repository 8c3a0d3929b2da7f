from datetime import timedelta

from lxml import html

from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import PsysReferralCase


@tagged("psys_referral", "post_install", "-at_install")
class TestPortalPhonePages(HttpCase, PsysReferralCase):
    """Issue 13, phone-first portal pages: slots by day, filters and pager,
    the form kept when the slot was taken, cancel with a reason, actions
    hidden past the cut-off, the consented first name, the highlight."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The structure's second partnership: another practitioner, in a
        # neighbourhood of a town; another town of the association elsewhere.
        cls.town = cls.env["psys.territory"].create({"name": "Ville test", "kind": "town"})
        cls.neighbourhood = cls.env["psys.territory"].create({"name": "Quartier Rivet test", "parent_id": cls.town.id})
        cls.far_town = cls.env["psys.territory"].create({"name": "Ville lointaine", "kind": "town"})
        cls.location_2 = cls.env["psys.location"].create({"name": "Salle Rivet", "territory_id": cls.neighbourhood.id})
        cls.partnership_2 = cls._partnership(
            cls.structure,
            cls.user_portal,
            name="Convention Rivet",
            practitioner_id=cls.user_therapist_2.id,
            location_id=cls.location_2.id,
        )
        cls.slot_rivet = cls._slot(cls.partnership_2, cls.start + timedelta(days=2, hours=5))

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=Request.csrf_token(self)), allow_redirects=False)

    def _book(self, slot, **values):
        return self.env["psys.booking"]._psys_portal_book(self.user_portal, slot.id, self._book_values(**values))

    @staticmethod
    def _links(page):
        return {element.get("href") for element in html.fromstring(page.text).iter("a") if element.get("href")}

    def test_free_slots_by_day_with_filters_and_a_pager(self):
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open("/my/psys/slots")
        self.assertEqual(page.status_code, 200)
        days = html.fromstring(page.text).find_class("o_psys_day")
        self.assertEqual(len(days), 2, "One section a day")
        first_day = {link.get("href") for link in days[0].iter("a")}
        self.assertEqual(first_day, {f"/my/psys/slots/{slot.id}/book" for slot in self.slot | self.slot_2})
        self.assertEqual(
            [button.text for button in days[0].find_class("o_psys_book")], ["10:00", "11:00"], "Paris time"
        )
        self.assertIn(f"/my/psys/slots/{self.slot_rivet.id}/book", {link.get("href") for link in days[1].iter("a")})
        self.assertNotIn(f"/my/psys/slots/{self.slot_b.id}/book", page.text, "Another structure's slot")
        # Filters by place and by practitioner.
        page = self.url_open(f"/my/psys/slots?location={self.location_2.id}")
        self.assertEqual(
            {link for link in self._links(page) if link.endswith("/book")},
            {f"/my/psys/slots/{self.slot_rivet.id}/book"},
        )
        page = self.url_open(f"/my/psys/slots?practitioner={self.user_therapist.id}")
        self.assertNotIn(f"/my/psys/slots/{self.slot_rivet.id}/book", page.text)
        self.assertIn(f"/my/psys/slots/{self.slot.id}/book", page.text)
        # A filter the structure does not have is ignored, whatever is typed.
        for value in (self.slot_b.partnership_id.practitioner_id.id + 10**6, "x", "1; DROP"):
            page = self.url_open(f"/my/psys/slots?practitioner={value}&location={value}")
            self.assertEqual(page.status_code, 200)
            self.assertIn(f"/my/psys/slots/{self.slot_rivet.id}/book", page.text)
        # Six more days: the pager shows five days a page.
        later = [self._slot(self.partnership, self.start + timedelta(days=20 + day)) for day in range(6)]
        page_1, page_2 = self.url_open("/my/psys/slots"), self.url_open("/my/psys/slots/page/2")
        self.assertIn("/my/psys/slots/page/2", self._links(page_1))
        self.assertIn(f"/my/psys/slots/{later[-1].id}/book", page_2.text)
        self.assertNotIn(f"/my/psys/slots/{later[-1].id}/book", page_1.text)
        self.assertIn(f"/my/psys/slots/{self.slot.id}/book", page_1.text)
        self.assertNotIn(f"/my/psys/slots/{self.slot.id}/book", page_2.text)
        # The filters follow the pages.
        page = self.url_open(f"/my/psys/slots?practitioner={self.user_therapist.id}")
        self.assertIn(f"/my/psys/slots/page/2?practitioner={self.user_therapist.id}", self._links(page))

    def test_neighbourhoods_of_the_partnership_only(self):
        self.authenticate("psys_portal", "psys_portal")
        form = html.fromstring(self.url_open(f"/my/psys/slots/{self.slot_rivet.id}/book").text)
        offered = {int(option.get("value")) for option in form.get_element_by_id("territory_id") if option.get("value")}
        self.assertEqual(offered, set((self.town | self.neighbourhood).ids))
        form = html.fromstring(self.url_open(f"/my/psys/slots/{self.slot.id}/book").text)
        offered = {int(option.get("value")) for option in form.get_element_by_id("territory_id") if option.get("value")}
        self.assertEqual(offered, set(self.territory.ids))
        # Another town of the association is refused, even forged.
        before = self.env["psys.booking"].search_count([])
        response = self._post(f"/my/psys/slots/{self.slot.id}/book", self._book_values(territory_id=self.far_town.id))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Territoire inconnu", response.text)
        self.assertEqual(self.env["psys.booking"].search_count([]), before)

    def test_taken_slot_keeps_the_form_and_proposes_the_next_slots(self):
        self._book(self.slot)
        people = self.env["psys.beneficiary"].search_count([])
        bookings = self.env["psys.booking"].search_count([])
        typed = self._book_values(
            first_name="Zoé", phone="06 12 34 56 78", consent="1", reason="Texte tapé", urgency="soon"
        )
        self.authenticate("psys_portal", "psys_portal")
        response = self._post(f"/my/psys/slots/{self.slot.id}/book", typed)
        self.assertEqual(response.status_code, 409)
        page = html.fromstring(response.text)
        self.assertEqual(page.get_element_by_id("first_name").get("value"), "Zoé")
        self.assertEqual(page.get_element_by_id("phone").get("value"), "06 12 34 56 78")
        self.assertEqual(page.get_element_by_id("reason").text, "Texte tapé")
        self.assertIsNotNone(page.get_element_by_id("consent").get("checked"))
        self.assertEqual(page.get_element_by_id("urgency").value, "soon")
        self.assertEqual(page.get_element_by_id("age_bracket").value, "26_39")
        self.assertIn("réservé par quelqu", response.text)
        # The next free slots of the same partnership only, as buttons that
        # send the kept form to them; no button to book the taken one.
        proposed = {button.get("formaction") for button in page.find_class("o_psys_book_other")}
        self.assertEqual(proposed, {f"/my/psys/slots/{self.slot_2.id}/book"})
        self.assertFalse(page.find_class("o_psys_book_submit"))
        self.assertEqual(self.env["psys.beneficiary"].search_count([]), people, "Nothing half-written")
        self.assertEqual(self.env["psys.booking"].search_count([]), bookings)
        # What the proposal button does: the same form, to the other slot.
        response = self._post(f"/my/psys/slots/{self.slot_2.id}/book", typed)
        self.assertEqual(response.status_code, 303)
        booking = self.env["psys.booking"].search([("slot_id", "=", self.slot_2.id)])
        self.assertEqual(booking.beneficiary_id.partner_id.name, "Zoé")
        self.assertEqual(booking.urgency, "soon")

    def test_cancel_asks_for_confirmation_and_a_reason(self):
        booking = self._book(self.slot)
        self.authenticate("psys_portal", "psys_portal")
        listing = self.url_open("/my/psys/referrals")
        self.assertIn(f"/my/psys/bookings/{booking.id}/cancel", self._links(listing), "A link, not a one-tap form")
        page = self.url_open(f"/my/psys/bookings/{booking.id}/cancel")
        self.assertEqual(page.status_code, 200)
        textarea = html.fromstring(page.text).get_element_by_id("cancel_reason")
        self.assertIsNotNone(textarea.get("required"))
        self.assertEqual(booking.state, "booked", "Opening the confirmation cancels nothing")
        for reason in (None, "", "   "):
            data = {} if reason is None else {"reason": reason}
            response = self._post(f"/my/psys/bookings/{booking.id}/cancel", data)
            self.assertEqual(response.status_code, 400)
            self.assertIn("Indiquez le motif de l&#39;annulation", response.text)
            self.assertEqual(booking.state, "booked")
        response = self._post(f"/my/psys/bookings/{booking.id}/cancel", {"reason": "x" * 501})
        self.assertEqual(response.status_code, 400)
        self.assertIn("limité à 500 caractères", response.text)
        self.assertEqual(booking.state, "booked")
        response = self._post(f"/my/psys/bookings/{booking.id}/cancel", {"reason": " La personne a déménagé "})
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/psys/referrals?cancelled={booking.id}"))
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(booking.cancelled_by, "structure")
        self.assertEqual(booking.cancel_reason, "La personne a déménagé")
        page = self.url_open(response.headers["Location"])
        self.assertIn("La personne a déménagé", page.text)
        self.assertIn("o_psys_cancelled", page.text)

    def test_unknown_and_foreign_bookings_are_not_found(self):
        booking = self._book(self.slot)
        self.authenticate("psys_portal_b", "psys_portal_b")
        for url in (f"/my/psys/bookings/{booking.id}/cancel", f"/my/psys/bookings/{booking.id}/move"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
                self.assertEqual(self._post(url, {"reason": "Forgé", "slot_id": self.slot_2.id}).status_code, 404)
        self.authenticate("psys_portal", "psys_portal")
        for booking_id in (2**31 - 1, 2**40):
            url = f"/my/psys/bookings/{booking_id}/cancel"
            self.assertEqual(self.url_open(url).status_code, 404)
            self.assertEqual(self._post(url, {"reason": "Inconnu"}).status_code, 404)
        self.assertEqual(booking.state, "booked")
        self.assertFalse(booking.cancel_reason)
        # The back office uses its own screens.
        self.authenticate("psys_reception", "psys_reception")
        self.assertEqual(self.url_open(f"/my/psys/bookings/{booking.id}/cancel").status_code, 404)

    def test_actions_hidden_past_the_cutoff_with_the_reason(self):
        soon = self._slot(self.partnership, self.psys_now + timedelta(hours=12))
        near = self._book(soon)
        later = self._book(self.slot)
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open("/my/psys/referrals")
        links = self._links(page)
        self.assertNotIn(f"/my/psys/bookings/{near.id}/move", links)
        self.assertNotIn(f"/my/psys/bookings/{near.id}/cancel", links)
        self.assertIn(f"/my/psys/bookings/{later.id}/move", links)
        self.assertIn(f"/my/psys/bookings/{later.id}/cancel", links)
        card = html.fromstring(page.text).xpath(f"//div[hasclass('o_psys_card')][@data-booking-id='{near.id}']")[0]
        self.assertIn("24 heures", card.text_content())
        # The confirmation pages say so too, and offer nothing to submit.
        for url in (f"/my/psys/bookings/{near.id}/cancel", f"/my/psys/bookings/{near.id}/move"):
            page = self.url_open(url)
            self.assertIn("24 heures", page.text)
            self.assertNotIn(f'action="{url}"', page.text)
        response = self._post(f"/my/psys/bookings/{near.id}/cancel", {"reason": "Trop tard"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(near.state, "booked")

    def test_first_name_only_to_the_structure_that_was_given_it(self):
        named = self._book(self.slot, first_name="Zoé", phone="06 12 34 56 78", consent="1")
        anonymous = self._book(self.slot_2)
        self.assertEqual(
            (named | anonymous)._psys_portal_first_names(self.structure), {named.id: "Zoé"}, "Consented name only"
        )
        self.assertEqual(named._psys_portal_first_names(self.structure_b), {}, "Never to another structure")
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open("/my/psys/referrals")
        self.assertIn("Zoé", page.text)
        self.authenticate("psys_portal_b", "psys_portal_b")
        self.assertNotIn("Zoé", self.url_open("/my/psys/referrals").text)
        # The consent withdrawn: the code only.
        named.beneficiary_id.consent_ids.write({"withdrawn_date": self.psys_now.date()})
        self.assertEqual(named._psys_portal_first_names(self.structure), {})
        self.authenticate("psys_portal", "psys_portal")
        self.assertNotIn("Zoé", self.url_open("/my/psys/referrals").text)

    def test_new_booking_highlighted(self):
        other = self.env["psys.booking"]._psys_portal_book(self.user_portal_b, self.slot_b.id, self._book_values())
        self.authenticate("psys_portal", "psys_portal")
        response = self._post(f"/my/psys/slots/{self.slot.id}/book", self._book_values())
        booking = self.env["psys.booking"].search([("slot_id", "=", self.slot.id)])
        self.assertTrue(response.headers["Location"].endswith(f"/my/psys/referrals?booked={booking.id}"))
        page = html.fromstring(self.url_open(response.headers["Location"]).text)
        highlighted = {element.get("data-booking-id") for element in page.find_class("o_psys_highlight")}
        self.assertEqual(highlighted, {str(booking.id)}, "The card and the table row")
        self.assertIn(booking.beneficiary_code, page.find_class("o_psys_booked")[0].text_content())
        # Another structure's id in the URL: nothing said, nothing highlighted.
        for value in (other.id, "abc", 2**40):
            page = self.url_open(f"/my/psys/referrals?booked={value}")
            self.assertEqual(page.status_code, 200)
            self.assertNotIn("o_psys_highlight", page.text)
            self.assertNotIn("o_psys_done", page.text)
            self.assertNotIn(other.beneficiary_code, page.text)

    def test_requests_page_phone_and_desk(self):
        self._book(self.slot)
        self.authenticate("psys_portal", "psys_portal")
        page = html.fromstring(self.url_open("/my/psys/referrals").text)
        self.assertIn("d-md-none", page.find_class("o_psys_cards")[0].get("class"))
        self.assertTrue(page.xpath("//div[hasclass('d-none')][hasclass('d-md-block')]//table"))
        self.assertEqual(page.find_class("o_psys_nav_requests")[0].text, "Mes demandes")
        # The association in the header, not Odoo's "Your logo".
        self.assertEqual(page.find_class("o_psys_company_name")[0].text, self.env.company.name)
        self.assertFalse(page.xpath("//a[hasclass('navbar-brand')]/img"), "No placeholder logo")
