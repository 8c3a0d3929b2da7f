"""The permanences' weekdays (``mon`` … ``sun``), hours and time zone move
onto their own resource calendars (post-permanence-opening-hours.py): their
columns are kept under legacy names, out of reach of the ORM's clean-up."""

from openupgradelib import openupgrade

COLUMNS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hour_from", "hour_to", "tz"]


@openupgrade.migrate()
def migrate(env, version):
    if openupgrade.column_exists(env.cr, "psys_permanence", "hour_from"):
        openupgrade.rename_columns(
            env.cr, {"psys_permanence": [(column, openupgrade.get_legacy_name(column)) for column in COLUMNS]}
        )
