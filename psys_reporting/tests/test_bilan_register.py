import io
import json
import subprocess
import tempfile
from datetime import datetime
from unittest.mock import patch

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.psys_reporting.models.psys_bilan_mixin import THRESHOLD_FLOOR_PARAM

from .common import ReportingCase


@tagged("psys", "psys_reporting", "post_install", "-at_install")
class TestBilanRegister(ReportingCase):
    """Bilans as records: publishing freezes them, the register protects
    every edition together, the threshold has a floor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The data set is tiny: the administrator lowers the floor to 2.
        cls.env["ir.config_parameter"].set_param(THRESHOLD_FLOOR_PARAM, "2")

    def _bilan(self, user=None, **values):
        env = self.env(user=user) if user else self.env
        return env["psys.bilan"].create(
            dict(
                {
                    "date_from": "2020-01-01",
                    "date_to": "2020-12-31",
                    "edition": "published",
                    "secrecy_threshold": 2,
                },
                **values,
            )
        )

    @staticmethod
    def _all_figures(data):
        return [
            "s" if cell["masked"] else cell["value"]
            for table in data["tables"]
            for row in table["rows"]
            for cell in row["cells"]
        ]

    @staticmethod
    def _xlsx_figures(raw):
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return [
            value
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row[1:]
            if value == "s" or (isinstance(value, int | float) and not isinstance(value, bool))
        ]

    @staticmethod
    def _pdf_pages(raw):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(raw)
            handle.flush()
            result = subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True)
        return [page for page in result.stdout.decode().split("\f") if page.strip()]

    # Threshold floor -----------------------------------------------------

    def test_threshold_floor(self):
        self.env["ir.config_parameter"].set_param(THRESHOLD_FLOOR_PARAM, "11")
        coordinator = self.user_coordinator
        with self.assertRaisesRegex(ValidationError, "below 11"):
            self._bilan(user=coordinator, secrecy_threshold=1)
        with self.assertRaisesRegex(ValidationError, "below 11"):
            self._bilan(user=coordinator, secrecy_threshold=11, secrecy_margin=3)
        # the default comes from the company, never below the floor
        self.company.psys_secrecy_threshold = 3
        bilan = (
            self.env["psys.bilan"].with_user(coordinator).create({"date_from": "2020-01-01", "date_to": "2020-12-31"})
        )
        self.assertEqual((bilan.secrecy_threshold, bilan._secrecy_margin()), (11, 11))
        with self.assertRaisesRegex(ValidationError, "below 11"):
            bilan.secrecy_threshold = 1
        # internal editions mask nothing: no floor
        self._bilan(user=coordinator, edition="internal", secrecy_threshold=1)
        # only the administrator sets the floor
        params = self.env["ir.config_parameter"].with_user(coordinator)
        with self.assertRaises(AccessError):
            params.set_param(THRESHOLD_FLOOR_PARAM, "1")
        with self.assertRaises(AccessError):
            params.search([("key", "=", THRESHOLD_FLOOR_PARAM)]).write({"value": "1"})
        # the preview wizard has the same floor
        with self.assertRaisesRegex(ValidationError, "below 11"):
            self._wizard(user=coordinator, edition="published", secrecy_threshold=1)

    # Publishing, immutability, withdrawal ------------------------------------

    def test_publish_freezes_cells_and_documents(self):
        bilan = self._bilan(user=self.user_coordinator)
        self.assertEqual(bilan.state, "draft")
        self.assertEqual(bilan.create_uid, self.user_coordinator)
        bilan.action_run_audit()
        self.assertTrue(bilan.audit_passed)
        bilan.action_publish()
        self.assertEqual(bilan.state, "published")
        self.assertEqual(bilan.published_by_id, self.user_coordinator)
        self.assertTrue(bilan.published_date)
        self.assertTrue(bilan.audit_passed, bilan.audit_summary)
        self.assertTrue(bilan.data["published"])
        masked = bilan.cell_ids.filtered("masked")
        self.assertTrue(masked)
        self.assertTrue(all(masked.mapped("audit_protected")))
        for cell in masked:
            width = float("inf") if cell.audit_unbounded else cell.audit_high - cell.audit_low
            self.assertGreaterEqual(width, bilan._secrecy_margin(), cell.key)
        # people and encounters are kept apart
        self.assertEqual(set(bilan.cell_ids.mapped("unit")) - {"other"}, {"people", "visits", "orientations"})
        self.assertEqual(
            bilan.cell_ids.filtered(lambda cell: cell.key == json.dumps(["people"])).value,
            5,
        )
        # documents: attached, and the PDF and the XLSX show the same figures
        self.assertTrue(bilan.pdf_attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(bilan.pdf_attachment_id.name, "bilan-2020-01-01-2020-12-31.pdf")
        self.assertEqual(self._xlsx_figures(bilan.xlsx_attachment_id.raw), self._all_figures(bilan.data))
        text = "\n".join(self._pdf_pages(bilan.pdf_attachment_id.raw))
        labels = [row["label"] for table in bilan.data["tables"] for row in table["rows"]]
        for table in bilan.data["tables"]:
            for row in table["rows"]:
                if row["cells"] and labels.count(row["label"]) == 1 and row["label"] in text:
                    line = next(line for line in text.splitlines() if line.strip().startswith(row["label"]))
                    self.assertTrue(line.rstrip().endswith(row["cells"][-1]["display"]), (line, row))
        self.assertEqual(bilan.action_print_pdf()["url"], f"/web/content/{bilan.pdf_attachment_id.id}?download=true")

        # frozen: the figures, the scope, the cells; no second publication
        as_coordinator = bilan.with_user(self.user_coordinator)
        with self.assertRaises(UserError):
            as_coordinator.secrecy_threshold = 20
        with self.assertRaises(UserError):
            as_coordinator.date_to = "2020-06-30"
        with self.assertRaises(UserError):
            as_coordinator.write({"state": "draft"})
        with self.assertRaises(UserError):
            as_coordinator.unlink()
        with self.assertRaises(UserError):
            as_coordinator.action_publish()
        with self.assertRaises(UserError):
            masked[0].with_user(self.user_coordinator).write({"value": 3})
        with self.assertRaises(UserError):
            masked[0].sudo().write({"value": 3})
        with self.assertRaises(UserError):
            masked[0].sudo().unlink()
        with self.assertRaises(UserError):
            self.env["psys.bilan"].with_user(self.user_coordinator).create(
                {"date_from": "2020-01-01", "date_to": "2020-12-31", "state": "published"}
            )

        # withdrawn with a reason, and still in the register
        with self.assertRaises(ValidationError):
            as_coordinator._bilan_withdraw(" ")
        wizard = (
            self.env["psys.bilan.withdraw.wizard"]
            .with_user(self.user_coordinator)
            .create({"bilan_id": bilan.id, "reason": "Erreur de périmètre"})
        )
        wizard.action_withdraw()
        self.assertEqual(bilan.state, "withdrawn")
        self.assertEqual(bilan.withdrawn_by_id, self.user_coordinator)
        register = self.env["psys.bilan"]._register_editions(self.company)
        self.assertIn(bilan.id, [edition["id"] for edition in register])
        bilan.action_run_audit()
        self.assertTrue(bilan.audit_passed)

    def test_register_and_bilans_refused_to_other_roles(self):
        bilan = self._bilan()
        for user in (self.user_reception, self.user_therapist, self.user_employee):
            with self.assertRaises(AccessError):
                self.env["psys.bilan"].with_user(user).search([])
            with self.assertRaises(AccessError):
                bilan.with_user(user).action_publish()
            with self.assertRaises(AccessError):
                self.env["psys.bilan.cell"].with_user(user).search([])
        # another association's coordinator sees nothing of it
        coordinator_b = self._psys_user("psys_coordinator_b", "psys_base.group_psys_coordinator")
        coordinator_b.write({"company_id": self.company_b.id, "company_ids": [(6, 0, self.company_b.ids)]})
        self.assertNotIn(bilan, self.env["psys.bilan"].with_user(coordinator_b).search([]))

    def test_internal_edition_says_so(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["psys_reporting"], ["fr_FR"], overwrite=True)
        bilan = self._bilan(user=self.user_coordinator, edition="internal")
        bilan.action_publish()
        self.assertFalse(bilan.cell_ids.filtered("masked"))
        self.assertIn("edition-interne", bilan.pdf_attachment_id.name)
        self.assertIn("edition-interne", bilan.xlsx_attachment_id.name)
        pages = self._pdf_pages(bilan.pdf_attachment_id.raw)
        self.assertGreater(len(pages), 1)
        for number, page in enumerate(pages, start=1):
            self.assertIn("Édition interne", page, f"page {number}")
        # not part of the register of publications
        self.assertNotIn(
            bilan.id, [edition["id"] for edition in self.env["psys.bilan"]._register_editions(self.company)]
        )

    def test_failing_audit_blocks_publishing(self):
        bilan = self._bilan(user=self.user_coordinator)
        mixin = "odoo.addons.psys_reporting.models.psys_bilan_mixin"
        with patch(f"{mixin}.protect", side_effect=lambda system, primary, margin: ({}, [("L", "new", "x")])):
            with self.assertRaisesRegex(UserError, "secrecy audit fails"):
                bilan.action_publish()
            bilan.action_run_audit()
        self.assertEqual(bilan.state, "draft")
        self.assertFalse(bilan.audit_passed)
        self.assertFalse(bilan.cell_ids)

    # Secrecy across editions -------------------------------------------------

    def test_second_edition_keeps_what_the_first_masked(self):
        """The town's edition then Villeneuve's own edition: a figure masked in
        the first stays masked in the second, and the register's audit holds."""
        town = self._bilan()
        town.action_publish()
        first = {cell.fact: cell for cell in town.cell_ids if cell.fact}
        scoped = self._bilan(territory_id=self.town.id)
        scoped.action_publish()
        self.assertTrue(scoped.audit_passed, scoped.audit_summary)
        shared = [cell for cell in scoped.cell_ids if cell.fact in first and not cell.hidden]
        self.assertTrue(shared)
        for cell in shared:
            if first[cell.fact].masked and not first[cell.fact].hidden:
                self.assertTrue(cell.masked, cell.key)
        # Villeneuve's people: one variable in both editions
        people = scoped.cell_ids.filtered(lambda cell: cell.key == json.dumps(["people"]))
        self.assertEqual(people.fact, first[people.fact].fact)
        self.assertEqual(people.value, 3)
        town.action_run_audit()
        self.assertTrue(town.audit_passed, town.audit_summary)
        self.assertIn("1 earlier published", town.audit_summary)

    def test_equations_tie_totals_to_their_parts(self):
        """QPV and rural totals are sums of territories, the key figures of
        orientation the totals of the relay columns: the equations hold on
        the figures, hidden ones included."""
        bilan = self._bilan()
        builder = bilan._bilan_compute()["builder"]
        totals = {total for total, _members in builder.groups}
        self.assertTrue({("qpv",), ("rural",), ("oriented",), ("health",)} <= totals)
        for total, members in builder.groups:
            self.assertEqual(builder.cells[total][0], sum(builder.cells[key][0] for key in members), total)
        for smaller, larger in builder.inequalities:
            self.assertLessEqual(builder.cells[smaller][0], builder.cells[larger][0], (smaller, larger))

    # Local time ------------------------------------------------------------

    def test_local_time_edges(self):
        """Periods and months are in Europe/Paris: 00:30 on 1 January local is
        23:30 UTC the day before; DST nights shift the offset."""
        self.company.partner_id.tz = "Europe/Paris"
        enc = self._encounter
        enc(self.b3, date_start=datetime(2020, 12, 31, 23, 30), kind="phone")  # 1 Jan 2021 00:30
        enc(self.b3, date_start=datetime(2020, 3, 31, 22, 30), kind="phone")  # 1 Apr 00:30 (CEST)
        enc(self.b3, date_start=datetime(2020, 3, 28, 23, 30), kind="phone")  # 29 Mar 00:30 (CET)
        enc(self.b3, date_start=datetime(2020, 10, 24, 22, 30), kind="phone")  # 25 Oct 00:30 (CEST)
        enc(self.b3, date_start=datetime(2020, 10, 31, 23, 30), kind="phone")  # 1 Nov 00:30 (CET)
        data = self._wizard()._get_bilan_data()
        months = self._figures(data, "months")
        phone = self._table(data, "months")["header"].index("Phone call") - 1
        self.assertEqual(months["March 2020"][phone], "1")
        self.assertEqual(months["April 2020"][phone], "1")
        self.assertEqual(months["October 2020"][phone], "1")
        self.assertEqual(months["November 2020"][phone], "1")
        # January 2020 already had b2's phone call; the one of 1 January 2021
        # belongs to 2021
        self.assertEqual(months["January 2020"][phone], "1")
        self.assertEqual(months["December 2020"][phone], "0")
        next_year = self._wizard(date_from="2021-01-01", date_to="2021-01-31")._get_bilan_data()
        self.assertEqual(self._figures(next_year, "months")["January 2021"][phone], "1")
        # the analysis view dates the encounter locally too
        report = self.env["psys.encounter.report"].search(
            [("company_id", "=", self.company.id), ("date", "=", "2021-01-01")]
        )
        self.assertEqual(len(report), 1)


