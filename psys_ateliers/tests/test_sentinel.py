from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestSentinel(PsysAteliersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workshops = cls._generate(cls.cycle)
        cls.person = cls._beneficiary(territory_id=cls.territory.id)
        cls.sentinel = cls.env["psys.sentinel"].create(
            {
                "beneficiary_id": cls.person.id,
                "cycle_id": cls.cycle.id,
                "event_id": cls.workshops[0].id,
                "date_identified": date(2025, 1, 6),
            }
        )
        cls.training = cls.env["event.event"].create(
            {
                "name": "Formation Sentinelles – premiers secours en santé mentale",
                "date_begin": "2025-04-07 08:00:00",
                "date_end": "2025-04-07 16:00:00",
            }
        )

    def test_lifecycle(self):
        sentinel = self.sentinel.with_user(self.user_facilitator)
        self.assertEqual(sentinel.state, "identified")
        self.assertEqual(sentinel.territory_id, self.territory)
        with self.assertRaises(UserError):
            sentinel.action_activate()  # identified -> active skips the training
        sentinel.action_start_training()
        self.assertEqual(sentinel.state, "training")
        with self.assertRaises(UserError):
            sentinel.action_activate()  # no training attended yet
        sentinel.training_event_ids = [(4, self.training.id)]
        sentinel.action_activate()
        self.assertEqual(sentinel.state, "active")
        with self.assertRaises(UserError):
            sentinel.action_start_training()
        sentinel.action_deactivate()
        self.assertEqual(sentinel.state, "inactive")
        with self.assertRaises(UserError):
            sentinel.action_deactivate()
        sentinel.action_activate()
        self.assertEqual(sentinel.state, "active")

    def test_relays_and_supervision(self):
        sentinel = self.sentinel.with_user(self.user_facilitator)
        relay = (
            self.env["psys.sentinel.relay"]
            .with_user(self.user_facilitator)
            .create(
                {
                    "sentinel_id": sentinel.id,
                    "date": date(2025, 5, 12),
                    "situation_kind": "isolation",
                    "orientation_target_id": self.target_cmp.id,
                }
            )
        )
        self.assertEqual(relay.territory_id, self.territory)
        self.assertEqual(sentinel.relay_count, 1)
        # No field of a relay can point to the person helped.
        relational = {
            name for name, field in relay._fields.items() if field.type in ("many2one", "many2many", "one2many")
        }
        self.assertNotIn("res.partner", {relay._fields[name].comodel_name for name in relational})
        self.assertNotIn("psys.beneficiary", {relay._fields[name].comodel_name for name in relational})
        supervision = (
            self.env["psys.sentinel.supervision"]
            .with_user(self.user_facilitator)
            .create({"topic": "Retour sur les premiers relais", "sentinel_ids": [(4, sentinel.id)]})
        )
        self.assertEqual(sentinel.supervision_ids, supervision)

    def test_named_sentinel_needs_consent(self):
        partner = self.env["res.partner"].create({"name": "Nadia K.", "psys_private_contact": True})
        with self.assertRaises(ValidationError):
            self.sentinel.partner_id = partner
        consent = self.env["psys.consent"].create({"beneficiary_id": self.person.id, "scope": "sentinel"})
        self.sentinel.partner_id = partner
        self.assertEqual(self.sentinel.display_name, "Nadia K.")
        consent.withdrawn_date = consent.given_date  # today, in the same time zone as the consent
        self.assertFalse(self.sentinel.partner_id, "A withdrawn consent forgets the name.")
        self.assertEqual(self.sentinel.display_name, self.person.code)

    def test_identity_visible_to_facilitator_and_coordinator(self):
        partner = self.env["res.partner"].create({"name": "Nadia K.", "psys_private_contact": True})
        self.env["psys.consent"].create({"beneficiary_id": self.person.id, "scope": "sentinel"})
        self.sentinel.partner_id = partner
        for user in (self.user_facilitator, self.user_coordinator, self.user_clinical_coordinator):
            with self.subTest(user=user.login):
                sentinel = self.env["psys.sentinel"].with_user(user).search([("id", "=", self.sentinel.id)])
                self.assertEqual(sentinel.partner_id.name, "Nadia K.")

    def test_identity_hidden_from_other_roles(self):
        for user in (self.user_therapist, self.user_reception, self.user_portal, self.user_employee):
            with self.subTest(user=user.login):
                sentinels = self.env["psys.sentinel"].with_user(user)
                with self.assertRaises(AccessError):
                    self.sentinel.with_user(user).read(["beneficiary_id", "partner_id"])
                with self.assertRaises(AccessError):
                    sentinels.search([("territory_id", "=", self.territory.id)])
                with self.assertRaises(AccessError):
                    sentinels.read_group([], ["territory_id"], ["territory_id"])
                with self.assertRaises(AccessError):
                    self.env["psys.sentinel.relay"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    sentinels.create({"beneficiary_id": self._beneficiary().id, "territory_id": self.territory.id})

    def test_other_association_sees_nothing(self):
        facilitator_b = self.env["res.users"].create(
            {
                "name": "Facilitatrice B",
                "login": "psys_facilitator_b",
                "company_id": self.company_b.id,
                "company_ids": [(6, 0, self.company_b.ids)],
                "groups_id": [(6, 0, self.env.ref("psys_ateliers.group_psys_facilitator").ids)],
            }
        )
        self.assertFalse(self.env["psys.sentinel"].with_user(facilitator_b).search([]))
        with self.assertRaises(AccessError):
            self.sentinel.with_user(facilitator_b).read(["beneficiary_id"])
        # A person of another association is never anyone's sentinel here
        # (Odoo's company check on ``check_company`` fields).
        other = self.env["psys.beneficiary"].create({"company_id": self.company_b.id})
        with self.assertRaisesRegex(UserError, "belongs to another company"), self.cr.savepoint():
            self.env["psys.sentinel"].create({"beneficiary_id": other.id})

    def test_counted_without_identity(self):
        self.assertEqual(self.cycle.sentinel_count, 1)
        self.assertEqual(self.cycle.with_user(self.user_facilitator).sentinel_count, 1)
        self.env["psys.sentinel"].create({"beneficiary_id": self._beneficiary(territory_id=self.territory.id).id})
        self.assertEqual(self.cycle.sentinel_count, 1, "Only the sentinels identified during the cycle.")

    def test_one_entry_per_person(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["psys.sentinel"].create({"beneficiary_id": self.person.id})
