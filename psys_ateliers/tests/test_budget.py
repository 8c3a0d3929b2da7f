from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestBudget(PsysAteliersCase):
    def test_totals(self):
        cycle = self.cycle.with_user(self.user_facilitator)
        cycle.write(
            {
                "budget_line_ids": [
                    (0, 0, {"funder_id": self.funder_state.id, "amount": 5090.0}),
                    (0, 0, {"funder_id": self.funder_ars.id, "amount": 4000.0}),
                ]
            }
        )
        state_line, ars_line = cycle.budget_line_ids.sorted("amount", reverse=True)
        self.env["psys.workshop.spending"].with_user(self.user_facilitator).create(
            [
                {"cycle_id": cycle.id, "budget_line_id": state_line.id, "name": "Animation", "amount": 1200.0},
                {"cycle_id": cycle.id, "budget_line_id": state_line.id, "name": "Location de salle", "amount": 300.0},
                {"cycle_id": cycle.id, "budget_line_id": ars_line.id, "name": "Supports", "amount": 250.5},
            ]
        )
        self.assertEqual(cycle.budget_total, 9090.0)
        self.assertEqual(cycle.spent_total, 1750.5)
        self.assertEqual(cycle.remaining_total, 7339.5)
        self.assertEqual(state_line.spent_amount, 1500.0)
        self.assertEqual(state_line.remaining_amount, 3590.0)
        self.assertEqual(ars_line.remaining_amount, 3749.5)

    def test_bad_amounts_and_lines(self):
        with self.assertRaises(ValidationError):
            self.env["psys.workshop.budget.line"].create(
                {"cycle_id": self.cycle.id, "funder_id": self.funder_state.id, "amount": 0}
            )
        line = self.env["psys.workshop.budget.line"].create(
            {"cycle_id": self.cycle.id, "funder_id": self.funder_state.id, "amount": 100}
        )
        with self.assertRaises(ValidationError):
            self.env["psys.workshop.spending"].create(
                {"cycle_id": self.cycle.id, "budget_line_id": line.id, "name": "Erreur", "amount": -5}
            )
        other_cycle = self._cycle(name="Autre cycle")
        with self.assertRaises(ValidationError):
            self.env["psys.workshop.spending"].create(
                {"cycle_id": other_cycle.id, "budget_line_id": line.id, "name": "Mauvais cycle", "amount": 5}
            )
        self.assertFalse(self.cycle.spending_ids)
