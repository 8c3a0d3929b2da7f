"""The rota mirrors one event per session, its volunteers as attendees
(``psys.calendar.mirror``), no longer one per held shift: the shifts' events
are merged into their session's (each volunteer stays an attendee of the
times she holds), in one batch."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    env.cr.execute("SELECT id FROM calendar_event WHERE res_model = 'psys.shift'")
    env["calendar.event"].browse([row[0] for row in env.cr.fetchall()]).unlink()
    sessions = env["psys.session"].search([("state", "=", "planned"), ("shift_ids.user_id", "!=", False)])
    sessions._psys_mirror_now()
