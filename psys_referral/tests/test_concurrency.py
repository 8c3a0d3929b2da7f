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
