"""The scale benchmark's data generator at a tiny scale (issue 24), and the
retention purge in batches over it: no timing here, only that the data has
the shape the benchmark relies on and that the batched job ends."""

import bench_scale

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock


@tagged("post_install", "-at_install")
class TestBenchScale(PsysClock, TransactionCase):
    def test_generator_and_batched_purge(self):
        today = fields.Date.context_today(self.env.user)
        bench_scale.setup_data(self.env, 0.001, today, editions=1)
        self.env.flush_all()
        companies = [
            self.env["res.company"].search([("name", "=", f"Association scale {index}")]) for index in range(2)
        ]
        encounters = [self.env["psys.encounter"].search_count([("company_id", "=", c.id)]) for c in companies]
        # the big association holds ten times the small one's rows
        self.assertAlmostEqual(encounters[0] / encounters[1], 10, delta=1.5)
        for model in ("psys.booking", "psys.note", "psys.note.access.log", "psys.invitation.log", "psys.desk.visit"):
            self.assertTrue(self.env[model].sudo().search_count([("company_id", "=", companies[0].id)]), model)
        self.assertTrue(self.env["psys.bilan.cell"].search_count([("company_id", "=", companies[0].id)]))

        # The purge in batches: each call anonymises at most a batch and says
        # how many remain, until none does.
        cron = self.env.ref("psys_base.ir_cron_psys_anonymise_inactive")
        People = self.env["psys.beneficiary"].with_context(active_test=False)
        domain = People._psys_inactive_domain()
        inactive = People.search_count(domain)
        self.assertGreater(inactive, 20)
        calls = 0
        while True:
            _runner, progress = cron._add_progress()
            People.with_context(ir_cron_progress_id=progress.id)._cron_anonymise_inactive(batch_size=20)
            calls += 1
            self.assertLessEqual(progress.done, 20)
            if not progress.remaining:
                break
        self.assertEqual(calls, -(-inactive // 20))
        self.assertFalse(People.search_count(domain))
