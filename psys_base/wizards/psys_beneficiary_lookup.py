from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models.base import RECEPTION


class PsysBeneficiaryLookup(models.TransientModel):
    """Find a returning person by code, or by re-typing the linking inputs
    (which, as everywhere, are never stored: only their key is)."""

    _name = "psys.beneficiary.lookup"
    _inherit = ["psys.linking.mixin"]
    _description = "Find a beneficiary"

    code = fields.Char()

    def _get_lookup_domain(self):
        self.ensure_one()
        if self.code:
            return [("code", "=ilike", self.code.strip())]
        if self.linking_key:
            return [("linking_key", "=", self.linking_key)]
        raise UserError(_("Give a code, or the initials, birth year and sex of the person."))

    def action_search(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_base.psys_beneficiary_action")
        matches = self.env["psys.beneficiary"].search(self._get_lookup_domain())
        action["domain"] = [("id", "in", matches.ids)]
        if len(matches) == 1:
            action.update(view_mode="form", res_id=matches.id, views=[(False, "form")])
        return action
