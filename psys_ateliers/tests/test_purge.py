from datetime import date

from odoo.tests import tagged

from odoo.addons.psys_base.tools.purge import PurgeSpec

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestPurge(PsysAteliersCase):
    def test_anonymise_wipes_names_keeps_counts(self):
        workshop = self._generate(self.cycle)[0]
        person = self._beneficiary(territory_id=self.territory.id)
        self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "sentinel"})
        partner = self.env["res.partner"].create(
            {"name": "Nadia K.", "phone": "06 00 00 00 00", "psys_private_contact": True}
        )
        sentinel = self.env["psys.sentinel"].create(
            {
                "beneficiary_id": person.id,
                "partner_id": partner.id,
                "cycle_id": self.cycle.id,
                "date_identified": date(2025, 1, 6),
                "note": "Voisine très présente auprès des personnes âgées de l'immeuble.",
            }
        )
        registration = self.env["event.registration"].create(
            {"event_id": workshop.id, "psys_beneficiary_id": person.id, "name": "Nadia K.", "email": "n@example.com"}
        )
        registration.action_set_done()
        self.assertIn(
            PurgeSpec("psys.sentinel", "beneficiary_id", empty_fields=("partner_id", "note")), person._get_purge_specs()
        )
        person._psys_anonymise()
        self.assertFalse(sentinel.partner_id)
        self.assertFalse(sentinel.note)
        self.assertFalse(registration.name)
        self.assertFalse(registration.email)
        self.assertNotEqual(partner.with_context(active_test=False).name, "Nadia K.")
        self.assertFalse(partner.phone)
        # The figures survive.
        self.assertEqual(self.cycle.sentinel_count, 1)
        self.assertEqual(self.cycle.people_reached, 1)

    def test_active_sentinel_is_not_purged(self):
        self.company.psys_retention_months = 24
        sentinel_person, trained_person = (self._beneficiary(first_contact_date="2022-01-10") for _i in range(2))
        for person, state in ((sentinel_person, "active"), (trained_person, "training")):
            self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "sentinel"})
            self.env["psys.sentinel"].create(
                {"beneficiary_id": person.id, "cycle_id": self.cycle.id, "date_identified": date(2022, 1, 10)}
            ).state = state
        people = sentinel_person | trained_person
        self.assertEqual(people._psys_still_active(), sentinel_person)
        self.env["psys.beneficiary"]._cron_anonymise_inactive()
        self.assertEqual(people.mapped("state"), ["active", "anonymised"])
