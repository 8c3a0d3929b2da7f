import threading
from datetime import datetime, timedelta

from odoo import api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from odoo.addons.psys_base.tests.common import PsysClock


@tagged("psys_referral", "post_install", "-at_install")
class TestConcurrentOffer(PsysClock, BaseCase):
    """Two real connections book the same waiting list offer at the same
    time (two colleagues, or a double tap): exactly one booking, the other
    gets a clear French message."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
            structure = env["res.partner"].create({"name": "CCAS liste d'attente", "psys_structure_type": "ccas"})
            location = env["psys.location"].create({"name": "Salle liste d'attente"})
            partnership = env["psys.partnership"].create(
                {
                    "name": "Convention liste d'attente",
                    "structure_id": structure.id,
                    "location_id": location.id,
                    "tariff_policy": "funded",
                }
            )
            start = datetime.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
            slot = env["psys.slot"].create(
                {"partnership_id": partnership.id, "start": start, "stop": start + timedelta(hours=1)}
            )
            beneficiary = env["psys.beneficiary"].create({"age_bracket": "18_25"})
            entry = env["psys.waiting.entry"].create(
                {"partnership_id": partnership.id, "beneficiary_id": beneficiary.id, "reason_category": "stress"}
            )
            entry.write({"state": "offered", "slot_id": slot.id, "offer_expiry": datetime.now() + timedelta(hours=24)})
            self.ids = {
                "structure": structure.id,
                "location": location.id,
                "partnership": partnership.id,
                "slot": slot.id,
                "beneficiary": beneficiary.id,
                "entry": entry.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "en_US"})
            env["psys.waiting.entry"].browse(self.ids["entry"]).unlink()
            env["psys.booking"].search([("slot_id", "=", self.ids["slot"])]).unlink()
            env["psys.partnership"].browse(self.ids["partnership"]).unlink()
            env["psys.beneficiary"].browse(self.ids["beneficiary"]).unlink()
            env["psys.location"].browse(self.ids["location"]).unlink()
            env["res.partner"].browse(self.ids["structure"]).unlink()

    def _take(self, results, inserted=None, go=None):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": "fr_FR"})
                if go:
                    go.wait(10)
                entry = env["psys.waiting.entry"].browse(self.ids["entry"])
                entry._psys_book_offer(env.user)
                if inserted:
                    inserted.set()
                    threading.Event().wait(0.5)  # hold the transaction open while the other one tries
            results.append("ok")
        except UserError as error:
            results.append(str(error))
        except Exception as error:
            results.append(repr(error))

    def test_two_connections_take_one_offer(self):
        results_first, results_second = [], []
        inserted = threading.Event()
        first = threading.Thread(target=self._take, args=(results_first, inserted))
        second = threading.Thread(target=self._take, args=(results_second, None, inserted))
        first.start()
        second.start()
        first.join(30)
        second.join(30)
        self.assertEqual(results_first, ["ok"])
        self.assertEqual(len(results_second), 1)
        with self.registry.cursor() as cr:
            french = api.Environment(cr, api.SUPERUSER_ID, {})["res.lang"]._lang_get("fr_FR")
            expected = "Un collègue réserve cette proposition" if french else "A colleague is booking this offer"
            self.assertIn(expected, results_second[0])
            cr.execute(
                "SELECT count(*) FROM psys_booking WHERE slot_id = %s AND state != 'cancelled'", [self.ids["slot"]]
            )
            self.assertEqual(cr.fetchone()[0], 1)
            cr.execute(
                "SELECT state, booking_id IS NOT NULL FROM psys_waiting_entry WHERE id = %s", [self.ids["entry"]]
            )
            self.assertEqual(cr.fetchone(), ("booked", True))
