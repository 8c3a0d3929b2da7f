from odoo.tests import tagged

from .test_survey import TestSurveyAggregation

DASHBOARD = {
    "territory_id": {"fields": {"display_name": {}}},
    "name": {},
    "workshop_count": {},
    "workshop_held_count": {},
    "people_reached": {},
    "target_people": {},
    "progress": {},
    "alliance_score": {},
    "alliance_answer_count": {},
    "people_oriented": {},
    "sentinel_count": {},
}


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestIndicatorQueries(TestSurveyAggregation):
    """The cycle list and the workshops compute their indicators in batch:
    the same queries for one cycle or several, one workshop or all."""

    def _fill(self, cycle):
        workshops = cycle.event_ids or self._generate(cycle)
        for workshop in workshops[:2]:
            self._answer(workshop, (4, 5, 3))
        return workshops

    def _read_dashboard(self, cycles):
        self.env.invalidate_all()
        count = self.cr.sql_log_count
        result = cycles.with_user(self.user_facilitator).web_read(DASHBOARD)
        return self.cr.sql_log_count - count, result

    def test_cycle_list_queries_do_not_grow(self):
        self._fill(self.cycle)
        others = self.cycle
        for index in range(3):
            cycle = self._cycle(name=f"Cycle {index}")
            self._fill(cycle)
            others |= cycle
        self.env.flush_all()
        self._read_dashboard(others)  # warm the registry caches
        one, result = self._read_dashboard(self.cycle)
        four, results = self._read_dashboard(others)
        self.assertEqual(four, one, "the same queries for one cycle or four")
        self.assertEqual(result[0]["alliance_answer_count"], 2)
        self.assertEqual({row["alliance_score"] for row in results}, {4.0})
        with self.assertQueryCount(one):
            self.env.invalidate_all()
            others.with_user(self.user_facilitator).web_read(DASHBOARD)

    def test_workshop_indicators_in_batch(self):
        workshops = self._fill(self.cycle)
        field = workshops._fields["psys_alliance_score"]
        self.env.flush_all()
        field.compute_value(workshops)  # warm the registry caches
        count = self.cr.sql_log_count
        field.compute_value(workshops[:1])
        one = self.cr.sql_log_count - count
        count = self.cr.sql_log_count
        field.compute_value(workshops)
        self.assertEqual(self.cr.sql_log_count - count, one, f"the same queries for 1 or {len(workshops)} workshops")
        self.assertEqual(workshops[0].psys_alliance_score, 4.0)
