"""Each permanence gets its own resource calendar, whose lines are its
weekly opening hours: one line per weekday it opened (``mon`` … ``sun``),
from its ``hour_from`` to its ``hour_to``, in its time zone. The sessions
already generated keep their dates and hours. Nothing is lost: as many lines
as ticked weekdays."""

import logging

from openupgradelib import openupgrade
from psycopg2 import sql

from odoo import fields

_logger = logging.getLogger(__name__)

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    legacy = {column: openupgrade.get_legacy_name(column) for column in [*WEEKDAYS, "hour_from", "hour_to", "tz"]}
    if not openupgrade.column_exists(cr, "psys_permanence", legacy["hour_from"]):
        return
    cr.execute(
        sql.SQL("SELECT id, {} FROM psys_permanence WHERE resource_calendar_id IS NULL ORDER BY id").format(
            sql.SQL(", ").join(sql.Identifier(legacy[column]) for column in [*WEEKDAYS, "hour_from", "hour_to", "tz"])
        )
    )
    Permanence = env["psys.permanence"].with_context(active_test=False, tracking_disable=True)
    expected = moved = 0
    for permanence_id, *days, hour_from, hour_to, tz in cr.fetchall():
        permanence = Permanence.browse(permanence_id)
        lines = [
            fields.Command.create({"dayofweek": str(index), "hour_from": hour_from, "hour_to": hour_to})
            for index, opens in enumerate(days)
            if opens
        ]
        calendar = Permanence._psys_create_calendars(
            [
                {
                    "name": permanence.name,
                    "company_id": permanence.company_id.id,
                    "tz": tz or "Europe/Paris",
                    "attendance_ids": lines,
                }
            ]
        )
        cr.execute("UPDATE psys_permanence SET resource_calendar_id = %s WHERE id = %s", [calendar.id, permanence_id])
        expected += len(lines)
        moved += len(calendar.attendance_ids)
    Permanence.invalidate_model(["resource_calendar_id"])
    _logger.info("%s opening days of the permanences moved to resource calendars", moved)
    if moved != expected:
        raise RuntimeError(f"{expected} opening days to move, {moved} calendar lines created")
