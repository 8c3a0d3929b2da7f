from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PsysCase


@tagged("post_install", "-at_install", "psys")
class TestEncounter(PsysCase):
    def test_first_or_repeat(self):
        beneficiary = self._beneficiary()
        second = self._encounter(beneficiary, date_start="2025-03-10 10:00:00")
        self.assertEqual(second.visit_type, "first")
        first = self._encounter(beneficiary, date_start="2025-02-01 10:00:00")
        self.assertEqual(first.visit_type, "first")
        self.assertEqual(second.visit_type, "repeat", "an earlier encounter makes the later one a repeat")
        third = self._encounter(beneficiary, date_start="2025-04-01 10:00:00")
        self.assertEqual(third.visit_type, "repeat")
        first.unlink()
        self.assertEqual(second.visit_type, "first")
        self.assertEqual(self._encounter(date_start="2025-04-01 10:00:00").visit_type, "unknown")
        self.assertEqual(beneficiary.encounter_count, 2)

    def test_last_activity_follows_encounters(self):
        beneficiary = self._beneficiary(first_contact_date="2024-01-05")
        self.assertEqual(str(beneficiary.last_activity_date), "2024-01-05")
        self._encounter(beneficiary, date_start="2025-03-10 10:00:00")
        self.assertEqual(str(beneficiary.last_activity_date), "2025-03-10")

    def test_territory_defaults_to_the_beneficiary(self):
        beneficiary = self._beneficiary(territory_id=self.territory.id)
        self.assertEqual(self._encounter(beneficiary).territory_id, self.territory)

    def test_orientation_takes_the_encounter_person(self):
        beneficiary = self._beneficiary()
        encounter = self._encounter(beneficiary, orientation_ids=[(0, 0, {"target_id": self.target_cmp.id})])
        self.assertEqual(encounter.orientation_ids.beneficiary_id, beneficiary)

    def test_bad_input(self):
        count = self.env["psys.encounter"].search_count([])
        for values, message in [
            ({"duration": 0}, "more than 0"),
            ({"duration": 30}, "at most 24"),
            ({"participant_count": 0}, "at least one"),
            ({"contribution_amount": -5}, "negative"),
            ({"date_start": "2999-01-01 10:00:00"}, "future"),
        ]:
            with self.assertRaisesRegex(ValidationError, message), self.cr.savepoint():
                self._encounter(**values)
        other = self.env["psys.beneficiary"].create({"company_id": self.company_b.id})
        with self.assertRaisesRegex(UserError, "belongs to another company"), self.cr.savepoint():
            self._encounter(other)
        self.assertEqual(self.env["psys.encounter"].search_count([]), count)

    def test_group_counts_its_audiences(self):
        group = self._encounter(
            kind="group",
            audience_ids=[(0, 0, {"audience": "women", "count": 6}), (0, 0, {"audience": "residents", "count": 2})],
        )
        self.assertEqual(group.participant_count, 8)
        group.audience_ids.filtered(lambda line: line.audience == "women").count = 4
        self.assertEqual(group.participant_count, 6)
        self.assertEqual(self._encounter().participant_count, 1, "one person for an individual encounter")
        with self.assertRaisesRegex(ValidationError, "group sessions only"), self.cr.savepoint():
            self._encounter(kind="individual", audience_ids=[(0, 0, {"audience": "women", "count": 3})])
        with self.assertRaisesRegex(ValidationError, "at least one participant"), self.cr.savepoint():
            group.audience_ids[:1].count = 0

    def test_display_name(self):
        beneficiary = self._beneficiary()
        encounter = self._encounter(beneficiary, kind="phone", date_start="2025-03-10 10:00:00")
        self.assertIn(beneficiary.code, encounter.display_name)
        self.assertIn("03/10/2025", encounter.display_name, "the day in the reader's language, not ISO")

    def test_display_name_local_day(self):
        """00:15 in Paris on 1 December is 23:15 UTC on 30 November: the name
        carries the Paris day, in French for a French reader."""
        encounter = self._encounter(self._beneficiary(), kind="phone", date_start="2025-11-30 23:15:00")
        french = encounter.with_context(lang="fr_FR", tz="Europe/Paris")
        self.assertIn("01/12/2025", french.display_name)
        self.assertNotIn("2025-11-30", french.display_name)

    def test_repeat_visit_in_french(self):
        """Issue 27, point 3: « Repeat visit » read « Nouvelle venue »: every
        returning person looked new in the encounter and its list."""
        labels = dict(
            self.env["psys.encounter"].with_context(lang="fr_FR").fields_get(["visit_type"])["visit_type"]["selection"]
        )
        self.assertEqual(labels["first"], "Première venue")
        self.assertEqual(labels["repeat"], "Venue répétée")
        search = self.env["psys.encounter"].with_context(lang="fr_FR").get_view(view_type="search")["arch"]
        self.assertIn("Venues répétées", search)
        self.assertNotIn("Nouvelles venues", search)

    def test_orientations_have_a_heading(self):
        """Issue 27, point 16: the encounter's orientation list had no heading;
        reception still sees neither."""
        for user, shown in ((self.user_therapist, True), (self.user_reception, False)):
            arch = etree.fromstring(self.env["psys.encounter"].with_user(user).get_view(view_type="form")["arch"])
            heading = arch.xpath("//group[@name='orientations']")
            with self.subTest(user=user.login):
                self.assertEqual(bool(heading), shown)
                if shown:
                    self.assertEqual(heading[0].get("string"), "Orientations")
                    self.assertTrue(heading[0].xpath(".//field[@name='orientation_ids']"))
