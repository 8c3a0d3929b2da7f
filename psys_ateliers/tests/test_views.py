from datetime import date

from odoo.tests import Form, tagged

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestViews(PsysAteliersCase):
    def test_cycle_form_and_wizard_as_facilitator(self):
        env = self.env(user=self.user_facilitator)
        with Form(env["psys.workshop.cycle"]) as form:
            form.name = "Cycle Chapélies"
            form.territory_id = self.territory
            form.location_id = self.location
            form.date_start = date(2025, 2, 3)
            form.date_end = date(2025, 4, 28)
            form.target_people = 30
            with form.budget_line_ids.new() as line:
                line.funder_id = self.funder_state
                line.amount = 1000
        cycle = form.record
        self.assertEqual(cycle.audience_ids.mapped("audience"), ["residents", "volunteers", "professionals"])
        self.assertEqual(cycle.budget_total, 1000)
        action = cycle.action_open_generate()
        wizard_form = Form(env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(wizard_form.location_id, self.location)
        self.assertEqual(wizard_form.workshop_count, 4)
        wizard_form.workshop_count = 2
        wizard_form.save().action_generate()
        self.assertEqual(len(cycle.event_ids), 2)
        # The workshop form with its psys page opens for the facilitator.
        with Form(cycle.event_ids[0]) as workshop_form:
            self.assertEqual(workshop_form.psys_cycle_id, cycle)

    def test_views_load_for_facilitator(self):
        env = self.env(user=self.user_facilitator)
        for model in (
            "psys.workshop.cycle",
            "psys.workshop.interview",
            "psys.sentinel",
            "psys.sentinel.supervision",
            "psys.sentinel.relay",
            "psys.orientation",
        ):
            with self.subTest(model=model):
                views = env[model].get_views([(False, "list"), (False, "form"), (False, "search")])
                self.assertIn("list", views["views"])
