"""The weekly on-site schedule of each partnership (psys.partnership.schedule,
gone) becomes the attendances of its own resource calendar: one engine, the
resource machinery, computes every slot of a practitioner against one busy
set. Nothing is lost: every schedule line becomes one attendance."""

import logging

from openupgradelib import openupgrade

_logger = logging.getLogger(__name__)


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if not openupgrade.table_exists(cr, "psys_partnership_schedule"):
        return
    cr.execute(
        """
        SELECT partnership_id, weekday, hour_from, hour_to, COALESCE(home_visit, false)
          FROM psys_partnership_schedule
         ORDER BY partnership_id, weekday, hour_from, id
        """
    )
    lines = {}
    for partnership_id, weekday, hour_from, hour_to, home_visit in cr.fetchall():
        lines.setdefault(partnership_id, []).append(
            {
                "dayofweek": weekday,
                "hour_from": hour_from,
                "hour_to": hour_to,
                "day_period": "morning" if hour_from < 12 else "afternoon",
                "psys_home_visit": home_visit,
            }
        )
    Partnership = env["psys.partnership"].with_context(active_test=False)
    partnerships = Partnership.search([("resource_calendar_id", "=", False)])
    for partnership in partnerships:
        calendar = Partnership._psys_create_calendars(
            [
                {
                    "name": partnership.name,
                    "practitioner_id": partnership.practitioner_id.id,
                    "company_id": partnership.company_id.id,
                    "attendance_ids": [(0, 0, values) for values in lines.get(partnership.id, [])],
                }
            ]
        )
        partnership.resource_calendar_id = calendar
    moved = sum(len(partnership.attendance_ids) for partnership in partnerships)
    expected = sum(len(lines.get(partnership.id, [])) for partnership in partnerships)
    _logger.info("%s schedule lines of %s partnerships moved to resource calendars", moved, len(partnerships))
    if moved != expected:
        raise RuntimeError(f"{expected} schedule lines to move, {moved} attendances created")
    # The schedule's record rule and the demo's schedule lines (noupdate) would
    # keep xml ids on a model that is gone.
    openupgrade.delete_records_safely_by_xml_id(env, ["psys_referral.psys_partnership_schedule_rule_company"])
    openupgrade.logged_query(cr, "DELETE FROM ir_model_data WHERE model = 'psys.partnership.schedule'")
