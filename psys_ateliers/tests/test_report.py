from datetime import date

from odoo.tests import tagged

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestReportHook(PsysAteliersCase):
    # 2023: before the demo cycle, so that only this test's records count.
    def _indicators(self, date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)):
        hook = self.env["psys.report.hook"].with_user(self.user_coordinator)
        return {
            indicator["code"]: indicator
            for indicator in hook._get_indicator_lines(date_from, date_to, self.company)
            if indicator["family"] == "brive"
        }

    def test_brive_indicators(self):
        cycle = self._cycle(date_start=date(2023, 1, 9), date_end=date(2023, 3, 31))
        workshops = self._generate(cycle)
        people = [self._beneficiary(territory_id=self.territory.id) for _index in range(3)]
        for person in people:
            self.env["event.registration"].create(
                {"event_id": workshops[0].id, "psys_beneficiary_id": person.id}
            ).action_set_done()
        self.env["event.registration"].create(
            {"event_id": workshops[1].id, "psys_beneficiary_id": people[0].id}
        ).action_set_done()
        self.env["psys.workshop.headcount"].create({"event_id": workshops[2].id, "audience": "residents", "count": 5})
        survey = self.env.ref("psys_ateliers.survey_workshop_evaluation")
        question = self.env.ref("psys_ateliers.survey_workshop_evaluation_q_listened")
        self.env["survey.user_input"].create(
            {
                "survey_id": survey.id,
                "psys_event_id": workshops[0].id,
                "state": "done",
                "user_input_line_ids": [(0, 0, {"question_id": question.id, "answer_type": "scale", "value_scale": 4})],
            }
        )
        self.env["psys.orientation"].create(
            {
                "beneficiary_id": people[1].id,
                "psys_event_id": workshops[0].id,
                "target_id": self.target_cmp.id,
                "date": date(2023, 1, 9),
            }
        )
        self.env["psys.sentinel"].create({"beneficiary_id": people[2].id, "date_identified": date(2023, 2, 1)})

        indicators = self._indicators()
        self.assertEqual(indicators["brive_workshops_held"]["value"], 3)
        self.assertEqual(indicators["brive_people_reached"]["value"], 8)
        self.assertEqual(indicators["brive_people_reached"]["people"], 8)
        # One scale everywhere: out of 5 as on the cycle (0.75 of the way from 1 to 5).
        self.assertEqual(indicators["brive_alliance_score"]["value"], 4.0)
        self.assertEqual(indicators["brive_alliance_score"]["unit"], "score5")
        self.assertEqual(indicators["brive_alliance_score"]["people"], 1)
        self.assertEqual(indicators["brive_people_oriented"]["value"], 1)
        self.assertEqual(indicators["brive_sentinels_identified"]["value"], 1)
        per_neighbourhood = indicators[f"brive_people_reached_{self.territory.id}"]
        self.assertEqual(per_neighbourhood["value"], 8)
        self.assertIn(self.territory.complete_name, per_neighbourhood["name"])
        for indicator in indicators.values():
            self.assertEqual(
                set(indicator),
                {"family", "code", "indicator", "name", "value", "unit", "people", "definition", "source"},
            )
        self.assertEqual(per_neighbourhood["indicator"], "brive_people_reached_territory")
        # Another period, another association: no workshop cycle runs there, no Brive line.
        self.assertEqual(self._indicators(date(2022, 1, 1), date(2022, 12, 31)), {})
        other = self.env["psys.report.hook"]._get_indicator_values(date(2023, 1, 1), date(2023, 12, 31), self.company_b)
        self.assertFalse([line for line in other if line["indicator"].startswith("brive_")])

    def test_definitions_are_static(self):
        """The catalogue reads the definitions: one per code, no figure."""
        definitions = self.env["psys.report.hook"]._get_indicator_definitions()
        codes = [item["code"] for item in definitions]
        self.assertEqual(len(codes), len(set(codes)))
        brive = {item["code"]: item for item in definitions if item["family"] == "brive"}
        self.assertIn("brive_people_reached_territory", brive)
        for item in brive.values():
            self.assertNotIn("value", item)
            self.assertTrue(item["name"] and item["definition"] and item["unit"])
