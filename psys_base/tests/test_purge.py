import base64

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsysCase


@tagged("post_install", "-at_install", "psys")
class TestRetentionPurge(PsysCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.psys_retention_months = 24
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ignace Quilès", "phone": "0612345678", "email": "k@example.com", "psys_private_contact": True}
        )
        cls.old = cls._beneficiary(
            first_contact_date="2022-01-10",
            gender="male",
            territory_id=cls.territory.id,
            link_initials="KB",
            link_birth_year=1980,
            link_sex="m",
            consent_ids=[(0, 0, {"scope": "named_contact", "given_date": "2022-01-10"})],
        )
        cls.old.partner_id = cls.contact
        tracked = cls.old.message_post(body="Changement de tranche d'âge")
        cls.env["mail.tracking.value"].create(
            {
                "field_id": cls.env["ir.model.fields"]._get("psys.beneficiary", "age_bracket").id,
                "old_value_char": "26 à 39",
                "new_value_char": "40 à 59",
                "mail_message_id": tracked.id,
            }
        )
        cls.encounter = cls._encounter(cls.old, date_start="2022-02-01 10:00:00", theme_ids=[(6, 0, cls.theme.ids)])
        cls.env["psys.note"].create({"beneficiary_id": cls.old.id, "body": "Très personnel"})
        for record in (cls.old, cls.encounter, cls.contact):
            record.message_post(body="Message nominatif Quilès")
            cls.env["ir.attachment"].create(
                {
                    "name": "courrier.txt",
                    "datas": base64.b64encode("Quilès".encode()),
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
        cls.old.activity_schedule("mail.mail_activity_data_todo", summary="Rappeler Quilès")
        cls.recent = cls._beneficiary(first_contact_date="2022-01-10")
        cls._encounter(cls.recent, date_start="2025-11-01 10:00:00")

    def _traces(self, *records):
        found = 0
        for record in records:
            domain = [("res_id", "=", record.id)]
            found += self.env["mail.message"].search_count(domain + [("model", "=", record._name)])
            found += self.env["ir.attachment"].search_count(domain + [("res_model", "=", record._name)])
            found += self.env["mail.activity"].search_count(domain + [("res_model", "=", record._name)])
        return found

    @freeze_time("2026-01-15")
    def test_cron_purges_only_the_inactive(self):
        self.assertTrue(self._traces(self.old, self.encounter, self.contact))
        self.assertTrue(
            self.env["mail.tracking.value"].search_count(
                [("mail_message_id.res_id", "=", self.old.id), ("mail_message_id.model", "=", "psys.beneficiary")]
            )
        )
        self.env["psys.beneficiary"]._cron_anonymise_inactive()
        self.assertEqual(self.old.state, "anonymised")
        self.assertEqual(self.recent.state, "active")
        # Nothing that names the person remains...
        self.assertFalse(self.old.partner_id)
        self.assertFalse(self.old.has_linking_key)
        self.assertEqual(self.old._psys_read_linking_keys(), (None, None))
        self.assertFalse(self.env["psys.note"].search([("beneficiary_id", "=", self.old.id)]))
        self.assertEqual(self._traces(self.old, self.encounter, self.contact), 0)
        self.assertFalse(
            self.env["mail.tracking.value"].search_count(
                [("mail_message_id.res_id", "=", self.old.id), ("mail_message_id.model", "=", "psys.beneficiary")]
            )
        )
        contact = self.contact.with_context(active_test=False)
        self.assertNotIn("Quilès", contact.name)
        self.assertFalse(contact.phone or contact.email)
        self.assertFalse(contact.active)
        # The whole table: a name only this test uses, so any row is its leak.
        self.env.flush_all()
        self.cr.execute("SELECT count(*) FROM mail_message WHERE body::text ILIKE %s", ["%Quilès%"])
        self.assertEqual(self.cr.fetchone()[0], 0)
        # ...and the statistics do.
        self.assertEqual(self.old.gender, "male")
        self.assertEqual(self.old.age_bracket, "26_39")
        self.assertEqual(self.old.territory_id, self.territory)
        self.assertEqual(self.encounter.beneficiary_id, self.old)
        self.assertEqual(self.encounter.theme_ids, self.theme)
        self.assertEqual(self.encounter.visit_type, "first")
        self.assertTrue(self.old.consent_ids, "consents stay as proof")

    @freeze_time("2026-01-15")
    def test_zero_months_disables_the_purge(self):
        self.company.psys_retention_months = 0
        self.env["psys.beneficiary"]._cron_anonymise_inactive()
        self.assertEqual(self.old.state, "active")
