"""Each place gets its own resource calendar: its closing days are the
leaves of that calendar (psys_permanence moves its closures there)."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    locations = env["psys.location"].with_context(active_test=False).search([("resource_calendar_id", "=", False)])
    locations._create_resource_calendars()
