from odoo import api, models

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write


class IrAttachment(models.Model):
    """The files of a record under a psys policy change as the record says
    (``psys.secured._psys_check_files_change``): a published bilan's PDF and
    spreadsheet are frozen with it."""

    _name = "ir.attachment"
    _inherit = ["ir.attachment", "psys.action.guard"]
    _psys_policy = Policy(company=None, shared=CORE, belongs_to=("res_model", "res_id"))

    def _psys_secured_records(self):
        """The psys records these attachments belong to (sudo: ids only)."""
        records = []
        by_model = {}
        for attachment in self.sudo():
            if attachment.res_model and attachment.res_id:
                by_model.setdefault(attachment.res_model, set()).add(attachment.res_id)
        for model, ids in by_model.items():
            if model in self.env and getattr(self.env[model], "_psys_policy", None) is not None:
                records.append(self.env[model].browse(ids).exists())
        return records

    def _psys_check_files_change(self):
        if self.env.su:
            return
        for records in self._psys_secured_records():
            records._psys_check_files_change()

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._psys_check_files_change()
        return attachments

    def write(self, vals):
        self._psys_check_files_change()
        result = secured_write(self, vals, super().write)
        self._psys_check_files_change()
        return result

    def unlink(self):
        self._psys_check_files_change()
        return super().unlink()
