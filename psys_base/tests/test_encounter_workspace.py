from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysCase

WORKSPACE_FIELDS = ["note_ids", "history_note_ids", "history_encounter_ids", "orientation_summary"]


@tagged("post_install", "-at_install", "psys", "psys_base")
class TestEncounterWorkspace(PsysCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls._beneficiary()
        cls.earlier = cls._encounter(cls.person, date_start="2026-10-01 09:00:00", theme_ids=[(6, 0, cls.theme.ids)])
        cls.env["psys.orientation"].create({"encounter_id": cls.earlier.id, "target_id": cls.target_cmp.id})
        cls.earlier_note = cls.env["psys.note"].create(
            {"beneficiary_id": cls.person.id, "encounter_id": cls.earlier.id, "body": "Sommeil difficile"}
        )
        cls.today = cls._encounter(cls.person, date_start="2026-11-04 08:30:00")
        cls.other_person_encounter = cls._encounter(cls._beneficiary(), date_start="2026-10-02 09:00:00")

    def test_therapist_sees_the_history_on_the_encounter(self):
        encounter = self.today.with_user(self.user_therapist)
        self.assertEqual(encounter.history_encounter_ids, self.earlier)
        self.assertIn(self.theme, encounter.history_encounter_ids.theme_ids)
        self.assertEqual(encounter.history_encounter_ids.orientation_summary, self.target_cmp.name)
        self.assertEqual(encounter.history_note_ids, self.earlier_note)

    def test_note_written_on_the_encounter_and_reads_logged(self):
        encounter = self.today.with_user(self.user_therapist)
        encounter.write({"note_ids": [(0, 0, {"beneficiary_id": self.person.id, "body": "Va mieux"})]})
        note = encounter.note_ids
        self.assertEqual((note.body, note.encounter_id, note.author_id), ("Va mieux", self.today, self.user_therapist))
        Log = self.env["psys.note.access.log"]
        before = Log.search_count([("user_id", "=", self.user_therapist.id)])
        # What the form does: read the encounter with its notes.
        encounter.web_read({"history_note_ids": {"fields": {"body": {}}}, "note_ids": {"fields": {"body": {}}}})
        logs = Log.search([("user_id", "=", self.user_therapist.id)], order="id desc", limit=2)
        self.assertEqual(Log.search_count([("user_id", "=", self.user_therapist.id)]) - before, 2)
        self.assertEqual(set(logs.note_id.ids), {note.id, self.earlier_note.id})
        self.assertEqual({log.date.date() for log in logs}, {self.psys_now.date()}, "logged as today")

    def test_reception_sees_nothing_of_it(self):
        encounter = self.today.with_user(self.user_reception)
        for field in WORKSPACE_FIELDS:
            with self.subTest(field=field), self.assertRaises(AccessError):
                encounter.read([field])
        with self.assertRaises(AccessError):
            encounter.write({"note_ids": [(0, 0, {"beneficiary_id": self.person.id, "body": "x"})]})
        with self.assertRaises(AccessError):
            self.env["psys.encounter"].with_user(self.user_reception).search([("history_note_ids", "!=", False)])
        arch = (
            self.env["psys.encounter"]
            .with_user(self.user_reception)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        described = self.env["psys.encounter"].with_user(self.user_reception).fields_get()
        for field in WORKSPACE_FIELDS + ["theme_ids"]:
            self.assertNotIn(f'name="{field}"', arch)
            self.assertNotIn(field, described)

    def test_coordinator_without_clinical_group_sees_no_note(self):
        encounter = self.today.with_user(self.user_coordinator)
        self.assertEqual(encounter.history_encounter_ids, self.earlier)
        with self.assertRaises(AccessError):
            encounter.read(["history_note_ids"])
