"""A workshop registration mirrors its encounter through the spine's mixin
(``psys.encounter.mirror``): its ``psys_encounter_id`` is now ``encounter_id``."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    if not openupgrade.column_exists(env.cr, "event_registration", "psys_encounter_id"):
        return
    openupgrade.rename_fields(env, [("event.registration", "event_registration", "psys_encounter_id", "encounter_id")])
    # The foreign key under the name a new database gives it.
    env.cr.execute(
        "SELECT 1 FROM pg_constraint WHERE conname = 'event_registration_psys_encounter_id_fkey'"
        " AND conrelid = 'event_registration'::regclass"
    )
    if env.cr.fetchone():
        openupgrade.logged_query(
            env.cr,
            "ALTER TABLE event_registration RENAME CONSTRAINT event_registration_psys_encounter_id_fkey"
            " TO event_registration_encounter_id_fkey",
        )
