"""The replacement wizard is ``psys.shift.replacement.wizard`` (its name says
it is the wizard; the shift's replacement fields and methods live in
psys_shift.py). Odoo forgets the old transient model but keeps its tables:
they hold only forms of past sessions, dropped here."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr, "DROP TABLE IF EXISTS psys_shift_psys_shift_replacement_rel, psys_shift_replacement CASCADE"
    )
