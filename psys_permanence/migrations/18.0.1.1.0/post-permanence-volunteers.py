"""The permanence menus are now for the "Permanence volunteer" group (and the
coordinators): every user who saw them keeps them, except the independent
practitioners and the coordinators who hold no shift and declared no
availability (a practitioner holds a partnership of psys_referral, when it is
installed)."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    volunteers = env.ref("psys_permanence.group_psys_volunteer")
    reception = env.ref("psys_base.group_psys_reception")
    coordinator = env.ref("psys_base.group_psys_coordinator")
    users = env["res.users"].with_context(active_test=False).search([("groups_id", "in", reception.ids)])
    env.cr.execute(
        """SELECT user_id FROM psys_shift WHERE user_id IS NOT NULL
            UNION SELECT user_id FROM psys_volunteer_availability WHERE user_id IS NOT NULL"""
    )
    holders = {user_id for (user_id,) in env.cr.fetchall()}
    apart = set(users.filtered(lambda user: coordinator in user.groups_id).ids)
    if openupgrade.table_exists(env.cr, "psys_partnership"):
        env.cr.execute("SELECT practitioner_id FROM psys_partnership WHERE practitioner_id IS NOT NULL")
        apart |= {user_id for (user_id,) in env.cr.fetchall()}
    volunteers.write({"users": [(4, user.id) for user in users if user.id in holders or user.id not in apart]})
