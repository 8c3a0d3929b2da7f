import functools
import io
import logging
import os
import subprocess

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from odoo import api, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

# A card handed to the person is not a document of pages.
UNNUMBERED_REPORTS = ("psys_base.report_psys_beneficiary_card",)
PAGE_NUMBER_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@functools.cache
def wkhtmltopdf_has_patched_qt():
    """Whether wkhtmltopdf is the build with Odoo's patched Qt (0.12.6.1):
    only that one renders the report's page header and footer."""
    try:
        out = subprocess.run([_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in out.lower()


@functools.cache
def _page_number_font():
    if os.path.exists(PAGE_NUMBER_FONT):
        pdfmetrics.registerFont(TTFont("PsysDejaVuSans", PAGE_NUMBER_FONT))
        return "PsysDejaVuSans"
    return "Helvetica"


class IrActionsReport(models.Model):
    """Every psys document has numbered pages, whatever the wkhtmltopdf
    build (Debian's has no patched Qt: it renders no page header or footer):
    the reports of the psys addons, and the core ones a door hands out
    (``_psys_numbered_core_reports``)."""

    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """Without patched Qt, wkhtmltopdf drops the page footer, so its page
        numbers: psys documents are rendered one document at a time and each
        numbered "Page x / n" here."""
        run = functools.partial(
            super()._run_wkhtmltopdf,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if not self._psys_numbers_pages(report_ref):
            return run(bodies)
        if len(bodies) == 1:
            return self._psys_number_pages(run(bodies))
        writer = PdfFileWriter()
        for body in bodies:
            reader = PdfFileReader(io.BytesIO(self._psys_number_pages(run([body]))), strict=False)
            for page in range(len(reader.pages)):
                writer.add_page(reader.pages[page])
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()

    @api.model
    def _psys_numbered_core_reports(self):
        """Core reports psys hands out as its own documents (doors extend)."""
        return ()

    @api.model
    def _psys_numbers_pages(self, report_ref):
        if not report_ref or wkhtmltopdf_has_patched_qt():
            return False
        name = self._get_report(report_ref).report_name
        if name in UNNUMBERED_REPORTS:
            return False
        return name.startswith("psys_") or name in self._psys_numbered_core_reports()

    @api.model
    def _psys_number_pages(self, pdf_content):
        """Stamp "Page x / n" at the foot of every page, as text."""
        reader = PdfFileReader(io.BytesIO(pdf_content), strict=False)
        count = len(reader.pages)
        packet = io.BytesIO()
        stamp = canvas.Canvas(packet)
        font = _page_number_font()
        for number in range(count):
            box = reader.pages[number].mediabox
            width, height = float(abs(box.width)), float(abs(box.height))
            stamp.setPageSize((width, height))
            stamp.setFont(font, 8)
            stamp.setFillGray(0.4)
            stamp.drawCentredString(
                width / 2, 18, self.env._("Page %(page)s / %(pages)s", page=number + 1, pages=count)
            )
            stamp.showPage()
        stamp.save()
        stamps = PdfFileReader(packet, strict=False)
        writer = PdfFileWriter()
        for number in range(count):
            page = reader.pages[number]
            page.merge_page(stamps.pages[number])
            writer.add_page(page)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()
