"""One calendar event per mirrored psys record (psys.calendar.mirror): the
events that mirrored an appointment or a shift are marked as mirrors
(``psys_mirror``, which a unique index then keeps one per record), and a
second event mirroring the same record is dropped before the index is made
(its attendees go with it)."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(env.cr, "ALTER TABLE calendar_event ADD COLUMN IF NOT EXISTS psys_mirror boolean")
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE calendar_event SET psys_mirror = true
         WHERE res_model IN ('psys.booking', 'psys.shift', 'psys.session')
        """,
    )
    openupgrade.logged_query(
        env.cr,
        """
        DELETE FROM calendar_event event USING calendar_event first
         WHERE event.psys_mirror AND first.psys_mirror AND first.res_model = event.res_model
           AND first.res_id = event.res_id AND first.id < event.id
        """,
    )
