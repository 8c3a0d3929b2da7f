from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PsysNote(models.Model):
    """Shared confidential note: read and written by the clinical-notes group
    of the association only; every read is logged."""

    _name = "psys.note"
    _description = "Confidential note"
    _order = "date desc, id desc"

    beneficiary_id = fields.Many2one("psys.beneficiary", required=True, index=True, ondelete="cascade")
    encounter_id = fields.Many2one(
        "psys.encounter",
        index=True,
        ondelete="set null",
        domain="[('beneficiary_id', '=', beneficiary_id)]",
    )
    body = fields.Text(string="Note", required=True)
    author_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    company_id = fields.Many2one(related="beneficiary_id.company_id", store=True, index=True)

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
        for note in self:
            if not (note.body or "").strip():
                raise ValidationError(_("A note cannot be empty."))

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields=fields, load=load)
        self._log_reading("read")
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._log_reading("export")
        return result

    def _log_reading(self, access_type):
        if self and not self.env.su:
            self.env["psys.note.access.log"]._log(self, access_type)
