"""A workshop registration mirrors its encounter through the spine's mixin
(``psys.encounter.mirror``): its ``psys_encounter_id`` is now ``encounter_id``."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    if openupgrade.column_exists(env.cr, "event_registration", "psys_encounter_id"):
        openupgrade.rename_fields(
            env, [("event.registration", "event_registration", "psys_encounter_id", "encounter_id")]
        )
