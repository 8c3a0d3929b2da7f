"""Jobs in batches over records nothing marks as done (issue 24)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock
from odoo.addons.psys_base.tools.cron_batch import next_batch


@tagged("post_install", "-at_install")
class TestCronBatch(PsysClock, TransactionCase):
    def test_batches_resume_after_the_last_id_then_start_over(self):
        partners = self.env["res.partner"].create([{"name": f"Batch {index}"} for index in range(5)])
        cron = self.env.ref("psys_base.ir_cron_psys_anonymise_inactive")
        seen = []
        for _call in range(3):
            _runner, progress = cron._add_progress()
            batch = next_batch(
                partners.with_context(ir_cron_progress_id=progress.id).sorted(reverse=True),
                "psys.test_batch",
                2,
                "Test",
            )
            seen.append(batch.ids)
            self.assertEqual(progress.done, len(batch))
        self.assertEqual(seen, [partners.ids[:2], partners.ids[2:4], partners.ids[4:]])
        self.assertEqual(progress.remaining, 0)
        # the run is over: the next call starts a new one
        self.assertEqual(next_batch(partners, "psys.test_batch", 2, "Test").ids, partners.ids[:2])
