from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestSurveyAggregation(PsysAteliersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workshops = cls._generate(cls.cycle)
        cls.survey = cls.env.ref("psys_ateliers.survey_workshop_evaluation")
        prefix = "psys_ateliers.survey_workshop_evaluation_"
        cls.q_listened = cls.env.ref(prefix + "q_listened")
        cls.q_useful = cls.env.ref(prefix + "q_useful")
        cls.q_trust = cls.env.ref(prefix + "q_trust")
        cls.q_comment = cls.env.ref(prefix + "q_comment")
        # A scale question that is not an alliance question must not count.
        cls.q_other_scale = cls.env["survey.question"].create(
            {
                "survey_id": cls.survey.id,
                "title": "Le lieu était-il facile d'accès ?",
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
            }
        )

    @classmethod
    def _answer(cls, workshop, scores, comment=None, state="done", other=None):
        lines = [
            (0, 0, {"question_id": question.id, "answer_type": "scale", "value_scale": value})
            for question, value in zip((cls.q_listened, cls.q_useful, cls.q_trust), scores, strict=False)
        ]
        if comment:
            lines.append(
                (0, 0, {"question_id": cls.q_comment.id, "answer_type": "text_box", "value_text_box": comment})
            )
        if other:
            lines.append((0, 0, {"question_id": cls.q_other_scale.id, "answer_type": "scale", "value_scale": other}))
        return cls.env["survey.user_input"].create(
            {"survey_id": cls.survey.id, "psys_event_id": workshop.id, "state": state, "user_input_line_ids": lines}
        )

    def test_template_is_french_and_flags_the_alliance_questions(self):
        self.assertEqual(self.survey.title, "Questionnaire d'évaluation de l'atelier")
        alliance = self.survey.question_ids.filtered("psys_alliance")
        self.assertEqual(len(alliance), 4)
        self.assertEqual(set(alliance.mapped("question_type")), {"scale"})
        self.assertFalse(self.q_comment.psys_alliance)

    def test_workshop_and_cycle_alliance(self):
        first, second = self.workshops[0], self.workshops[1]
        self._answer(first, [5, 4, 3], comment="Très utile", other=1)
        self._answer(first, [4, 4, 4])
        self._answer(first, [1, 1, 1], state="in_progress")  # not finished: ignored
        self._answer(second, [2, 3])
        # Workshop 1: (5 + 4 + 3 + 4 + 4 + 4) / 6 = 4.0
        self.assertEqual(first.psys_alliance_score, 4.0)
        self.assertEqual(first.psys_alliance_answer_count, 2)
        self.assertEqual(first._psys_alliance_stats()["distribution"], {5: 1, 4: 4, 3: 1})
        self.assertEqual(first.psys_alliance_distribution, "3: 1 · 4: 4 · 5: 1")
        # Cycle: (24 + 2 + 3) / 8 = 3.625, rounded
        self.assertEqual(self.cycle.alliance_score, 3.62)
        self.assertEqual(self.cycle.alliance_answer_count, 3)
        stats = self.workshops._psys_alliance_stats()
        self.assertEqual(stats["answers"], 8)
        # Normalised: (mean - 1) / 4 = (3.625 - 1) / 4
        self.assertAlmostEqual(stats["ratio"], 0.6562, places=4)
        self.assertEqual(self.workshops[2].psys_alliance_score, 0.0)

    def test_new_questionnaire_is_anonymous_and_linked(self):
        action = self.workshops[0].with_user(self.user_facilitator).action_psys_new_evaluation()
        answer = self.env["survey.user_input"].search([("psys_event_id", "=", self.workshops[0].id)])
        self.assertEqual(len(answer), 1)
        self.assertFalse(answer.partner_id)
        self.assertIn(answer.access_token, action["url"])

    def test_free_text_for_facilitators_only(self):
        answer = self._answer(self.workshops[0], [5, 5, 5], comment="J'ai enfin osé parler de mon fils.")
        line = answer.user_input_line_ids.filtered(lambda rec: rec.question_id == self.q_comment)
        self.assertEqual(line.with_user(self.user_facilitator).value_text_box, "J'ai enfin osé parler de mon fils.")
        for user in (self.user_therapist, self.user_reception, self.user_portal, self.user_employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                line.with_user(user).read(["value_text_box"])
        # The aggregate stays readable for the cycle's readers without the answers.
        self.assertEqual(self.cycle.with_user(self.user_facilitator).alliance_score, 5.0)
