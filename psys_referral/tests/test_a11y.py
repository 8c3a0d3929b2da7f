from datetime import timedelta

from odoo.tests import HttpCase, tagged

from odoo.addons.psys_base.tests.a11y import A11yTourCase

from .common import PsysReferralCase

PHONE, DESK = "390x844", "1366x768"


@tagged("psys_referral", "post_install", "-at_install")
class TestPortalAccessibility(A11yTourCase, HttpCase, PsysReferralCase):
    """Issue 27, point 18: every portal page psys adds and the person's
    invitation pages, on a phone and on a desk, pass axe-core with no serious
    or critical violation, with 44 px targets (psys_base/tests/a11y.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A second place, so that the slots page shows its filters.
        location_2 = cls.env["psys.location"].create({"name": "Salle Rivet"})
        partnership_2 = cls._partnership(
            cls.structure,
            cls.user_portal,
            name="Convention Rivet",
            practitioner_id=cls.user_therapist_2.id,
            location_id=location_2.id,
        )
        cls._slot(partnership_2, cls.start + timedelta(days=2, hours=5))

    def _portal(self, size):
        self.browser_size = size
        self.start_tour("/my", "psys_referral_a11y_portal_tour", login="psys_portal")
        self.assertTrue(self.env["psys.invitation"].search([]), "The tour sent an invitation")

    def _invitation(self, size):
        self.browser_size = size
        first = self.env["psys.booking"]._psys_portal_book(
            self.user_portal, self.slot.id, self._book_values(first_name="Nadia", phone="06 12 34 56 78", consent="1")
        )
        _invitation, url = (
            self.env["psys.invitation"]
            .sudo()
            ._psys_create_invitation(self.partnership, first.beneficiary_id, self.user_portal)
        )
        token = url.rsplit("/", 1)[1]
        self.start_tour(f"/rdv/{token}", "psys_referral_a11y_invitation_tour")
        self.assertEqual(self.env["psys.booking"].search_count([("beneficiary_id", "=", first.beneficiary_id.id)]), 2)
        self.start_tour("/rdv/no-such-link", "psys_referral_a11y_invitation_error_tour")

    def _waiting_offer(self, size):
        self.browser_size = size
        Booking = self.env["psys.booking"]
        booking = Booking._psys_portal_book(self.user_portal, self.slot.id, self._book_values())
        Booking._psys_portal_book(self.user_portal, self.slot_2.id, self._book_values())
        entry = self.env["psys.waiting.entry"]._psys_portal_add(
            self.user_portal,
            {"partnership_id": self.partnership.id, "age_bracket": "26_39", "reason_category": "stress"},
        )
        booking.with_user(self.user_portal)._psys_portal_cancel("Empêchement")
        self.assertEqual(entry.sudo().state, "offered")
        self.start_tour("/my/psys/waiting", "psys_referral_a11y_waiting_tour", login="psys_portal")

    def test_waiting_offer_on_a_phone(self):
        self._waiting_offer(PHONE)

    def test_waiting_offer_on_a_desk(self):
        self._waiting_offer(DESK)

    def test_portal_on_a_phone(self):
        self._portal(PHONE)

    def test_portal_on_a_desk(self):
        self._portal(DESK)

    def test_invitation_on_a_phone(self):
        self._invitation(PHONE)

    def test_invitation_on_a_desk(self):
        self._invitation(DESK)

    def _keyboard(self, size):
        self.browser_size = size
        self.start_tour("/my/psys/slots", "psys_referral_a11y_keyboard_tour", login="psys_portal")
        booking = self.env["psys.booking"].search([("structure_id", "=", self.structure.id)])
        self.assertEqual(len(booking), 1, "Booked with the keyboard only")
        self.assertEqual(booking.beneficiary_id.age_bracket, "18_25")
        self.assertEqual(booking.beneficiary_id.partner_id.name, "Zoé")
        self.assertEqual(booking.reason_category, "stress")

    def test_keyboard_booking_on_a_desk(self):
        self._keyboard(DESK)

    def test_keyboard_booking_on_a_phone(self):
        self._keyboard(PHONE)


@tagged("psys_referral", "post_install", "-at_install")
class TestBackOfficeAccessibility(A11yTourCase, HttpCase, PsysReferralCase):
    """Issue 27, point 18: the practitioner's agenda and the dashboard's
    relays pass axe-core, for psys's own markup (the tours scope the check)."""

    def test_agenda(self):
        # Today (a phone shows one day), one slot free and one booked.
        afternoon = self.psys_now.replace(hour=13, minute=0)
        self._slot(self.partnership, afternoon)
        booked = self._slot(self.partnership, afternoon + timedelta(hours=1))
        self.env["psys.booking"]._psys_portal_book(self.user_portal, booked.id, self._book_values())
        for size in (DESK, PHONE):
            with self.subTest(size=size):
                self.browser_size = size
                self.start_tour(
                    "/odoo/action-psys_referral.psys_booking_action_agenda",
                    "psys_referral_a11y_agenda_tour",
                    login="psys_therapist",
                )

    def test_dashboard_relays(self):
        person = self._beneficiary()
        self.env["psys.orientation"].create(
            [{"beneficiary_id": person.id, "target_id": self.target_cmp.id, "date": "2026-10-01"} for _i in range(2)]
        )[1].action_received()
        self.start_tour(
            "/odoo/action-psys_base.action_psys_home", "psys_referral_a11y_dashboard_tour", login="psys_coordinator"
        )
