"""The psys users whose home was the full beneficiary list (the demo users of
18.0.1.0.0, loaded once in noupdate data) land on their role's home."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    old = env.ref("psys_base.psys_beneficiary_action", raise_if_not_found=False)
    home = env.ref("psys_base.action_psys_home", raise_if_not_found=False)
    if not (old and home):
        return
    users = env["res.users"].with_context(active_test=False).search([("action_id", "=", old.id)])
    users.write({"action_id": home.id})
