from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysCase


def unguarded_restricted_x2many(env):
    """``model.field`` for every one2many or many2many field that a psys addon
    declares with ``groups=`` on a model without ``psys.field.guard``: Odoo 18
    checks no groups on an x2many in a domain or a group-by (see the guard's
    docstring), so such a field leaks by searching. Abstract models are left
    to the models that inherit them."""
    guard = type(env["psys.field.guard"])
    found = []
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract or isinstance(model, guard):
            continue
        found += [
            f"{name}.{field.name}"
            for field in model._fields.values()
            if field.type in ("one2many", "many2many") and field.groups and (field._module or "").startswith("psys_")
        ]
    return found


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestFieldGuardRegistry(PsysCase):
    def test_every_restricted_x2many_is_guarded(self):
        # Over every installed addon: a door adding such a field on a model
        # of its own must inherit the guard. (test_fake_door proves this
        # fails on a model that does not.)
        self.assertEqual(unguarded_restricted_x2many(self.env), [])

    def test_the_registry_has_restricted_x2many(self):
        """The enumeration is not vacuous: the spine's own clinical x2many
        fields are found and guarded."""
        guard = type(self.env["psys.field.guard"])
        for name, field in (
            ("psys.beneficiary", "note_ids"),
            ("psys.beneficiary", "clinical_tag_ids"),
            ("psys.encounter", "theme_ids"),
            ("psys.encounter", "orientation_ids"),
            ("psys.encounter", "note_ids"),
        ):
            with self.subTest(field=f"{name}.{field}"):
                model = self.env[name]
                self.assertTrue(model._fields[field].groups)
                self.assertIsInstance(model, guard)


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestFieldGuardAtTheDesk(PsysCase):
    """What reception learns by searching or grouping on clinical x2many
    fields: nothing, the guard refuses as a read would (DESIGN.md: reception
    sees codes and non-clinical fields only)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls._beneficiary()
        cls.note = cls.env["psys.note"].create({"beneficiary_id": cls.person.id, "body": "Confidentiel"})
        cls.encounter = cls._encounter(cls.person, theme_ids=[(6, 0, cls.theme.ids)])

    def test_reception_cannot_search_or_group_clinical_x2many(self):
        beneficiaries = self.env["psys.beneficiary"].with_user(self.user_reception)
        encounters = self.env["psys.encounter"].with_user(self.user_reception)
        channels = {
            "note_ids != False": lambda: beneficiaries.search([("note_ids", "!=", False)]),
            "note_ids in [id]": lambda: beneficiaries.search([("note_ids", "in", [self.note.id])]),
            "note_ids count": lambda: beneficiaries.search_count([("note_ids", "!=", False)]),
            "encounter note_ids": lambda: encounters.search([("note_ids", "in", [self.note.id])]),
            "theme_ids != False": lambda: encounters.search([("theme_ids", "!=", False)]),
            "theme_ids any": lambda: encounters.search([("theme_ids", "any", [("id", "=", self.theme.id)])]),
            "group by theme": lambda: encounters.read_group([], ["kind"], ["theme_ids"]),
            "web group by theme": lambda: encounters.web_read_group([], ["kind"], ["theme_ids"]),
            "_read_group by theme": lambda: encounters._read_group([], ["theme_ids"], ["__count"]),
        }
        for name, call in channels.items():
            with self.subTest(channel=name), self.assertRaises(AccessError):
                call()
        # Nothing else is refused: the same searches on what reception sees work.
        self.assertIn(self.person, beneficiaries.search([("encounter_ids", "!=", False)]))
        self.assertIn(self.encounter, encounters.search([("beneficiary_id", "=", self.person.id)]))

    def test_clinical_roles_search_and_group(self):
        encounters = self.env["psys.encounter"].with_user(self.user_therapist)
        self.assertIn(self.encounter, encounters.search([("theme_ids", "!=", False)]))
        groups = encounters._read_group([("id", "=", self.encounter.id)], ["theme_ids"], ["__count"])
        self.assertEqual(groups, [(self.theme, 1)])
        beneficiaries = self.env["psys.beneficiary"].with_user(self.user_clinical_coordinator)
        self.assertEqual(beneficiaries.search([("note_ids", "in", [self.note.id])]), self.person)
        self.assertIn(self.person, beneficiaries.search([("note_ids", "!=", False)]))
