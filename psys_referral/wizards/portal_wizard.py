from odoo import _, models
from odoo.exceptions import AccessError

from odoo.addons.psys_base.tools.policy import FORM, Policy

# Who may give the portal to anyone (Odoo's access-rights administrators).
ACCESS_ADMIN = "base.group_erp_manager"


class PortalWizard(models.TransientModel):
    _name = "portal.wizard"
    _inherit = ["portal.wizard", "psys.action.guard"]
    _psys_policy = Policy(company=None, shared=FORM)


class PortalWizardUser(models.TransientModel):
    """Coordinators invite the staff of partner structures to the portal
    (Odoo's portal wizard, open to them by an access line): only those. A
    person's named contact never gets a portal access, whoever asks."""

    _name = "portal.wizard.user"
    _inherit = ["portal.wizard.user", "psys.action.guard"]
    _psys_policy = Policy(company=None, shared=FORM)

    def _psys_check_portal_partner(self):
        self._psys_check_action("write")
        if self.env.su:
            return
        admin = self.env.user.has_group(ACCESS_ADMIN)
        # sudo: the flags of the contact the caller's wizard line names.
        for partner in self.sudo().partner_id:
            structure = partner.commercial_partner_id
            if partner.psys_private_contact:
                raise AccessError(
                    _("%(name)s is a person's named contact: it never gets a portal access.", name=partner.name)
                )
            if not admin and (structure == partner or not structure.psys_structure_type):
                raise AccessError(
                    _(
                        "%(name)s is not a staff member of a partner structure: only an administrator "
                        "gives them a portal access.",
                        name=partner.name,
                    )
                )
            if not admin:
                self._psys_check_own_structure(partner, structure)

    def _psys_check_own_structure(self, partner, structure):
        """A coordinator gives and takes the portal of her own association's
        partner staff only: not of a contact or a structure kept by another
        association, nor of a portal user of another association."""
        companies = self.env.companies
        # sudo: the companies of the contact, its structure and its users, compared only.
        users = partner.sudo().with_context(active_test=False).user_ids
        others = [record.company_id for record in (partner.sudo(), structure.sudo()) if record.company_id - companies]
        if others or (users and not users.company_ids & companies):
            raise AccessError(
                _(
                    "%(name)s belongs to another association: you cannot give or take their portal access.",
                    name=partner.name,
                )
            )

    def action_grant_access(self):
        self._psys_check_portal_partner()
        return super().action_grant_access()

    def action_revoke_access(self):
        self._psys_check_portal_partner()
        return super().action_revoke_access()
