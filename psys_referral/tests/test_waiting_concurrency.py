from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import PsysRaceCase


@tagged("psys_referral", "post_install", "-at_install")
class TestConcurrentOffer(PsysRaceCase):
    """Two real connections book the same waiting list offer at the same
    time (two colleagues, or a double tap): exactly one booking, the other
    gets a clear French message."""

    def _race_setup(self, env):
        ids = self._race_slot(env, "liste d'attente")
        beneficiary = env["psys.beneficiary"].create({"age_bracket": "18_25"})
        entry = env["psys.waiting.entry"].create(
            {"partnership_id": ids["partnership"], "beneficiary_id": beneficiary.id, "reason_category": "stress"}
        )
        entry.write({"state": "offered", "slot_id": ids["slot"], "offer_expiry": datetime.now() + timedelta(hours=24)})
        return dict(ids, beneficiary=beneficiary.id, entry=entry.id)

    def _race_cleanup(self, env):
        env["psys.waiting.entry"].browse(self.ids["entry"]).unlink()
        self._race_slot_cleanup(env)
        env["psys.beneficiary"].browse(self.ids["beneficiary"]).unlink()

    def _take(self, env):
        env["psys.waiting.entry"].browse(self.ids["entry"])._psys_book_offer(env.user)

    def test_two_connections_take_one_offer(self):
        results_first, results_second = self.race(self._take, self._take, lang="fr_FR")
        self.assertEqual(results_first, ["ok"])
        self.assertEqual(len(results_second), 1)
        with self.committed_env() as env:
            french = env["res.lang"]._lang_get("fr_FR")
            expected = "Un collègue réserve cette proposition" if french else "A colleague is booking this offer"
            self.assertIn(expected, results_second[0])
            env.cr.execute(
                "SELECT count(*) FROM psys_booking WHERE slot_id = %s AND state != 'cancelled'", [self.ids["slot"]]
            )
            self.assertEqual(env.cr.fetchone()[0], 1)
            env.cr.execute(
                "SELECT state, booking_id IS NOT NULL FROM psys_waiting_entry WHERE id = %s", [self.ids["entry"]]
            )
            self.assertEqual(env.cr.fetchone(), ("booked", True))
