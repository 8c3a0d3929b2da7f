from datetime import timedelta

from lxml import html

from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import PsysReferralCase


@tagged("psys_referral", "post_install", "-at_install")
class TestPortalPickers(HttpCase, PsysReferralCase):
    """Issue 27, point 12, as the structure's staff: the pickers show the
    first name the structure may see with the code beside it, as the cards
    do; the invitation link has its copy and share buttons; past the
    cut-off, the number to call as a ``tel:`` link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Booking = cls.env["psys.booking"]
        cls.named = Booking._psys_portal_book(
            cls.user_portal,
            cls.slot.id,
            cls._book_values(first_name="Zoé", phone="06 12 34 56 78", consent="1"),
        ).beneficiary_id
        cls.unnamed = Booking._psys_portal_book(cls.user_portal, cls.slot_2.id, cls._book_values()).beneficiary_id
        # Named by the other structure, then referred by this one too: this
        # structure was never given the name.
        cls.named_elsewhere = Booking._psys_portal_book(
            cls.user_portal_b,
            cls.slot_b.id,
            cls._book_values(first_name="Bruno", email="bruno@example.com", consent="1"),
        ).beneficiary_id
        cls.env["psys.referral"].create(
            {
                "beneficiary_id": cls.named_elsewhere.id,
                "partnership_id": cls.partnership.id,
                "structure_id": cls.structure.id,
                "reason_category": "stress",
            }
        )
        cls.slot_3 = cls._slot(cls.partnership, cls.start + timedelta(days=1))

    def _options(self, url, select_id):
        page = html.fromstring(self.url_open(url).text)
        select = page.get_element_by_id(select_id)
        return [(option.get("value"), option.text_content()) for option in select.iter("option") if option.get("value")]

    def test_pickers_show_the_name_the_structure_may_see(self):
        expected = [
            (str(self.named.id), f"Zoé · {self.named.code}"),
            *sorted(
                [(str(self.unnamed.id), self.unnamed.code), (str(self.named_elsewhere.id), self.named_elsewhere.code)],
                key=lambda option: option[1].casefold(),
            ),
        ]
        self.assertEqual(
            self.env["psys.booking"]._psys_portal_person_options(self.structure),
            [(int(person_id), label) for person_id, label in expected],
        )
        self.authenticate("psys_portal", "psys_portal")
        for url, select_id in (
            (f"/my/psys/slots/{self.slot_3.id}/book", "beneficiary_id"),
            ("/my/psys/waiting", "waiting_beneficiary_id"),
            ("/my/psys/invite", "invite_beneficiary_id"),
        ):
            self.assertEqual(self._options(url, select_id), expected, url)
        # The other structure sees the name it was given, never this one's.
        self.authenticate("psys_portal_b", "psys_portal_b")
        page = self.url_open("/my/psys/invite")
        self.assertEqual(
            self._options("/my/psys/invite", "invite_beneficiary_id"),
            [(str(self.named_elsewhere.id), f"Bruno · {self.named_elsewhere.code}")],
        )
        self.assertNotIn("Zoé", page.text)
        # The consent withdrawn: the code alone.
        self.named.consent_ids.write({"withdrawn_date": self.psys_now.date()})
        self.authenticate("psys_portal", "psys_portal")
        self.assertIn(
            (str(self.named.id), self.named.code), self._options("/my/psys/waiting", "waiting_beneficiary_id")
        )

    def test_waiting_list_cards_show_the_name(self):
        self.env["psys.waiting.entry"]._psys_portal_add(
            self.user_portal,
            {
                "partnership_id": self.partnership.id,
                "beneficiary_id": self.named.id,
                "reason_category": "stress",
            },
        )
        self.authenticate("psys_portal", "psys_portal")
        card = html.fromstring(self.url_open("/my/psys/waiting").text).find_class("o_psys_waiting_entry")[0]
        self.assertEqual(card.find_class("o_psys_code")[0].text_content(), self.named.code)
        self.assertEqual(card.find_class("o_psys_first_name")[0].text_content().strip(" ·"), "Zoé")

    def test_invitation_link_has_copy_and_share_buttons(self):
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open(
            "/my/psys/invite",
            data={
                "partnership_id": self.partnership.id,
                "beneficiary_id": self.named.id,
                "csrf_token": Request.csrf_token(self),
            },
        )
        done = html.fromstring(page.text).find_class("o_psys_invite_done")[0]
        link = done.find_class("o_psys_invite_link")[0]
        self.assertIn("/rdv/", link.get("value"))
        self.assertEqual(done.xpath(f"//label[@for='{link.get('id')}']")[0].text_content(), "Le lien")
        self.assertEqual(done.find_class("o_psys_copy_link")[0].get("type"), "button")
        self.assertEqual(done.find_class("o_psys_share_link")[0].get("type"), "button")
        # The fallback is a sentence of the page, shown where copying fails.
        self.assertIn("Ctrl+C", done.find_class("o_psys_copy_fallback")[0].text_content())

    def _locked(self, booking):
        page = html.fromstring(self.url_open("/my/psys/referrals").text)
        card = page.xpath(f"//div[hasclass('o_psys_card')][@data-booking-id='{booking.id}']")[0]
        return card.find_class("o_psys_locked")[0]

    def test_past_the_cutoff_the_number_to_call(self):
        soon = self._slot(self.partnership, self.psys_now + timedelta(hours=12))
        near = self.env["psys.booking"]._psys_portal_book(
            self.user_portal, soon.id, self._book_values(beneficiary_id=self.named.id)
        )
        self.user_therapist.partner_id.write({"phone": "06 98 76 54 32", "mobile": False})
        self.authenticate("psys_portal", "psys_portal")
        locked = self._locked(near)
        call = locked.find_class("o_psys_call")[0]
        self.assertEqual(call.get("href"), "tel:+33698765432")
        self.assertEqual(call.text_content(), "06 98 76 54 32")
        self.assertIn(self.user_therapist.name, locked.text_content())
        self.assertIn("24 heures", locked.text_content())
        # The cancel and move pages too; a late cancellation is refused with it.
        for url in (f"/my/psys/bookings/{near.id}/cancel", f"/my/psys/bookings/{near.id}/move"):
            self.assertIn('href="tel:+33698765432"', self.url_open(url).text, url)
        response = self.url_open(
            f"/my/psys/bookings/{near.id}/move",
            data={"slot_id": self.slot_3.id, "csrf_token": Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 400)
        error = html.fromstring(response.text).find_class("o_psys_error")[0]
        self.assertEqual(error.find_class("o_psys_call")[0].get("href"), "tel:+33698765432")
        # No phone of her own: the association's (it holds the partnership's line).
        self.user_therapist.partner_id.phone = False
        self.env.company.phone = "+33 4 76 00 00 00"
        call = self._locked(near).find_class("o_psys_call")[0]
        self.assertEqual(call.get("href"), "tel:+33476000000")
        self.assertIn(self.env.company.name, self._locked(near).text_content())
        # No number at all: the sentence as before, no link.
        self.env.company.phone = False
        locked = self._locked(near)
        self.assertFalse(locked.find_class("o_psys_call"))
        self.assertIn("24 heures", locked.text_content())
