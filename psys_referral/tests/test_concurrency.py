from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import PsysRaceCase


@tagged("psys_referral", "post_install", "-at_install")
class TestConcurrentBooking(PsysRaceCase):
    """Two real connections book the same slot at the same time: the
    database lets exactly one through, the other fails cleanly."""

    def _race_setup(self, env):
        beneficiaries = env["psys.beneficiary"].create([{"age_bracket": "18_25"}, {"age_bracket": "40_59"}])
        return dict(self._race_slot(env, "concurrent"), beneficiaries=beneficiaries.ids)

    def _race_cleanup(self, env):
        self._race_slot_cleanup(env)
        env["psys.beneficiary"].browse(self.ids["beneficiaries"]).unlink()

    def _book_for(self, beneficiary_id):
        def book(env):
            # Nothing in Python stops the second booking: the first one is
            # not committed yet, so only the unique index can refuse it.
            self.assertFalse(env["psys.slot"].browse(self.ids["slot"]).is_booked)
            env["psys.booking"].create({"slot_id": self.ids["slot"], "beneficiary_id": beneficiary_id})

        return book

    def test_two_connections_same_slot(self):
        first, second = self.ids["beneficiaries"]
        results_first, results_second = self.race(self._book_for(first), self._book_for(second))
        self.assertEqual(results_first, ["ok"])
        self.assertEqual(len(results_second), 1)
        self.assertIn("already booked", results_second[0])
        with self.committed_env() as env:
            env.cr.execute(
                "SELECT count(*) FROM psys_booking WHERE slot_id = %s AND state != 'cancelled'", [self.ids["slot"]]
            )
            self.assertEqual(env.cr.fetchone()[0], 1)


@tagged("psys_referral", "post_install", "-at_install")
class TestConcurrentOverlap(PsysRaceCase):
    """Two real connections book, at the same instant, overlapping slots of
    two partnerships (a CCAS and a CAF) of one practitioner: the exclusion
    constraint lets exactly one through, the other gets a clear message and
    leaves nothing behind."""

    def _race_setup(self, env):
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
        return {
            "practitioner": practitioner.id,
            "structures": structures.ids,
            "location": location.id,
            "partnerships": partnerships.ids,
            "slots": slots.ids,
            "beneficiaries": beneficiaries.ids,
        }

    def _race_cleanup(self, env):
        env["psys.booking"].search([("slot_id", "in", self.ids["slots"])]).unlink()
        env["psys.partnership"].browse(self.ids["partnerships"]).unlink()
        env["psys.beneficiary"].browse(self.ids["beneficiaries"]).unlink()
        env["psys.location"].browse(self.ids["location"]).unlink()
        env["res.partner"].browse(self.ids["structures"]).unlink()
        env["res.users"].browse(self.ids["practitioner"]).unlink()

    @staticmethod
    def _book(slot_id, beneficiary_id):
        # Two different slots: no slot lock nor unique index stands in the
        # way, only the exclusion constraint.
        return lambda env: env["psys.booking"].create({"slot_id": slot_id, "beneficiary_id": beneficiary_id})

    def test_two_connections_overlapping_slots_of_two_partnerships(self):
        ccas_slot, caf_slot = self.ids["slots"]
        first, second = self.ids["beneficiaries"]
        results_first, results_second = self.race(
            self._book(ccas_slot, first), self._book(caf_slot, second), lang="fr_FR"
        )
        self.assertEqual(results_first, ["ok"])
        self.assertEqual(len(results_second), 1)
        with self.committed_env() as env:
            french = env["res.lang"]._lang_get("fr_FR")
            expected = "a déjà un rendez-vous à cette heure" if french else "already has an appointment at that time"
            self.assertIn(expected, results_second[0])
            # Nothing half-written: one booking, no second referral nor person touched.
            env.cr.execute(
                "SELECT slot_id FROM psys_booking WHERE slot_id IN %s AND state != 'cancelled'",
                [tuple(self.ids["slots"])],
            )
            self.assertEqual(env.cr.fetchall(), [(ccas_slot,)])
