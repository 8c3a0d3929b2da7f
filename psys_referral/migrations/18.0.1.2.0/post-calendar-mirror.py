"""Every appointment's event is brought in step by the calendar mirror
(psys.calendar.mirror): named « Rendez-vous » only (no longer the person's
code), private, its practitioner's attendance accepted; a cancelled
appointment's event goes."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env["psys.booking"].with_context(active_test=False).search([])._psys_mirror_now()
