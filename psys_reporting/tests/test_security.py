from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ReportingCase

REPORTS = ("psys.encounter.report", "psys.encounter.theme.report", "psys.orientation.report")


@tagged("psys", "psys_reporting", "post_install", "-at_install")
class TestReportingSecurity(ReportingCase):
    def _others(self):
        return {
            "reception": self.user_reception,
            "therapist": self.user_therapist,
            "employee": self.user_employee,
            "other association's therapist": self.user_therapist_b,
            "portal": self.user_portal,
        }

    def test_analysis_views_refused_to_every_other_role(self):
        for role, user in self._others().items():
            for model in REPORTS:
                records = self.env[model].with_user(user)
                with self.subTest(role=role, model=model, op="search"), self.assertRaises(AccessError):
                    records.search([])
                with self.subTest(role=role, model=model, op="read_group"), self.assertRaises(AccessError):
                    records.read_group([], ["people:count_distinct"], ["company_id"])
                with self.subTest(role=role, model=model, op="read"), self.assertRaises(AccessError):
                    records.browse(self.env[model].search([], limit=1).ids).read(["date"])

    def test_bilan_and_catalogue_refused_to_every_other_role(self):
        for role, user in self._others().items():
            with self.subTest(role=role, what="wizard"), self.assertRaises(AccessError):
                self._wizard(user=user)
            with self.subTest(role=role, what="catalogue"), self.assertRaises(AccessError):
                self.env["psys.indicator"].with_user(user).search([])

    def test_bilan_data_refused_to_reception_on_a_coordinator_wizard(self):
        # A wizard created as admin cannot be computed by a reception user.
        wizard = self._wizard()
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_reception)._get_bilan_data()

    def test_coordinator_sees_own_association_only(self):
        coordinator = self.user_coordinator
        for model in REPORTS:
            rows = self.env[model].with_user(coordinator).search([])
            self.assertTrue(rows, model)
            self.assertEqual(rows.company_id, self.company, model)
        groups = (
            self.env["psys.encounter.report"]
            .with_user(coordinator)
            .read_group(
                [("date", ">=", "2020-01-01"), ("date", "<=", "2020-12-31"), ("company_id", "=", self.company.id)],
                ["people:count_distinct"],
                ["company_id"],
            )
        )
        self.assertEqual(
            [(group["company_id"][0], group["people"], group["company_id_count"]) for group in groups],
            [(self.company.id, 5, 9)],
        )
        # the other association's encounter exists, but not for this coordinator
        self.assertTrue(self.env["psys.encounter.report"].search([("company_id", "=", self.company_b.id)]))

    def test_coordinator_cannot_produce_another_association_bilan(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.user_coordinator, company_id=self.company_b.id)._get_bilan_data()

    def test_coordinator_produces_the_bilan(self):
        data = self._wizard(user=self.user_coordinator)._get_bilan_data()
        self.assertEqual(self._figures(data, "key_figures")["People reached"], ["5"])

    def test_theme_and_orientation_views_count_people(self):
        themes = (
            self.env["psys.encounter.theme.report"]
            .with_user(self.user_coordinator)
            .read_group(
                [("theme_id", "=", self.theme_anxiety.id), ("company_id", "=", self.company.id)],
                ["people:count_distinct"],
                ["theme_id"],
            )
        )
        self.assertGreaterEqual(themes[0]["people"], 2)
        orientations = (
            self.env["psys.orientation.report"]
            .with_user(self.user_coordinator)
            .read_group(
                [("date", ">=", "2020-01-01"), ("date", "<=", "2020-12-31")], ["people:count_distinct"], ["target_kind"]
            )
        )
        by_kind = {g["target_kind"]: g["people"] for g in orientations}
        self.assertEqual(by_kind.get("cmp"), 1)
        self.assertEqual(by_kind.get("association"), 1)

    def test_menus_and_views_for_coordinators_only(self):
        menus = (
            "psys_reporting.psys_bilan_wizard_menu",
            "psys_reporting.psys_encounter_report_menu",
            "psys_reporting.psys_indicator_menu",
        )
        for xmlid in menus:
            menu = self.env.ref(xmlid)
            visible = self.env["ir.ui.menu"].with_user(self.user_coordinator)._visible_menu_ids()
            self.assertIn(menu.id, visible, xmlid)
            for user in (self.user_reception, self.user_therapist, self.user_employee):
                self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(user)._visible_menu_ids(), xmlid)
        for model in REPORTS:
            views = self.env[model].with_user(self.user_coordinator).get_views([(False, "pivot"), (False, "graph")])
            self.assertIn("pivot", views["views"])
