"""The appointment reminder of 18.0.1.0.0 (noupdate data) gets the new text:
date, time, place, address and how to cancel, per recipient."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.load_data(env, "psys_referral", "data/mail_template_data.xml", mode="init")
