from odoo import api, models


class ReportPsysBilan(models.AbstractModel):
    """The PDF of a bilan being prepared (wizard)."""

    _name = "report.psys_reporting.report_bilan"
    _description = "Yearly bilan (PDF)"
    # The model whose records the document prints.
    _psys_source = "psys.bilan.wizard"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._psys_source].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": docs._name,
            "docs": docs,
            "bilans": {doc.id: doc._bilan_document_data() for doc in docs},
        }


class ReportPsysBilanRecord(models.AbstractModel):
    """The PDF of a bilan of the register: the frozen figures once published."""

    _name = "report.psys_reporting.report_bilan_record"
    _inherit = "report.psys_reporting.report_bilan"
    _description = "Bilan of the register (PDF)"
    _psys_source = "psys.bilan"


class ReportPsysBilanXlsx(models.AbstractModel):
    """The XLSX of a bilan being prepared (wizard), from the same data as the
    PDF: OCA's ``report_xlsx`` gives the report action, the workbook and the
    download route; this writes the sheet."""

    _name = "report.psys_reporting.report_bilan_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Yearly bilan (XLSX)"

    @api.private
    def generate_xlsx_report(self, workbook, data, bilans):
        # The route renders whatever ids it is given: the same check as the
        # buttons (coordinator, own association) before any figure.
        bilans._check_bilan_access()
        for bilan in bilans:
            self.with_context(lang=bilan._get_report_lang())._write_bilan(workbook, bilan._bilan_document_data())

    @api.model
    def _write_bilan(self, workbook, data):
        _ = self.env._
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        warning = workbook.add_format({"bold": True, "font_color": "#B00020"})
        header = workbook.add_format({"bold": True, "bg_color": "#DDE7EE", "border": 1})
        formats = {
            "int": workbook.add_format({"num_format": "0"}),
            "float": workbook.add_format({"num_format": "0.0"}),
            "ratio": workbook.add_format({"num_format": "0.00"}),
            "pct": workbook.add_format({"num_format": '0.0" %"'}),
            "eur": workbook.add_format({"num_format": '#,##0.00" €"'}),
        }
        secret = workbook.add_format({"italic": True, "align": "right"})
        sheet = workbook.add_worksheet(_("Bilan")[:31])
        sheet.set_column(0, 0, 45)
        sheet.set_column(1, 12, 14)
        sheet.write(0, 0, f"{data['title']} - {data['company']}", title)
        sheet.write(1, 0, data["period"])
        row_index = 2
        if not data["published"]:
            sheet.write(row_index, 0, _("Internal edition: for the association's coordinators only."), warning)
            sheet.set_header(_('&C&"Calibri,Bold"Internal edition - do not distribute'))
            sheet.set_footer(_('&C&"Calibri,Bold"Internal edition - do not distribute'))
            row_index += 1
        for label in data["filters"]:
            sheet.write(row_index, 0, label)
            row_index += 1
        if data["published"]:
            sheet.write(
                row_index,
                0,
                _("s: statistical secrecy (fewer than %(threshold)s people)", threshold=data["threshold"]),
            )
            row_index += 1
        for table in data["tables"]:
            row_index += 1
            sheet.write(row_index, 0, table["title"], bold)
            row_index += 1
            for col, label in enumerate(table["header"]):
                sheet.write(row_index, col, label, header)
            row_index += 1
            for row in table["rows"]:
                sheet.write(row_index, 0, row["label"], bold if row["is_total"] else None)
                for col, cell in enumerate(row["cells"], start=1):
                    if cell["masked"]:
                        sheet.write(row_index, col, "s", secret)
                    elif cell["value"] is None:
                        sheet.write(row_index, col, cell["display"])
                    else:
                        sheet.write_number(row_index, col, cell["value"], formats[cell["format"]])
                row_index += 1


class ReportPsysBilanRecordXlsx(models.AbstractModel):
    """The XLSX of a bilan of the register (rendered once when published)."""

    _name = "report.psys_reporting.report_bilan_record_xlsx"
    _inherit = "report.psys_reporting.report_bilan_xlsx"
    _description = "Bilan of the register (XLSX)"
