from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.psys_base.tools.groups import PRACTITIONERS
from odoo.addons.psys_base.tools.policy import FORM, Policy


class PsysInvitationWizard(models.TransientModel):
    """Invite a person to choose their own slot, from the person's record
    (choose the partnership) or from a partnership's (choose the person):
    the same invitation as from a request (``psys.invitation._psys_invite``)."""

    _name = "psys.invitation.wizard"
    _inherit = ["psys.secured"]
    _description = "Invite a person to book"
    _psys_policy = Policy(company=None, shared=FORM)

    beneficiary_id = fields.Many2one(
        "psys.beneficiary", string="Person", required=True, domain=[("state", "=", "active")]
    )
    partnership_id = fields.Many2one(
        "psys.partnership", required=True, domain="[('id', 'in', allowed_partnership_ids)]"
    )
    allowed_partnership_ids = fields.Many2many("psys.partnership", compute="_compute_allowed_partnership_ids")

    @api.depends("beneficiary_id")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_allowed_partnership_ids(self):
        partnerships = self.env["psys.invitation"]._psys_invitable_partnerships()
        for wizard in self:
            company = wizard.beneficiary_id.company_id
            wizard.allowed_partnership_ids = partnerships.filtered(
                lambda partnership, company=company: not company or partnership.company_id == company
            )

    @api.model
    def _psys_open(self, beneficiary=None, partnership=None):
        """The assistant, for this person or this partnership (the caller
        checked it may read the record and invite)."""
        context = {}
        if beneficiary:
            if beneficiary.state != "active":
                raise UserError(_("An anonymised person cannot be invited."))
            context.update(default_beneficiary_id=beneficiary.id, psys_invite_from="person")
            partnerships = (
                self.env["psys.invitation"]
                ._psys_invitable_partnerships()
                .filtered(lambda p: p.company_id == beneficiary.company_id)
            )
            if len(partnerships) == 1:
                context["default_partnership_id"] = partnerships.id
        if partnership:
            self._psys_check_partnership(partnership)
            context.update(default_partnership_id=partnership.id, psys_invite_from="partnership")
        return {
            "type": "ir.actions.act_window",
            "name": _("Invite to book"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    @api.model
    def _psys_check_partnership(self, partnership):
        if partnership not in self.env["psys.invitation"]._psys_invitable_partnerships():
            raise AccessError(
                _(
                    "You may invite people only to the running partnerships you work in: %(name)s is not one.",
                    name=partnership.display_name,
                )
            )

    def action_send(self):
        """Create the invitation and send (or show) its link."""
        self.ensure_one()
        self._psys_check_action("write", PRACTITIONERS)
        self.beneficiary_id._psys_check_action("read")
        self._psys_check_partnership(self.partnership_id)
        if self.beneficiary_id.state != "active":
            raise UserError(_("An anonymised person cannot be invited."))
        action = self.env["psys.invitation"]._psys_invite(self.partnership_id, self.beneficiary_id)
        action["params"]["next"] = {"type": "ir.actions.act_window_close"}
        return action
