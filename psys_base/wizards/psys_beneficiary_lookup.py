from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools.groups import RECEPTION
from ..tools.policy import FORM, Policy


class PsysBeneficiaryLookup(models.TransientModel):
    """Find a returning person by code, or by re-typing the linking inputs
    (which, as everywhere, are never stored: only their key is, and only
    until the search)."""

    _name = "psys.beneficiary.lookup"
    _inherit = ["psys.secured", "psys.linking.mixin"]
    _description = "Find a beneficiary"
    _psys_policy = Policy(company=None, shared=FORM)

    code = fields.Char()

    def _find_matches(self):
        self.ensure_one()
        Beneficiary = self.env["psys.beneficiary"]
        if self.code:
            return Beneficiary._psys_find_returning(code=self.code)
        keys = self._psys_read_linking_keys()
        if keys[0]:
            # A key is compared once: the next search types the inputs again.
            self._psys_write_linking_keys(None)
            return Beneficiary._psys_find_returning(keys=keys, origin="lookup")
        raise UserError(_("Give a code, or the initials, birth year and sex of the person."))

    def action_search(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        # The keys are read by SQL: check first that this form is the caller's.
        self._psys_check_own_form()
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_base.psys_beneficiary_action")
        matches = self._find_matches()
        action["domain"] = [("id", "in", matches.ids)]
        if len(matches) == 1:
            action.update(view_mode="form", res_id=matches.id, views=[(False, "form")])
        return action
