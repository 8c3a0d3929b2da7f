"""A purged person's contact kept for invoices (``psys_retain_until``) is no
longer a named contact: the Named contacts rule (noupdate data) gets the
domain of this release."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    rule = env.ref("psys_base.res_partner_rule_psys_private_named", raise_if_not_found=False)
    if rule:
        rule.domain_force = "[('psys_private_contact', '=', True), ('psys_retain_until', '=', False)]"
