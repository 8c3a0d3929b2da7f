from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.groups import CLINICAL
from ..tools.policy import Policy


class NoteBody(fields.Text):
    """The text of a confidential note: every time its value leaves the ORM
    for a user (read, search_read, web_read, web_search_read, export, copy…,
    all of which get it through ``record[field]``), the reading is logged.

    Logging here, at the field, rather than in each public method, makes the
    log hold for every path that returns the text, present or future.
    Superuser reads (the purge, the server's own checks) are not logged."""

    def __get__(self, record, owner=None):
        value = super().__get__(record, owner)
        if record is not None and record.id and not record.env.su:
            # The context names an export (export_data's own); anything else a caller puts there is a read.
            export = record.env.context.get("psys_note_access_type") == "export"
            record._log_reading("export" if export else "read")
        return value


class PsysNote(models.Model):
    """Shared confidential note: read and written by the clinical-notes group
    of the association only; every read is logged."""

    _name = "psys.note"
    _inherit = ["psys.secured"]
    _description = "Confidential note"
    _psys_policy = Policy(ownership=("beneficiary_id", "author_id"), secret=("body",))
    _order = "date desc, id desc"

    beneficiary_id = fields.Many2one("psys.beneficiary", required=True, index=True, ondelete="cascade")
    encounter_id = fields.Many2one(
        "psys.encounter",
        index=True,
        ondelete="set null",
        domain="[('beneficiary_id', '=', beneficiary_id)]",
    )
    body = NoteBody(string="Note", required=True)
    author_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    is_author = fields.Boolean(
        string="Written by me", compute="_compute_is_author", help="The current user wrote this note."
    )
    company_id = fields.Many2one(related="beneficiary_id.company_id", store=True, index=True)

    @api.depends("author_id")
    @api.depends_context("uid")
    def _compute_is_author(self):
        for note in self:
            note.is_author = not note._origin or note.author_id == self.env.user

    @api.depends("beneficiary_id", "date", "author_id")
    def _compute_display_name(self):
        for note in self:
            note.display_name = _(
                "Note on %(code)s by %(author)s",
                code=note.beneficiary_id.code,
                author=note.author_id.name,
            )

    @api.constrains("encounter_id", "beneficiary_id")
    def _check_encounter(self):
        for note in self:
            if note.encounter_id and note.encounter_id.beneficiary_id != note.beneficiary_id:
                raise ValidationError(_("The note's encounter is another person's."))

    @api.constrains("body")
    def _check_body(self):
        # sudo: the server's own check is not a reading to log.
        for note in self.sudo():
            if not (note.body or "").strip():
                raise ValidationError(_("A note cannot be empty."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # The author and the date are the server's: whoever writes, now.
            now = fields.Datetime.now()
            vals_list = [dict(vals, author_id=self.env.uid, date=now) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"author_id", "date"} & set(vals):
            raise AccessError(_("The author and the date of a note are set by the server."))
        return super().write(vals)

    def export_data(self, fields_to_export):
        return super(PsysNote, self.with_context(psys_note_access_type="export")).export_data(fields_to_export)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        # Grouping returns the values it groups by: the text would leave
        # without a log, and grouping by a free text is no feature.
        orders = [part.split()[0] for part in (order or "").split(",") if part.strip()]
        specs = list(groupby) + list(aggregates) + orders
        if not self.env.su and any(spec.split(":")[0].split(".")[0] == "body" for spec in specs):
            raise AccessError(_("The text of confidential notes cannot be grouped or aggregated."))
        return super()._read_group(
            domain, groupby=groupby, aggregates=aggregates, having=having, offset=offset, limit=limit, order=order
        )

    def action_delete(self):
        """Delete the note from its form: offered to its author only, and the
        record rules let only the author delete it."""
        self._psys_check_action("unlink", CLINICAL)
        self.unlink()
        return {"type": "ir.actions.act_window_close"}

    def _log_reading(self, access_type):
        if self and not self.env.su:
            self.env["psys.note.access.log"]._log(self, access_type)
