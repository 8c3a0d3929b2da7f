from datetime import date, datetime, timedelta

from odoo_test_helper import FakeModelLoader

from odoo.exceptions import AccessError
from odoo.tests import BaseCase, tagged

from ..tools.purge import PurgeSpec
from .common import PsysCase, PsysClock, create_batches
from .test_field_guard import unguarded_restricted_x2many
from .test_policy import models_without_policy


@tagged("post_install", "-at_install", "psys")
class TestPurgeSpec(PsysClock, BaseCase):
    def test_a_spec_deletes_or_empties_not_both(self):
        with self.assertRaises(ValueError):
            PurgeSpec("psys.note", "beneficiary_id", delete=True, empty_fields=("body",))
        spec = PurgeSpec("psys.consent", "beneficiary_id", empty_fields=["notes"])
        self.assertEqual(spec.empty_fields, ("notes",), "a list is kept as a tuple")
        self.assertFalse(spec.delete)


@tagged("post_install", "-at_install", "psys")
class TestFakeDoor(PsysCase):
    """psys_base's extension points, as a door uses them: a fake door
    (fake_door.py) is loaded into the registry for this class only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Loaded as an addon of its own, above every installed door: loading
        # them as psys_base's would rebuild psys_base's models without the
        # doors' extensions.
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.psys_fake_door.tests")
        cls.loader.backup_registry()
        from .fake_door import (  # pylint: disable=import-outside-toplevel
            PsysBeneficiary,
            PsysFakeCount,
            PsysFakeSecret,
            PsysFakeSession,
            PsysFakeUnguarded,
            PsysFakeVisit,
            PsysReportHook,
        )

        cls.loader.update_registry(
            (
                PsysFakeVisit,
                PsysFakeSecret,
                PsysFakeCount,
                PsysFakeSession,
                PsysFakeUnguarded,
                PsysBeneficiary,
                PsysReportHook,
            )
        )
        # The fake door's access rights, as a door's CSV would give them.
        models = ("psys.fake.visit", "psys.fake.secret", "psys.fake.count", "psys.fake.session", "psys.fake.unguarded")
        for model in models:
            cls.env["ir.model.access"].create(
                {
                    "name": f"{model} user",
                    "model_id": cls.env["ir.model"]._get_id(model),
                    "group_id": cls.env.ref("base.group_user").id,
                    "perm_read": True,
                    "perm_write": True,
                    "perm_create": True,
                    "perm_unlink": True,
                }
            )
        cls.person = cls._beneficiary()
        cls.visit = cls.env["psys.fake.visit"].create(
            {
                "beneficiary_id": cls.person.id,
                "note": "Parle de son frère",
                "date_start": "2026-10-05 09:00:00",
                "theme_ids": [(6, 0, cls.theme.ids)],
            }
        )
        cls.secret = cls.env["psys.fake.secret"].create(
            {"beneficiary_id": cls.person.id, "visit_id": cls.visit.id, "body": "Secret"}
        )
        cls.count = cls.env["psys.fake.count"].create({"beneficiary_id": cls.person.id, "label": "Atelier"})
        cls.unguarded = cls.env["psys.fake.unguarded"].create({"theme_ids": [(6, 0, cls.theme.ids)]})

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    # Purge specification -------------------------------------------------

    def test_purge_applies_each_kind_of_spec(self):
        specs = self.person._get_purge_specs()
        self.assertIn(PurgeSpec("psys.fake.secret", "beneficiary_id", delete=True), specs)
        self.assertIn(PurgeSpec("psys.note", "beneficiary_id", delete=True), specs, "the spine's own stay")
        for record in (self.visit, self.secret, self.count):
            record.message_post(body="Message nominatif")
        self.person._psys_anonymise()
        self.assertEqual(self.person.state, "anonymised")
        # empty_fields: kept, its text emptied, the rest kept.
        self.assertTrue(self.visit.exists())
        self.assertFalse(self.visit.note)
        self.assertEqual(self.visit.theme_ids, self.theme)
        # delete: gone.
        self.assertFalse(self.secret.exists())
        # neither: kept as it is.
        self.assertEqual(self.count.label, "Atelier")
        # Each loses its chatter.
        for record in (self.visit, self.count):
            with self.subTest(model=record._name):
                self.assertFalse(
                    self.env["mail.message"].search_count([("model", "=", record._name), ("res_id", "=", record.id)])
                )

    # Indicators ------------------------------------------------------------

    def test_indicator_definitions_and_values(self):
        hook = self.env["psys.report.hook"]
        definitions = {item["code"]: item for item in hook._get_indicator_definitions()}
        self.assertEqual(definitions["fake_visits"]["unit"], "count")
        self.assertEqual(definitions["fake_people"]["family"], "fake")
        # A period without the programme: no line at all.
        self.assertFalse(
            [
                line
                for line in hook._get_indicator_values(date(2025, 1, 1), date(2025, 1, 31), self.company)
                if line["indicator"].startswith("fake_")
            ]
        )
        # Nor for another association.
        self.assertFalse(
            [
                line
                for line in hook._get_indicator_values(date(2026, 10, 1), date(2026, 10, 31), self.company_b)
                if line["indicator"].startswith("fake_")
            ]
        )
        lines = {
            line["code"]: line
            for line in hook._get_indicator_lines(date(2026, 10, 1), date(2026, 10, 31), self.company)
        }
        self.assertEqual(lines["fake_visits"]["value"], 1)
        self.assertEqual(lines["fake_visits"]["name"], "Fake visits", "joined with its definition")
        self.assertEqual(lines["fake_people"]["people"], 1)

    def test_indicator_period_is_local(self):
        """00:30 on 1 November in Paris is 23:30 UTC on 31 October: November's."""
        self.company.partner_id.tz = "Europe/Paris"
        self.env["psys.fake.visit"].create({"beneficiary_id": self.person.id, "date_start": "2026-10-31 23:30:00"})
        hook = self.env["psys.report.hook"]
        november = {
            line["code"]: line["value"]
            for line in hook._get_indicator_lines(date(2026, 11, 1), date(2026, 11, 30), self.company)
        }
        october = {
            line["code"]: line["value"]
            for line in hook._get_indicator_lines(date(2026, 10, 1), date(2026, 10, 31), self.company)
        }
        self.assertEqual(november["fake_visits"], 1)
        self.assertEqual(october["fake_visits"], 1, "only the visit of 5 October")

    def test_indicator_value_without_definition_fails(self):
        hook = self.env["psys.report.hook"].with_context(psys_fake_orphan=True)
        with self.assertRaisesRegex(ValueError, "fake_undefined"):
            hook._get_indicator_lines(date(2026, 10, 1), date(2026, 10, 31), self.company)

    # Linking mixin ------------------------------------------------------------

    def test_linking_mixin_on_a_door_model(self):
        visit = self.env["psys.fake.visit"].create({"link_initials": "FD", "link_birth_year": "1990", "link_sex": "x"})
        key, legacy = visit._psys_read_linking_keys()
        self.assertTrue(key)
        self.assertIsNone(legacy)
        self.assertEqual(visit.age_bracket, "26_39", "derived from the birth year, then forgotten")
        visit.invalidate_recordset()
        self.assertFalse(visit.link_initials, "never stored")
        self.assertEqual(visit._psys_has_linking_key(), {visit.id})
        self.assertEqual(self.visit._psys_has_linking_key(), set())
        self.assertNotIn("linking_hash", visit._fields, "the key is a column, not a field")
        # The same person typed at the spine gets the same key.
        person = self._beneficiary(link_initials="fd", link_birth_year=1990, link_sex="x")
        self.assertEqual(person._psys_read_linking_keys()[0], key)

    # Encounter mirror ------------------------------------------------------------

    def _fake_sessions(self, count):
        start = datetime.now().replace(microsecond=0) - timedelta(days=count)
        return self.env["psys.fake.session"].create(
            [{"beneficiary_id": self.person.id, "date_start": start + timedelta(days=day)} for day in range(count)]
        )

    def test_encounter_mirror_creates_in_one_batch(self):
        """Reception records the encounters of three sessions: one create, each
        session linked to its own, the workflow values written along; the link
        itself stays out of reception's reach."""
        sessions = self._fake_sessions(3)
        with create_batches(self.env, "psys.encounter") as calls:
            encounters = sessions.with_user(self.user_reception)._psys_create_encounters({"held": True})
        self.assertEqual(calls, [3])
        self.assertEqual(sessions.encounter_id, encounters)
        for session in sessions:
            with self.subTest(session=session.id):
                self.assertTrue(session.held)
                self.assertEqual(session.encounter_id.date_start, session.date_start)
                self.assertEqual(session.encounter_id.beneficiary_id, self.person)
                self.assertEqual(session.encounter_id.kind, "other")
        with self.assertRaises(AccessError):
            sessions[0].with_user(self.user_reception).encounter_id = False

    def test_encounter_mirror_removes_a_withdrawn_records_encounter(self):
        """Reception may not delete encounters, but those of the sessions it
        withdraws go with them; the others stay."""
        sessions = self._fake_sessions(2)
        encounters = sessions._psys_create_encounters()
        with self.assertRaises(AccessError):
            encounters[0].with_user(self.user_reception).unlink()
        sessions[0].with_user(self.user_reception)._psys_remove_encounters()
        self.assertFalse(encounters[0].exists())
        self.assertFalse(sessions[0].encounter_id)
        self.assertEqual(sessions[1].encounter_id, encounters[1])

    # Field guard ---------------------------------------------------------------

    def test_a_door_model_without_a_policy_is_found(self):
        """The registry check of the kernel fails on a door's models that
        declare no policy (the fake door declares none)."""
        found = models_without_policy(self.env)
        for model in ("psys.fake.visit", "psys.fake.secret", "psys.fake.count", "psys.fake.unguarded"):
            self.assertIn(model, found)

    def test_field_guard_on_a_door_model(self):
        visits = self.env["psys.fake.visit"].with_user(self.user_reception)
        self.assertEqual(visits.search([("id", "=", self.visit.id)]), self.visit, "the door's model is readable")
        channels = {
            "theme_ids != False": lambda: visits.search([("theme_ids", "!=", False)]),
            "theme_ids.name": lambda: visits.search([("theme_ids.name", "ilike", self.theme.name)]),
            "secret_ids in": lambda: visits.search([("secret_ids", "in", self.secret.ids)]),
            "group by theme": lambda: visits._read_group([], ["theme_ids"], ["__count"]),
            "order": lambda: visits.search([], order="theme_ids"),
        }
        for name, call in channels.items():
            with self.subTest(channel=name), self.assertRaises(AccessError):
                call()
        therapist_visits = self.env["psys.fake.visit"].with_user(self.user_therapist)
        self.assertIn(self.visit, therapist_visits.search([("theme_ids", "!=", False)]))

    def test_without_the_guard_the_themes_leak(self):
        """The gap the guard closes: Odoo 18 lets reception search and group
        an unguarded model by a field it cannot read."""
        unguarded = self.env["psys.fake.unguarded"].with_user(self.user_reception)
        with self.assertRaises(AccessError):
            self.unguarded.with_user(self.user_reception).read(["theme_ids"])
        self.assertEqual(unguarded.search([("theme_ids", "in", self.theme.ids)]), self.unguarded)
        self.assertEqual(unguarded._read_group([], ["theme_ids"], ["__count"]), [(self.theme, 1)])

    def test_registry_check_finds_the_unguarded_model(self):
        """The registry test (test_field_guard) fails on a door that forgets
        the guard, and only on it."""
        self.assertEqual(unguarded_restricted_x2many(self.env), ["psys.fake.unguarded.theme_ids"])
