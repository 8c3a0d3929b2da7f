"""Every appointment of 18.0.1.0.0 still standing (not cancelled) gets its
event in the practitioner's calendar, as new bookings do: one batch, no
invitation mail."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    bookings = env["psys.booking"].with_context(active_test=False).search([("state", "!=", "cancelled")])
    bookings._psys_mirror_now()
