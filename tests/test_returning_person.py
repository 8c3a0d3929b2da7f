"""A returning person is looked for in one place,
``psys.beneficiary._psys_find_returning``: the coordinator's lookup, the
reception desk and a structure's portal never find an anonymised person."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.psys_permanence.tests.common import PermanenceCase
from odoo.addons.psys_referral.tests.common import PsysReferralCase


@tagged("post_install", "-at_install", "psys")
class TestReturningPerson(HttpCase, PsysReferralCase, PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kept = cls._beneficiary(link_initials="KP", link_birth_year=1980, link_sex="f")
        cls.gone = cls._beneficiary(link_initials="GN", link_birth_year=1975, link_sex="m")
        # Both were referred by the structure: its portal offers them to book for.
        for person in cls.kept | cls.gone:
            cls.env["psys.referral"].create(
                {"beneficiary_id": person.id, "structure_id": cls.structure.id, "partnership_id": cls.partnership.id}
            )
        cls.gone._psys_anonymise()
        # A Friday of the last week (the clock is frozen on a Wednesday).
        cls.desk_session = cls._sessions(cls.permanence, date(2026, 10, 30), date(2026, 10, 30))

    def _lookup(self, **values):
        wizard = self.env["psys.beneficiary.lookup"].with_user(self.user_reception).create(values)
        return self.env["psys.beneficiary"].search(wizard.action_search()["domain"])

    def _desk(self, **values):
        wizard = (
            self.env["psys.desk.register"]
            .with_user(self.user_reception)
            .create(dict(values, session_id=self.desk_session.id))
        )
        return wizard._register_visit().beneficiary_id

    def test_the_beneficiary_search(self):
        self.assertEqual(self.gone.state, "anonymised")
        Beneficiary = self.env["psys.beneficiary"].with_user(self.user_reception)
        self.assertEqual(Beneficiary._psys_find_returning(code=self.kept.code.lower()), self.kept)
        self.assertFalse(Beneficiary._psys_find_returning(code=self.gone.code))
        self.assertEqual(Beneficiary._find_by_linking_inputs("KP", 1980, "f"), self.kept)
        self.assertFalse(Beneficiary._find_by_linking_inputs("GN", 1975, "m"))

    def test_the_lookup_wizard(self):
        self.assertEqual(self._lookup(code=self.kept.code), self.kept)
        self.assertFalse(self._lookup(code=self.gone.code))
        self.assertFalse(self._lookup(link_initials="GN", link_birth_year=1975, link_sex="m"))

    def test_the_desk(self):
        self.assertEqual(self._desk(mode="code", code=self.kept.code), self.kept)
        with self.assertRaisesRegex(UserError, "No person has the code"):
            self._desk(mode="code", code=self.gone.code)
        with self.assertRaisesRegex(UserError, "Nobody matches"):
            self._desk(mode="linking", link_initials="GN", link_birth_year=1975, link_sex="m")
        # Their inputs typed as a first visit make a new person.
        new = self._desk(mode="new", link_initials="GN", link_birth_year=1975, link_sex="m", gender="male")
        self.assertTrue(new)
        self.assertNotEqual(new, self.gone)

    def test_the_portal(self):
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open(f"/my/psys/slots/{self.slot.id}/book")
        self.assertEqual(page.status_code, 200, page.text[-3000:])
        self.assertIn(self.kept.code, page.text)
        self.assertNotIn(self.gone.code, page.text)

    def test_a_forged_booking_for_an_anonymised_person_is_refused(self):
        """Not offered is not enough: a booking, a waiting-list entry posted
        with the id of an anonymised person are refused by the model."""
        Booking = self.env["psys.booking"].with_user(self.user_portal)
        people = Booking._psys_referred_beneficiaries(self.structure)
        self.assertIn(self.kept, people)
        self.assertNotIn(self.gone, people)
        with self.assertRaises(UserError):
            Booking._psys_portal_book(self.user_portal, self.slot.id, self._book_values(beneficiary_id=self.gone.id))
        self.assertFalse(self.env["psys.booking"].search([("beneficiary_id", "=", self.gone.id)]))
