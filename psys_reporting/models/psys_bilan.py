import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.tools.policy import Policy

from ..tools.linked_secrecy import InconsistentSystem, audit
from ..tools.register import build_system, key_str

# Set by publishing, withdrawing and auditing only (never by a client's write).
LIFECYCLE_FIELDS = {
    "state",
    "published_by_id",
    "published_date",
    "withdrawn_reason",
    "withdrawn_by_id",
    "withdrawn_date",
    "cell_ids",
    "data",
    "equations",
    "pdf_attachment_id",
    "xlsx_attachment_id",
    "masked_count",
    "audit_passed",
    "audit_date",
    "audit_summary",
    "audit_detail",
}
# What may still change on a bilan once published: its withdrawal and its audit.
MUTABLE_AFTER_PUBLISHING = {
    "state",
    "withdrawn_reason",
    "withdrawn_by_id",
    "withdrawn_date",
    "audit_passed",
    "audit_date",
    "audit_summary",
    "audit_detail",
}


class PsysBilan(models.Model):
    """A bilan of the register: its scope, edition and secrecy parameters;
    once published its figures, documents and audit are frozen."""

    _name = "psys.bilan"
    _inherit = ["psys.secured", "psys.bilan.mixin"]
    _description = "Bilan"
    _bilan_xlsx_report = "psys_reporting.psys_bilan_record_xlsx_report_action"
    _psys_policy = Policy(workflow=tuple(sorted(LIFECYCLE_FIELDS)))
    _order = "date_to desc, id desc"

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("withdrawn", "Withdrawn")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
    )
    published_by_id = fields.Many2one("res.users", string="Published by", readonly=True, copy=False)
    published_date = fields.Datetime(readonly=True, copy=False)
    withdrawn_reason = fields.Text(readonly=True, copy=False)
    withdrawn_by_id = fields.Many2one("res.users", string="Withdrawn by", readonly=True, copy=False)
    withdrawn_date = fields.Datetime(readonly=True, copy=False)
    cell_ids = fields.One2many("psys.bilan.cell", "bilan_id", string="Published cells", readonly=True, copy=False)
    data = fields.Json(string="Frozen tables", readonly=True, copy=False)
    equations = fields.Json(readonly=True, copy=False)
    pdf_attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True, copy=False)
    xlsx_attachment_id = fields.Many2one("ir.attachment", string="Spreadsheet", readonly=True, copy=False)
    masked_count = fields.Integer(
        string="Cells shown as « s »",
        readonly=True,
        copy=False,
        help="The figures the secrecy audit masks and checks, and the cells computed from them "
        "(their percentages and totals), which the audit needs not check again: this count can be "
        "above the audit's count of masked figures.",
    )
    audit_passed = fields.Boolean(readonly=True, copy=False)
    audit_date = fields.Datetime(readonly=True, copy=False)
    audit_summary = fields.Text(readonly=True, copy=False)
    audit_detail = fields.Json(readonly=True, copy=False)

    @api.depends("date_from", "date_to", "edition")
    def _compute_name(self):
        for bilan in self:
            if not bilan.date_from or not bilan.date_to:
                bilan.name = bilan.name or _("Bilan")
                continue
            name = _(
                "Bilan %(start)s - %(stop)s",
                start=bilan._format_date(bilan.date_from, "d MMM y"),
                stop=bilan._format_date(bilan.date_to, "d MMM y"),
            )
            if bilan.edition == "internal":
                name = _("%(name)s (internal edition)", name=name)
            bilan.name = name

    # CRUD --------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        bilans = super().create(vals_list)
        bilans._check_bilan_access()
        return bilans

    def write(self, vals):
        """A published bilan is frozen; its lifecycle fields change only
        through the actions (the policy's workflow fields)."""
        if any(bilan.state != "draft" for bilan in self) and set(vals) - MUTABLE_AFTER_PUBLISHING:
            raise UserError(_("A published bilan cannot change; withdraw it and publish a new one."))
        return super().write(vals)

    def _psys_check_files_change(self):
        if any(bilan.state != "draft" for bilan in self):
            raise UserError(_("The files of a published bilan are frozen with it; withdraw it and publish a new one."))
        return super()._psys_check_files_change()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(bilan.state != "draft" for bilan in self):
            raise UserError(_("A published bilan stays in the register: withdraw it instead."))

    # Actions -----------------------------------------------------------

    def action_publish(self):
        """Freeze the figures (with secrecy solved over the whole register
        for a published edition), the PDF and the XLSX."""
        self.ensure_one()
        self.check_access("write")
        self._check_bilan_access()
        if self.state != "draft":
            raise UserError(_("Only a draft bilan can be published."))
        self._check_bilan_values()
        lang = self._get_report_lang()
        bilan = self.with_context(lang=lang)
        result = bilan._bilan_compute()
        secrecy = result["secrecy"]
        if secrecy and not secrecy["passed"]:
            raise UserError(self._bilan_refusal(secrecy))
        builder = result["builder"]
        places = self._bilan_cell_places(result["data"], builder)
        edition = secrecy["edition"] if secrecy else self._bilan_edition(builder)
        audit_by_key = {line["key"]: line for line in (secrecy["audit"] if secrecy else []) if line["edition"] == "new"}
        masked_keys = {key_str(key) for key in result["masked"]}
        cell_vals = []
        for cell in edition["cells"]:
            place = places.get(cell["key"], {})
            line = audit_by_key.get(cell["key"])
            masked = cell["key"] in masked_keys
            cell_vals.append(
                {
                    "bilan_id": self.id,
                    "key": cell["key"],
                    "fact": cell["fact"],
                    "table": place.get("table"),
                    "row": place.get("row"),
                    "column": place.get("column"),
                    "unit": json.loads(cell["fact"])[0] if cell["fact"] else "other",
                    "value": cell["value"],
                    "people": cell["people"],
                    "hidden": cell["hidden"],
                    "masked": masked,
                    "audit_low": line["low"] if line else 0.0,
                    "audit_high": line["high"] if line and line["high"] is not None else 0.0,
                    "audit_unbounded": bool(line) and line["high"] is None,
                    "audit_protected": line["protected"] if line else False,
                }
            )
        # sudo: cells are created by publishing only (after the checks above)
        self.env["psys.bilan.cell"].sudo().create(cell_vals)
        # sudo: the lifecycle fields, after the checks above
        self.sudo().write(
            {
                # JSON as stored (the cell keys of the rows hold dates)
                "data": json.loads(json.dumps(result["data"], default=str)),
                "equations": {"groups": edition["groups"], "inequalities": edition["inequalities"]},
                "masked_count": len(result["masked"]),
            }
        )
        self._bilan_store_audit(secrecy)
        self._bilan_attach_documents()
        self.sudo().write(
            {"state": "published", "published_by_id": self.env.uid, "published_date": fields.Datetime.now()}
        )
        return True

    def action_withdraw(self):
        """Open the withdrawal form (the reason is required)."""
        self.ensure_one()
        self.check_access("write")
        self._check_bilan_access()
        if self.state != "published":
            raise UserError(_("Only a published bilan can be withdrawn."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "psys.bilan.withdraw.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_bilan_id": self.id},
        }

    def _bilan_withdraw(self, reason):
        self.ensure_one()
        self.check_access("write")
        self._check_bilan_access()
        if self.state != "published":
            raise UserError(_("Only a published bilan can be withdrawn."))
        if not (reason or "").strip():
            raise ValidationError(_("Say why the bilan is withdrawn."))
        self.sudo().write(
            {
                "state": "withdrawn",
                "withdrawn_reason": reason,
                "withdrawn_by_id": self.env.uid,
                "withdrawn_date": fields.Datetime.now(),
            }
        )

    def action_run_audit(self):
        """Re-run the audit against the whole register: of a published
        bilan as published, of a draft as it would be published."""
        self.ensure_one()
        self.check_access("read")
        self._check_bilan_access()
        if self.edition != "published":
            raise UserError(_("An internal edition has no secrecy to audit."))
        if self.state == "draft":
            # what publishing would mask, audited against the register
            self._bilan_store_audit(self._bilan_compute()["secrecy"])
            return True
        editions = self._register_editions(self.company_id)
        for edition in editions:
            if edition["id"] == self.id:
                edition["id"] = "new"
        parents = self._bilan_scope().parents
        try:
            system, var_of, _primary = build_system(editions, self.secrecy_threshold, parents=parents)
            result = audit(system, self._secrecy_margin())
        except InconsistentSystem:
            system, var_of, _primary = build_system(editions, self.secrecy_threshold, link=False)
            result = audit(system, self._secrecy_margin())
        lines = self._bilan_audit_lines(editions, system, var_of, result)
        self._bilan_store_audit(
            {
                "audit": lines,
                "passed": all(line["protected"] for line in lines),
                "editions": len(editions) - 1,
                "differences": len(system.guarded & set(result)),
            }
        )
        return True

    def action_print_pdf(self):
        self.ensure_one()
        self._check_bilan_access()
        if self.pdf_attachment_id:
            return self._bilan_download(self.pdf_attachment_id)
        return self.env.ref("psys_reporting.psys_bilan_record_report_action").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_bilan_access()
        if self.xlsx_attachment_id:
            return self._bilan_download(self.xlsx_attachment_id)
        # config=False: no letterhead wizard before a spreadsheet.
        return self.env.ref(self._bilan_xlsx_report).report_action(self, config=False)

    # Business ------------------------------------------------------------

    def _bilan_download(self, attachment):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _bilan_register_exclude(self):
        return self.ids

    def _bilan_document_data(self):
        self.ensure_one()
        if self.state != "draft" and self.data:
            return self.data
        return super()._bilan_document_data()

    @api.model
    def _register_editions(self, company, exclude=()):
        """Every published edition of ``company`` (withdrawn ones too), in the
        form of :func:`build_system`, oldest first."""
        # sudo: the register of the caller's own association (checked by
        # _check_bilan_access before any call), whatever companies are
        # selected in the session; only figures are read.
        bilans = (
            self.sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("edition", "=", "published"),
                    ("state", "in", ("published", "withdrawn")),
                    ("id", "not in", list(exclude)),
                ]
            )
            .sorted(lambda bilan: (bilan.published_date or fields.Datetime.now(), bilan.id))
        )
        cells = (
            self.env["psys.bilan.cell"]
            .sudo()
            .search_fetch(
                [("bilan_id", "in", bilans.ids)], ["bilan_id", "key", "fact", "value", "people", "hidden", "masked"]
            )
        )
        by_bilan = {}
        for cell in cells:
            by_bilan.setdefault(cell.bilan_id.id, []).append(
                {
                    "key": cell.key,
                    "value": cell.value,
                    "people": cell.people,
                    "fact": cell.fact or None,
                    "hidden": cell.hidden,
                    "masked": cell.masked,
                }
            )
        return [
            {
                "id": bilan.id,
                "new": False,
                "cells": by_bilan.get(bilan.id, []),
                "groups": (bilan.equations or {}).get("groups", []),
                "inequalities": (bilan.equations or {}).get("inequalities", []),
            }
            for bilan in bilans
        ]

    def _bilan_cell_places(self, data, builder):
        """Where each cell is printed first: table, row and column labels."""
        places = {}
        for table, built in zip(data["tables"], builder.tables, strict=True):
            for row, built_row in zip(table["rows"], built["rows"], strict=True):
                for position, key in enumerate(built_row["keys"], start=1):
                    header = table["header"]
                    places.setdefault(
                        key_str(key),
                        {
                            "table": table["title"],
                            "row": row["label"],
                            "column": header[position] if position < len(header) else "",
                        },
                    )
        return places

    def _bilan_refusal(self, secrecy):
        """Why publishing is refused, in the report language."""
        margin = self._secrecy_margin()
        differences = [line for line in secrecy["audit"] if line["edition"] == "difference"]
        if not differences:
            return _(
                "The secrecy audit fails: %(count)s masked figures could be recomputed within less than "
                "%(margin)s from what is published. Widen the scope or the period, or withdraw an earlier "
                "edition, then publish again.",
                count=len(secrecy["unprotected"]),
                margin=margin,
            )
        return _(
            "The secrecy audit fails: %(count)s figures that no edition prints come back, within less than "
            "%(margin)s, by difference between editions whose periods, territories or antennas are nested "
            "(%(editions)s). Widen the scope or the period, then publish again.",
            count=len(differences),
            margin=margin,
            editions=", ".join(self._bilan_edition_names({i for line in differences for i in line["editions"]})),
        )

    def _bilan_edition_names(self, edition_ids):
        """The names of editions of the register (``"new"``: this one)."""
        # sudo: names of the caller's own register, after the checks of the action
        earlier = self.sudo().browse(sorted(i for i in edition_ids if i != "new"))
        return [*([self.name] if "new" in edition_ids else []), *earlier.mapped("name")]

    def _bilan_store_audit(self, secrecy):
        if not secrecy:
            self.sudo().write(
                {"audit_passed": False, "audit_date": False, "audit_summary": False, "audit_detail": False}
            )
            return
        lines = secrecy["audit"]
        failing = [line for line in lines if not line["protected"]]
        summary = _(
            "%(cells)s masked figures and %(differences)s differences between related editions (nested "
            "periods, territories or antennas) audited over this edition and %(editions)s earlier published "
            "editions: %(failing)s not protected.",
            cells=len([line for line in lines if line["edition"] != "difference"]),
            differences=secrecy.get("differences", 0),
            editions=secrecy["editions"],
            failing=len(failing),
        )
        self.sudo().write(
            {
                "audit_passed": secrecy["passed"],
                "audit_date": fields.Datetime.now(),
                "audit_summary": summary,
                "audit_detail": lines,
            }
        )
        if self.state != "draft":
            mine = {line["key"]: line for line in lines if line["edition"] == "new"}
            for cell in self.cell_ids.filtered("masked"):
                line = mine.get(cell.key)
                if line:
                    # sudo: the audit columns of a frozen cell, after the checks
                    # of the calling action
                    cell.sudo().write(
                        {
                            "audit_low": line["low"],
                            "audit_high": line["high"] or 0.0,
                            "audit_unbounded": line["high"] is None,
                            "audit_protected": line["protected"],
                        }
                    )

    def _bilan_attach_documents(self):
        """Render the frozen PDF and XLSX once and attach them."""
        report = self.env.ref("psys_reporting.psys_bilan_record_report_action")
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report.report_name, self.ids)
        )
        Attachment = self.env["ir.attachment"]
        pdf_attachment = Attachment.create(
            {"name": self._bilan_file_name("pdf"), "raw": pdf, "res_model": self._name, "res_id": self.id}
        )
        xlsx_attachment = Attachment.create(
            {
                "name": self._bilan_file_name("xlsx"),
                "raw": self._bilan_render_xlsx(),
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        # sudo: lifecycle fields, after the checks of action_publish
        self.sudo().write({"pdf_attachment_id": pdf_attachment.id, "xlsx_attachment_id": xlsx_attachment.id})
