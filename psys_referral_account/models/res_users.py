from odoo import api, models

# Odoo's accounting groups, the administrator's first.
ACCOUNTING_GROUPS = (
    "account.group_account_manager",
    "account.group_account_user",
    "account.group_account_basic",
    "account.group_account_readonly",
    "account.group_account_invoice",
)
# Demo users who invoice (Billing only); every other psys demo user reads no invoice.
DEMO_BILLING_USERS = ("psys_base.user_coordinator", "psys_base.user_practitioner")


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _psys_accounting_groups(self):
        groups = self.env["res.groups"]
        for xmlid in ACCOUNTING_GROUPS:
            groups |= self.env.ref(xmlid, raise_if_not_found=False) or self.env["res.groups"]
        return groups

    @api.model
    def _psys_no_accounting_by_default(self):
        """Odoo gives new users the accounting administrator's groups (through
        the default user template) once invoicing is installed: an invoice may
        carry a person's name, so nobody gets them without being given them."""
        template = self.env.ref("base.default_user", raise_if_not_found=False)
        if template:
            template.sudo().write({"groups_id": [(3, group.id) for group in self._psys_accounting_groups()]})

    @api.model
    def _psys_demo_accounting_roles(self):
        """Demo: the coordinator and the independent practitioner invoice
        (Billing); the other demo users of the psys addons (reception desk,
        volunteers) hold no accounting group."""
        groups = self._psys_accounting_groups()
        users = self.browse(
            self.env["ir.model.data"]
            .search([("model", "=", "res.users"), ("module", "=like", "psys\\_%")])
            .mapped("res_id")
        ).exists()
        users.sudo().write({"groups_id": [(3, group.id) for group in groups]})
        billing = self.env.ref("account.group_account_invoice")
        for xmlid in DEMO_BILLING_USERS:
            user = self.env.ref(xmlid, raise_if_not_found=False)
            if user:
                user.sudo().write({"groups_id": [(4, billing.id)]})
