import io
import re
import subprocess
import tempfile
from datetime import datetime

import openpyxl

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ReportingCase


@tagged("psys", "psys_reporting", "post_install", "-at_install")
class TestBilanOutputs(ReportingCase):
    """The PDF (rendered by wkhtmltopdf, read back with pdftotext) and the
    XLSX (read back with openpyxl) show the same French figures, and never a
    beneficiary's code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["psys_base", "psys_reporting"], ["fr_FR"], overwrite=True)

    def _pdf_text(self, wizard):
        report = self.env.ref("psys_reporting.psys_bilan_report_action")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report.report_name, wizard.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            result = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True, timeout=60
            )
        return result.stdout.decode()

    def _xlsx_rows(self, wizard):
        # The button opens the XLSX report action (OCA's report_xlsx), which renders the same file.
        action = wizard.action_export_xlsx()
        self.assertEqual((action["report_type"], action["report_name"]), ("xlsx", "psys_reporting.report_bilan_xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(wizard._bilan_render_xlsx()), read_only=True)
        return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]

    def _table_titles(self, wizard):
        return [table["title"] for table in wizard.with_context(lang="fr_FR")._get_bilan_data()["tables"]]

    @staticmethod
    def _xlsx_figures(rows):
        return [
            value
            for row in rows
            for value in row[1:]
            if value == "s" or (isinstance(value, int | float) and not isinstance(value, bool))
        ]

    @staticmethod
    def _data_figures(wizard):
        data = wizard.with_context(lang="fr_FR")._get_bilan_data()
        return [
            "s" if cell["masked"] else cell["value"]
            for table in data["tables"]
            for row in table["rows"]
            for cell in row["cells"]
        ]

    def _line(self, text, label):
        lines = [line for line in text.splitlines() if line.strip().startswith(label)]
        self.assertTrue(lines, f"{label!r} not in the PDF")
        return lines[0]

    def _assert_no_beneficiary_data(self, text):
        for beneficiary in self.beneficiaries:
            self.assertNotIn(beneficiary.code, text)

    def test_internal_pdf_and_xlsx_in_french(self):
        wizard = self._wizard()
        text = self._pdf_text(wizard)
        for heading in (
            "Bilan d'activité",
            "Chiffres clés",
            "Personnes par tranche d'âge et genre",
            "Personnes par commune",
            "Personnes par quartier",
            "Rencontres par mois et par type",
            "Nombre de venues par personne",
            "Orientations par destination",
            "Indicateurs des programmes installés",
        ):
            self.assertIn(heading, text)
        self.assertRegex(self._line(text, "Personnes touchées"), r"\s5\s*$")
        self.assertRegex(self._line(text, "Nombre moyen de venues par personne"), r"\s1,6\s*$")
        self.assertRegex(self._line(text, "Part des personnes venues par une structure partenaire"), r"40,0 %")
        self.assertRegex(self._line(text, "janvier 2020"), r"\s1\s+1\s+0\s+0\s+2\s*$")
        self.assertRegex(self._line(text, "Villeneuve (aucun quartier renseigné)"), r"\s1\s*$")
        self._assert_no_beneficiary_data(text)

        rows = self._xlsx_rows(wizard)
        flat = " ".join(str(value) for row in rows for value in row if value is not None)
        self._assert_no_beneficiary_data(flat)
        by_label = {row[0]: list(row[1:]) for row in rows if row and row[0]}
        self.assertEqual(by_label["Personnes touchées"][0], 5)
        self.assertEqual(by_label["Nombre moyen de venues par personne"][0], 1.6)
        self.assertEqual(by_label["janvier 2020"][:5], [1, 1, 0, 0, 2])
        # The XLSX has every table of the PDF, with the same figures in the same order.
        for table in self._table_titles(wizard):
            self.assertIn(table, text)
        self.assertEqual(self._xlsx_figures(rows), self._data_figures(wizard))
        # Every figure of the XLSX's key figures is the one printed in the PDF.
        data = wizard.with_context(lang="fr_FR")._get_bilan_data()
        for row in self._table(data, "key_figures")["rows"]:
            cell = row["cells"][0]
            self.assertEqual(by_label[row["label"]][0], cell["value"], row["label"])
            self.assertIn(cell["display"], self._line(text, row["label"][:40]), row["label"])

    def test_published_pdf_and_xlsx_mask_the_same_cells(self):
        wizard = self._wizard(edition="published", secrecy_threshold=2)
        text = self._pdf_text(wizard)
        self.assertIn("secret statistique", text)
        self.assertRegex(self._line(text, "Villeneuve"), r"\s3\s*$")
        self.assertRegex(self._line(text, "Territoire non renseigné"), r"\ss\s*$")
        self._assert_no_beneficiary_data(text)
        rows = self._xlsx_rows(wizard)
        by_label = {row[0]: list(row[1:]) for row in rows if row and row[0]}
        self.assertEqual(by_label["Territoire non renseigné"][0], "s")
        self.assertEqual(by_label["Villeneuve"][0], 3)
        self.assertEqual(self._xlsx_figures(rows), self._data_figures(wizard))
        data = wizard.with_context(lang="fr_FR")._get_bilan_data()
        masked_pdf = sum(
            1 for table in data["tables"] for row in table["rows"] for cell in row["cells"] if cell["masked"]
        )
        masked_xlsx = sum(1 for row in rows for value in row[1:] if value == "s")
        self.assertEqual(masked_pdf, masked_xlsx)
        self.assertGreater(masked_pdf, 0)
        self.assertTrue(re.search(r"\ss\s", text))

    def test_catalogue_documented_in_french(self):
        indicators = self.env["psys.indicator"].search([("origin", "=", "spine")])
        self.assertEqual(set(indicators.mapped("family")), {"psys_du_coeur", "lille"})
        for indicator in indicators:
            self.assertTrue(indicator.definition and indicator.source, indicator.code)
        people = self.env.ref("psys_reporting.psys_indicator_people_reached").with_context(lang="fr_FR")
        self.assertEqual(people.name, "Personnes touchées")
        self.assertTrue(people.definition.startswith("Bénéficiaires distincts"))
        relay = self.env.ref("psys_reporting.psys_indicator_mean_before_relay").with_context(lang="fr_FR")
        self.assertEqual(relay.name, "Nombre moyen de rendez-vous avant un relais")

    def test_encounters_are_rencontres_in_french(self):
        """Encounters include workshops and groups: in French they are
        "rencontres", never "entretiens" (individual interviews)."""
        self._encounter(False, date_start=datetime(2020, 9, 8, 14), kind="group", participant_count=14)
        data = self._wizard().with_context(lang="fr_FR")._get_bilan_data()
        words = [data["title"], data["period"]]
        for table in data["tables"]:
            words += [table["title"], table["note"], *table["header"], *(row["label"] for row in table["rows"])]
        text = " ".join(words)
        self.assertNotIn("entretien", text.lower().replace("entretien individuel", ""))
        figures = self._figures(data, "key_figures")
        self.assertEqual(figures["Rencontres"], ["10"])
        self.assertEqual(figures["Rencontres anonymes"], ["2"])
        self.assertEqual(figures["Participants des séances de groupe comptés par effectif (non identifiés)"], ["14"])
        self.assertIn("Rencontres par mois et par type", text)
        for indicator in self.env["psys.indicator"].with_context(lang="fr_FR").search([("origin", "=", "spine")]):
            self.assertNotIn("entretien", f"{indicator.name} {indicator.definition}".lower(), indicator.code)

    def test_masked_bars_are_drawn_as_secret_in_the_pdf(self):
        """Issue 27, point 14: a masked figure draws no bar (« s », and one
        line under the chart says why); the association's letterhead heads
        the document, in the body; every page is numbered."""
        wizard = self._wizard(edition="published", secrecy_threshold=2)
        text = self._pdf_text(wizard)
        # the towns chart: Bourg (masked) keeps its label, its value « s », no bar
        bars = [line for line in text.splitlines() if line.strip().startswith("Bourg")]
        self.assertTrue(any(re.search(r"\ss\s*$", line) for line in bars), bars)
        self.assertIn("s : secret statistique (moins de 2 personnes", text)
        self.assertEqual(text.strip().splitlines()[0].strip(), wizard.company_id.name, "the letterhead first")
        pages = text.count("\f")
        self.assertGreater(pages, 1)
        self.assertIn(f"Page 1 / {pages}", text)
        self.assertIn(f"Page {pages} / {pages}", text)
        villeneuve = [
            line for line in text.splitlines() if line.strip().startswith("Villeneuve") and "secret" not in line
        ]
        self.assertTrue(any(re.search(r"\s3\s*$", line) for line in villeneuve))


@tagged("post_install", "-at_install", "psys", "psys_reporting")
class TestBilanXlsxRoute(HttpCase, ReportingCase):
    """report_xlsx's download route renders whatever ids it is given: the
    report checks its caller as the button does."""

    def test_route_checks_the_caller(self):
        wizard = self._wizard(user=self.user_coordinator)
        url = f"/report/xlsx/psys_reporting.report_bilan_xlsx/{wizard.id}"
        self.authenticate("psys_coordinator", "psys_coordinator")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._rows(response.content), self._rows(wizard._bilan_render_xlsx()))
        self.authenticate("psys_reception", "psys_reception")
        with mute_logger("odoo.http"):
            response = self.url_open(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(response.content.startswith(b"PK"), "no workbook for a receptionist")

    @staticmethod
    def _rows(raw):
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
