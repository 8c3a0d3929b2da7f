"""Nobody becomes an accountant by default any more, and the demo users
(reception desk, volunteers) lose the accounting administrator's groups that
Odoo gave them when it installed invoicing."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.users"]._psys_no_accounting_by_default()
    if env.ref("psys_base.user_reception", raise_if_not_found=False):
        env["res.users"]._psys_demo_accounting_roles()
