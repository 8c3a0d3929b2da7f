from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysCase

R, W, C, U = "read", "write", "create", "unlink"
ALL = {R, W, C, U}


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestAccessMatrix(PsysCase):
    """DESIGN.md's security table, operation by operation, as each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.beneficiary = cls._beneficiary()
        cls.encounter = cls._encounter(cls.beneficiary, theme_ids=[(6, 0, cls.theme.ids)])
        cls.note = cls.env["psys.note"].create(
            {"beneficiary_id": cls.beneficiary.id, "body": "Secret", "author_id": cls.user_therapist.id}
        )
        # model: (existing record, values to create, values to write)
        cls.samples = {
            "psys.territory": (cls.territory, {"name": "T"}, {"name": "T2"}),
            "psys.location": (cls.location, {"name": "L"}, {"name": "L2"}),
            "psys.theme": (cls.theme, {"name": "Thème test"}, {"sequence": 3}),
            "psys.situation.tag": (
                cls.env.ref("psys_base.psys_situation_tag_student"),
                {"name": "Tag test"},
                {"color": 3},
            ),
            "psys.orientation.target": (cls.target_cmp, {"name": "Cible"}, {"sequence": 3}),
            "psys.beneficiary": (cls.beneficiary, {}, {"gender": "male"}),
            "psys.consent": (
                cls.env["psys.consent"].create({"beneficiary_id": cls.beneficiary.id, "scope": "reminders"}),
                {"beneficiary_id": cls.beneficiary.id, "scope": "data_sharing"},
                {"method": "written"},
            ),
            "psys.encounter": (cls.encounter, {"beneficiary_id": cls.beneficiary.id}, {"duration": 2}),
            "psys.orientation": (
                cls.env["psys.orientation"].create({"encounter_id": cls.encounter.id, "target_id": cls.target_cmp.id}),
                {"encounter_id": cls.encounter.id, "target_id": cls.target_cmp.id},
                {"date": "2025-01-02"},
            ),
            "psys.note": (cls.note, {"beneficiary_id": cls.beneficiary.id, "body": "Autre"}, {"body": "Changé"}),
        }
        reference = {R}
        people = {R, W, C}
        cls.expected = {
            "reception": {
                **dict.fromkeys(
                    [
                        "psys.territory",
                        "psys.location",
                        "psys.theme",
                        "psys.situation.tag",
                        "psys.orientation.target",
                    ],
                    reference,
                ),
                **dict.fromkeys(["psys.beneficiary", "psys.consent", "psys.encounter"], people),
                "psys.orientation": set(),  # outbound orientations are clinical facts
                "psys.note": set(),
            },
            "therapist": {
                **dict.fromkeys(
                    ["psys.territory", "psys.location", "psys.theme", "psys.situation.tag", "psys.orientation.target"],
                    reference,
                ),
                **dict.fromkeys(["psys.beneficiary", "psys.consent", "psys.encounter"], people),
                "psys.orientation": ALL,
                "psys.note": {R, C},  # the note is another therapist's: read and add, not change
            },
            "coordinator": {
                **dict.fromkeys(
                    [
                        "psys.territory",
                        "psys.location",
                        "psys.theme",
                        "psys.situation.tag",
                        "psys.orientation.target",
                        "psys.beneficiary",
                        "psys.consent",
                        "psys.encounter",
                        "psys.orientation",
                    ],
                    ALL,
                ),
                "psys.note": set(),
            },
            "employee": {model: set() for model in cls.samples},
            "portal": {model: set() for model in cls.samples},
        }
        cls.expected["clinical_coordinator"] = dict(cls.expected["coordinator"], **{"psys.note": {R, C}})
        cls.env.ref("base.group_allow_export").users += cls.user_reception
        cls.roles = {
            "reception": cls.user_reception,
            "therapist": cls.user_therapist_2,
            "coordinator": cls.user_coordinator,
            "clinical_coordinator": cls.user_clinical_coordinator,
            "employee": cls.user_employee,
            "portal": cls.user_portal,
        }

    def _try(self, user, model, operation):
        record, create_values, write_values = self.samples[model]
        with self.cr.savepoint(flush=False) as savepoint:
            try:
                if operation == R:
                    record.with_user(user).read(["display_name"])
                elif operation == C:
                    self.env[model].with_user(user).create(create_values)
                elif operation == W:
                    record.with_user(user).write(write_values)
                else:  # a record of its own, that nothing else refers to
                    record.create(create_values).with_user(user).unlink()
                self.env.flush_all()
                allowed = True
            except AccessError:
                allowed = False
            savepoint.rollback()
            self.env.invalidate_all()
        return allowed

    def test_matrix(self):
        for role, user in self.roles.items():
            for model, expected in self.expected[role].items():
                for operation in (R, W, C, U):
                    with self.subTest(role=role, model=model, operation=operation):
                        self.assertEqual(
                            self._try(user, model, operation),
                            operation in expected,
                            f"{role} {operation} {model}",
                        )

    def test_note_author_changes_own_note(self):
        note = self.note.with_user(self.user_therapist)
        note.body = "Précisé par son auteur"
        note.unlink()

    def test_public_user_sees_nothing(self):
        for model, (record, _create, _write) in self.samples.items():
            with self.subTest(model=model), self.assertRaises(AccessError):
                record.with_user(self.user_public).read(["display_name"])

    def test_other_company_sees_nothing(self):
        user = self.user_therapist_b
        for model in ("psys.beneficiary", "psys.encounter", "psys.note", "psys.location", "psys.consent"):
            record = self.samples[model][0]
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(user).search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(user).read(["display_name"])
        # Shared reference data stays visible to everyone in psys.
        self.assertTrue(self.env["psys.theme"].with_user(user).search([("id", "=", self.theme.id)]))

    def test_reception_cannot_reach_themes(self):
        encounters = self.env["psys.encounter"].with_user(self.user_reception)
        self.assertEqual(self.encounter.with_user(self.user_reception).read(["kind"])[0]["kind"], "individual")
        side_channels = {
            "read": lambda: self.encounter.with_user(self.user_reception).read(["theme_ids"]),
            "search": lambda: encounters.search([("theme_ids", "in", self.theme.ids)]),
            "read_group": lambda: encounters.read_group([], ["kind"], ["theme_ids"]),
            "export": lambda: self.encounter.with_user(self.user_reception).export_data(["theme_ids/name"]),
        }
        for name, call in side_channels.items():
            with self.subTest(channel=name), self.assertRaises(AccessError):
                call()
        # A therapist does see them.
        self.assertEqual(self.encounter.with_user(self.user_therapist).theme_ids, self.theme)
