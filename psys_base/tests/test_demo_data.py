from odoo.tests import tagged

from .common import PsysCase

STRUCTURES = ("ccas_brive", "mission_locale_lille", "mairie_fives", "cmp_paris_19", "centre_social_rivet")


@tagged("post_install", "-at_install", "psys", "psys_base")
class TestDemoData(PsysCase):
    """Issue 27, point 17: the demo looks like a French association's, not
    like Odoo's American sample company."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("psys_base.note_1a", raise_if_not_found=False):
            self.skipTest("installed without demo data")

    def test_french_phones_and_full_addresses(self):
        company = self.env.ref("base.main_company").partner_id
        structures = self.env["res.partner"].browse(
            [self.env.ref(f"psys_base.partner_{name}").id for name in STRUCTURES]
        )
        admin = self.env.ref("base.partner_admin")
        for partner in company | structures | admin:
            with self.subTest(partner=partner.name):
                self.assertFalse((partner.phone or "").startswith("+1"), partner.phone)
                self.assertTrue(partner.street, "an address with its street")
                self.assertEqual(partner.country_id, self.env.ref("base.fr"))
        self.assertTrue(self.env.ref("psys_base.partner_ccas_brive").phone.startswith("+33"))
        for xmlid in ("location_paris_19", "location_mairie_fives", "location_ccas_brive", "location_rivet"):
            location = self.env.ref(f"psys_base.{xmlid}")
            with self.subTest(place=location.name):
                self.assertTrue(location.street and location.zip and location.city)

    def test_earlier_notes_are_dated_after_their_interview(self):
        notes = (
            self.env["psys.note"]
            .sudo()
            .browse([self.env.ref(f"psys_base.note_{name}").id for name in ("1a", "1b", "5a")])
        )
        self.assertEqual(len(set(notes.mapped("date"))), 3, "not all at the install's minute")
        for note in notes:
            with self.subTest(note=note.id):
                self.assertGreater(note.date, note.encounter_id.date_start)
                self.assertLess(note.date, note.create_date, "written weeks before the install")
