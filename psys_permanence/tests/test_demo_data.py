from odoo.tests import tagged

from .common import PermanenceCase

FRENCH_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestDemoData(PermanenceCase):
    """Issue 27, point 17: the permanences' demo reads right."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("psys_permanence.permanence_grenoble", raise_if_not_found=False):
            self.skipTest("installed without demo data")

    def test_a_permanence_named_after_a_day_opens_that_day_only(self):
        demo = self.env["ir.model.data"].search([("module", "=", "psys_permanence"), ("model", "=", "psys.permanence")])
        for permanence in self.env["psys.permanence"].browse(demo.mapped("res_id")):
            named = {index for index, day in enumerate(FRENCH_DAYS) if f" {day}" in permanence.name}
            if not named:
                continue
            with self.subTest(permanence=permanence.name):
                self.assertEqual(named, set(permanence._get_weekdays()))

    def test_demo_notes_are_dated_after_their_interview(self):
        encounters = self.env["psys.encounter"].search(
            [("session_id.permanence_id", "=", self.env.ref("psys_permanence.permanence_paris_19").id)]
        )
        notes = self.env["psys.note"].sudo().search([("encounter_id", "in", encounters.ids)])
        self.assertTrue(notes)
        self.assertGreater(len(set(notes.mapped("date"))), 1, "not all at the install's minute")
        for note in notes:
            self.assertGreaterEqual(note.date, note.encounter_id.date_start)
