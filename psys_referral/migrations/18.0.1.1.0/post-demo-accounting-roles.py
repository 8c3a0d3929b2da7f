"""The demo reception desk and volunteer therapists hold no accounting role
(Odoo gave them the accounting administrator's when it installed invoicing)."""

from odoo import SUPERUSER_ID, api

ACCOUNT_GROUPS = (
    "account.group_account_manager",
    "account.group_account_user",
    "account.group_account_invoice",
    "account.group_account_basic",
    "account.group_account_readonly",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    users = env["res.users"]
    for xmlid in ("psys_base.user_reception", "psys_base.user_therapist", "psys_base.user_therapist_2"):
        users |= env.ref(xmlid, raise_if_not_found=False) or env["res.users"]
    groups = env["res.groups"]
    for xmlid in ACCOUNT_GROUPS:
        groups |= env.ref(xmlid, raise_if_not_found=False) or env["res.groups"]
    if users and groups:
        users.write({"groups_id": [(3, group.id) for group in groups]})
