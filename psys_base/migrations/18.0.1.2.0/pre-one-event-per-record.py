"""One calendar event per psys record (psys.calendar.mirror, a unique index
on the record an event names): a second event mirroring the same record is
dropped before the index is made (its attendees go with it)."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        """
        DELETE FROM calendar_event event USING calendar_event first
         WHERE event.res_model LIKE 'psys.%' AND first.res_model = event.res_model
           AND first.res_id = event.res_id AND first.id < event.id
        """,
    )