@tagged("psys", "psys_reporting", "post_install", "-at_install")
class TestNestedEditionsRegister(ReportingCase):
    """Issue 23, hole 19: November then October-November of Villeneuve. One
    person with suicidal ideation came in October and was oriented to the
    CMP, four in November: 5 - 4 gives October's orientation back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.theme_suicidal = cls.env.ref("psys_base.psys_theme_suicidal")
        days = [datetime(2020, 10, 15, 10)] + [datetime(2020, 11, day, 10) for day in (3, 10, 17, 24)]
        for when in days:
            person = cls._beneficiary(age_bracket="26_39", gender="female", territory_id=cls.town.id)
            encounter = cls._encounter(person, date_start=when, theme_ids=[(6, 0, cls.theme_suicidal.ids)])
            cls.env["psys.orientation"].create(
                {"encounter_id": encounter.id, "target_id": cls.target_cmp.id, "date": when.date()}
            )
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["psys_reporting"], ["fr_FR"], overwrite=True)

    def _edition(self, date_from, date_to="2020-11-30"):
        # the coordinator works in French
        return (
            self.env["psys.bilan"]
            .with_context(lang="fr_FR")
            .create(
                {
                    "date_from": date_from,
                    "date_to": date_to,
                    "territory_id": self.town.id,
                    "edition": "published",
                    "secrecy_threshold": 3,
                }
            )
        )

    def _shown(self, bilan, key):
        cell = bilan.cell_ids.filtered(lambda cell: cell.key == json.dumps(key))
        return None if not cell or cell.masked else cell.value

    def _october_cmp(self, *bilans):
        """October's orientations to the CMP, as whoever reads both editions
        computes them: October-November minus November (None: masked)."""
        november, both = (self._shown(bilan, ["orient", self.target_cmp.id]) for bilan in bilans)
        return None if november is None or both is None else both - november

    def test_november_then_october_november(self):
        november = self._edition("2020-11-01")
        november.action_publish()
        self.assertEqual(self._shown(november, ["orient", self.target_cmp.id]), 4)
        self.assertEqual(self._shown(november, ["theme", self.theme_suicidal.id]), 4)
        both = self._edition("2020-10-01")
        both.action_publish()
        self.assertTrue(both.audit_passed, both.audit_summary)
        # the one person of October is not given back by difference (today: 5 - 4 = 1)
        self.assertIsNone(self._october_cmp(november, both))
        # distinct people do not add up: 5 - 4 says 'at least 1' (at most 5)
        self.assertEqual(self._shown(both, ["theme", self.theme_suicidal.id]), 5)
        self.assertIn("différences entre éditions liées", both.audit_summary)
        november.action_run_audit()
        self.assertTrue(november.audit_passed, november.audit_summary)

    def test_october_november_then_november(self):
        both = self._edition("2020-10-01")
        both.action_publish()
        november = self._edition("2020-11-01")
        november.action_publish()
        self.assertTrue(november.audit_passed, november.audit_summary)
        self.assertIsNone(self._october_cmp(november, both))

    def test_register_published_before_is_caught(self):
        """Two editions published before the register related them (their
        relations left out here): the audit finds October's figure, and a
        new edition that would publish it again is refused, in French."""
        with patch("odoo.addons.psys_reporting.tools.register._relate"):
            november = self._edition("2020-11-01")
            november.action_publish()
            both = self._edition("2020-10-01")
            both.action_publish()
        self.assertEqual(self._october_cmp(november, both), 1)
        both.action_run_audit()
        self.assertFalse(both.audit_passed)
        self.assertIn("non protégé", both.audit_summary)
        differences = [line for line in both.audit_detail if line["edition"] == "difference"]
        self.assertIn(json.dumps(["orientations", f"orient:{self.target_cmp.id}"]), [d["key"] for d in differences])
        again = self._edition("2020-11-01")
        with self.assertRaisesRegex(UserError, "par différence entre éditions") as refusal:
            again.action_publish()
        self.assertIn(both.name, str(refusal.exception))
        self.assertEqual(again.state, "draft")
