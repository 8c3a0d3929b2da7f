import threading
from datetime import datetime, timedelta

from odoo import api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from odoo.addons.psys_base.tests.common import PsysClock


@tagged("psys_referral", "post_install", "-at_install")
class TestConcurrentBooking(PsysClock, BaseCase):
    """Two real connections book the same slot at the same time: the
    database lets exactly one through, the other fails cleanly."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
            structure = env["res.partner"].create({"name": "CCAS concurrent", "psys_structure_type": "ccas"})
            location = env["psys.location"].create({"name": "Salle concurrente"})
            partnership = env["psys.partnership"].create(
                {
                    "name": "Convention concurrente",
                    "structure_id": structure.id,
                    "location_id": location.id,
                    "tariff_policy": "funded",
                }
            )
            start = datetime.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
            slot = env["psys.slot"].create(
                {"partnership_id": partnership.id, "start": start, "stop": start + timedelta(hours=1)}
            )
            beneficiaries = env["psys.beneficiary"].create([{"age_bracket": "18_25"}, {"age_bracket": "40_59"}])
            self.ids = {
                "structure": structure.id,
                "location": location.id,
                "partnership": partnership.id,
                "slot": slot.id,
                "beneficiaries": beneficiaries.ids,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
            env["psys.booking"].search([("slot_id", "=", self.ids["slot"])]).unlink()
            env["psys.partnership"].browse(self.ids["partnership"]).unlink()
            env["psys.beneficiary"].browse(self.ids["beneficiaries"]).unlink()
            env["psys.location"].browse(self.ids["location"]).unlink()
            env["res.partner"].browse(self.ids["structure"]).unlink()

    def _book(self, beneficiary_id, results, inserted=None, go=None):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
                if go:
                    go.wait(10)
                # Nothing in Python stops the second booking: the first one is
                # not committed yet, so only the unique index can refuse it.
                self.assertFalse(env["psys.slot"].browse(self.ids["slot"]).is_booked)
                env["psys.booking"].create({"slot_id": self.ids["slot"], "beneficiary_id": beneficiary_id})
                if inserted:
                    inserted.set()
                    threading.Event().wait(0.5)  # hold the transaction open while the other one tries
            results.append("ok")
        except UserError as error:
            results.append(str(error))
        except Exception as error:
            results.append(repr(error))

    def test_two_connections_same_slot(self):
        results_first, results_second = [], []
        inserted = threading.Event()
        first = threading.Thread(target=self._book, args=(self.ids["beneficiaries"][0], results_first, inserted))
        second = threading.Thread(
            target=self._book, args=(self.ids["beneficiaries"][1], results_second, None, inserted)
        )
        first.start()
        second.start()
        first.join(30)
        second.join(30)
        self.assertEqual(results_first, ["ok"])
        self.assertEqual(len(results_second), 1)
        self.assertIn("already booked", results_second[0])
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM psys_booking WHERE slot_id = %s AND state != 'cancelled'", [self.ids["slot"]]
            )
            self.assertEqual(cr.fetchone()[0], 1)


@tagged("psys_referral", "post_install", "-at_install")
class TestConcurrentOverlap(PsysClock, BaseCase):
    """Two real connections book, at the same instant, overlapping slots of
    two partnerships (a CCAS and a CAF) of one practitioner: the exclusion
    constraint lets exactly one through, the other gets a clear message and
    leaves nothing behind."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
            practitioner = env["res.users"].create(
                {"name": "Praticienne concurrente", "login": "psys_concurrent_practitioner", "tz": "Europe/Paris"}
            )
            location = env["psys.location"].create({"name": "Salle concurrente"})
            structures = env["res.partner"].create(
                [
                    {"name": "CCAS concurrent", "psys_structure_type": "ccas"},
                    {"name": "CAF concurrente", "psys_structure_type": "caf"},
                ]
            )
            partnerships = env["psys.partnership"].create(
                [
                    {
                        "name": f"Convention {structure.name}",
                        "practitioner_id": practitioner.id,
                        "structure_id": structure.id,
                        "location_id": location.id,
                        "tariff_policy": "funded",
                    }
                    for structure in structures
                ]
            )
            start = datetime.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
            # The CCAS from 9:00 to 10:00, the CAF from 9:30 to 10:15.
            slots = env["psys.slot"].create(
                [
                    {"partnership_id": partnerships[0].id, "start": start, "stop": start + timedelta(hours=1)},
                    {
                        "partnership_id": partnerships[1].id,
                        "start": start + timedelta(minutes=30),
                        "stop": start + timedelta(minutes=75),
                    },
                ]
            )
            beneficiaries = env["psys.beneficiary"].create([{"age_bracket": "18_25"}, {"age_bracket": "40_59"}])
            self.ids = {
                "practitioner": practitioner.id,
                "structures": structures.ids,
                "location": location.id,
                "partnerships": partnerships.ids,
                "slots": slots.ids,
                "beneficiaries": beneficiaries.ids,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
            env["psys.booking"].search([("slot_id", "in", self.ids["slots"])]).unlink()
            env["psys.partnership"].browse(self.ids["partnerships"]).unlink()
            env["psys.beneficiary"].browse(self.ids["beneficiaries"]).unlink()
            env["psys.location"].browse(self.ids["location"]).unlink()
            env["res.partner"].browse(self.ids["structures"]).unlink()
            env["res.users"].browse(self.ids["practitioner"]).unlink()

    def _book(self, slot_id, beneficiary_id, results, inserted=None, go=None):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "fr_FR"})
                if go:
                    go.wait(10)
                # Two different slots: no slot lock nor unique index stands in
                # the way, only the exclusion constraint.
                env["psys.booking"].create({"slot_id": slot_id, "beneficiary_id": beneficiary_id})
                if inserted:
                    inserted.set()
                    threading.Event().wait(0.5)  # hold the transaction open while the other one tries
            results.append("ok")
        except UserError as error:
            results.append(str(error))
        except Exception as error:
            results.append(repr(error))

    def test_two_connections_overlapping_slots_of_two_partnerships(self):
        results_first, results_second = [], []
        inserted = threading.Event()
        ccas_slot, caf_slot = self.ids["slots"]
        first = threading.Thread(
            target=self._book, args=(ccas_slot, self.ids["beneficiaries"][0], results_first, inserted)
        )
        second = threading.Thread(
            target=self._book, args=(caf_slot, self.ids["beneficiaries"][1], results_second, None, inserted)
        )
        first.start()
        second.start()
        first.join(30)
        second.join(30)
        self.assertEqual(results_first, ["ok"])
        self.assertEqual(len(results_second), 1)
        with self.registry.cursor() as cr:
            french = api.Environment(cr, api.SUPERUSER_ID, {})["res.lang"]._lang_get("fr_FR")
            expected = "a déjà un rendez-vous à cette heure" if french else "already has an appointment at that time"
            self.assertIn(expected, results_second[0])
            # Nothing half-written: one booking, no second referral nor person touched.
            cr.execute(
                "SELECT slot_id FROM psys_booking WHERE slot_id IN %s AND state != 'cancelled'",
                [tuple(self.ids["slots"])],
            )
            self.assertEqual(cr.fetchall(), [(ccas_slot,)])
