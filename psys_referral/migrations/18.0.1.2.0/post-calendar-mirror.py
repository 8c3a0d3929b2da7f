"""Each appointment holds its calendar event (``psys.calendar.mirror``): the
event that mirrored it, found until now by the record it names, becomes its
stored link (an event mirroring a booking twice is dropped); then every
event is brought in step, its name no longer saying the person's code."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env.flush_all()
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE psys_booking booking SET calendar_event_id = event.id
          FROM (SELECT res_id, min(id) AS id FROM calendar_event
                 WHERE res_model = 'psys.booking' GROUP BY res_id) event
         WHERE event.res_id = booking.id AND booking.calendar_event_id IS NULL
        """,
    )
    env.cr.execute(
        """
        SELECT id FROM calendar_event event
         WHERE res_model = 'psys.booking'
           AND NOT EXISTS (SELECT 1 FROM psys_booking booking WHERE booking.calendar_event_id = event.id)
        """
    )
    env.invalidate_all()
    env["calendar.event"].browse([row[0] for row in env.cr.fetchall()]).unlink()
    env["psys.booking"].with_context(active_test=False).search([])._psys_mirror_now()
