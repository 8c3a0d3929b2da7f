from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PsysCase


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestConfidentialNotes(PsysCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.beneficiary = cls._beneficiary()
        cls.note = cls.env["psys.note"].create(
            {"beneficiary_id": cls.beneficiary.id, "body": "Reviviscences", "author_id": cls.user_therapist.id}
        )
        # Exporting is allowed to all: only the notes' own protection may stop it.
        cls.env.ref("base.group_allow_export").users += (
            cls.user_therapist_2 | cls.user_reception | cls.user_coordinator | cls.user_employee
        )

    def test_shared_among_therapists(self):
        note = (
            self.env["psys.note"]
            .with_user(self.user_therapist_2)
            .search([("beneficiary_id", "=", self.beneficiary.id)])
        )
        self.assertEqual(note.body, "Reviviscences")
        self.assertEqual(self.beneficiary.with_user(self.user_therapist_2).note_ids, self.note)
        mine = (
            self.env["psys.note"]
            .with_user(self.user_therapist_2)
            .create({"beneficiary_id": self.beneficiary.id, "body": "Suite"})
        )
        self.assertEqual(mine.author_id, self.user_therapist_2)

    def test_side_channels_for_non_clinical_roles(self):
        """No text leaks by search on the text, grouping, ordering or export."""
        for user in (self.user_reception, self.user_coordinator, self.user_employee, self.user_portal):
            notes = self.env["psys.note"].with_user(user)
            channels = {
                "search": lambda notes=notes: notes.search([("body", "ilike", "Reviv")]),
                "search_count": lambda notes=notes: notes.search_count([("body", "ilike", "Reviv")]),
                "read_group": lambda notes=notes: notes.read_group([], ["body"], ["body"]),
                "order": lambda notes=notes: notes.search([], order="body"),
                "export": lambda user=user: self.note.with_user(user).export_data(["body"]),
                "via beneficiary": lambda user=user: self.beneficiary.with_user(user).read(["note_ids"]),
                "beneficiary search": lambda user=user: self.env["psys.beneficiary"]
                .with_user(user)
                .search([("note_ids.body", "ilike", "Reviv")]),
            }
            for name, call in channels.items():
                # Portal users may not export at all: the refusal comes earlier.
                expected = UserError if (user, name) == (self.user_portal, "export") else AccessError
                with self.subTest(user=user.login, channel=name), self.assertRaises(expected):
                    call()

    def test_other_company_therapist(self):
        notes = self.env["psys.note"].with_user(self.user_therapist_b)
        self.assertFalse(notes.search([("beneficiary_id", "=", self.beneficiary.id)]))
        with self.assertRaises(AccessError):
            notes.search([("body", "ilike", "Reviv")])  # a note's text is never searched
        with self.assertRaises(AccessError):
            self.note.with_user(self.user_therapist_b).read(["body"])

    def test_every_read_is_logged(self):
        logs = self.env["psys.note.access.log"]
        before = logs.search_count([("note_id", "=", self.note.id)])
        self.note.with_user(self.user_therapist_2).read(["body"])
        self.note.with_user(self.user_therapist_2).export_data(["body"])
        entries = logs.search([("note_id", "=", self.note.id)], order="id desc", limit=2)
        self.assertEqual(len(entries), 2)
        self.assertEqual(logs.search_count([("note_id", "=", self.note.id)]), before + 2)
        self.assertEqual(set(entries.mapped("access_type")), {"read", "export"})
        self.assertEqual(entries.user_id, self.user_therapist_2)
        self.assertEqual(entries.beneficiary_id, self.beneficiary)

    def test_log_readers_and_append_only(self):
        self.note.with_user(self.user_therapist_2).read(["body"])
        entry = self.env["psys.note.access.log"].search([("note_id", "=", self.note.id)], limit=1)
        # Clinical coordinators read the log; therapists and plain coordinators do not.
        self.assertTrue(
            self.env["psys.note.access.log"].with_user(self.user_clinical_coordinator).search([("id", "=", entry.id)])
        )
        self.assertFalse(
            self.env["psys.note.access.log"].with_user(self.user_therapist).search([("id", "=", entry.id)])
        )
        for user in (self.user_therapist, self.user_coordinator, self.user_reception):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                entry.with_user(user).read(["user_id"])
        # Nobody changes or deletes it, not even the administrator.
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            entry.write({"access_type": "export"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            entry.unlink()
        with self.assertRaises(UserError):
            entry.with_user(self.user_clinical_coordinator).write({"access_type": "export"})

    def test_bad_notes(self):
        with self.assertRaisesRegex(ValidationError, "empty"):
            self.env["psys.note"].create({"beneficiary_id": self.beneficiary.id, "body": "   "})
        other = self._beneficiary()
        encounter = self._encounter(other)
        with self.assertRaisesRegex(ValidationError, "another person"):
            self.env["psys.note"].create(
                {"beneficiary_id": self.beneficiary.id, "encounter_id": encounter.id, "body": "x"}
            )
