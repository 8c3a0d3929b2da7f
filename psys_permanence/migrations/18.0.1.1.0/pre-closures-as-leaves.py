"""The antennas' closures (psys.closure, gone) become resource leaves, the
one source of closing days: a closure of one antenna is a leave on the
antenna's calendar, a closure of every antenna a company-wide leave (no
calendar). Each keeps its reason and covers the same whole local days (from
midnight of the first to 23:59:59 of the last, in the calendar's time zone,
else the company's, else Paris). Its xml ids (the demo's ``closure_annecy``)
follow it. Nothing is lost: one leave per closure, and the closures' table
stays, renamed, for whoever wants to check.

This runs before psys_permanence's data loads: its demo file names
``closure_annecy`` as a leave now, and its xml id must already point to one
(a noupdate record whose model is gone cannot be looked up). psys_base is
already upgraded then (each place has its calendar) and the psys_permanence
models are not loaded yet: no session is cancelled again (the closure did it)."""

import logging

from openupgradelib import openupgrade

from odoo.addons.psys_base.tools.calendar import local_days_to_utc

_logger = logging.getLogger(__name__)


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if not openupgrade.table_exists(cr, "psys_closure"):
        return
    cr.execute("SELECT id, name, location_id, date_from, date_to, company_id FROM psys_closure ORDER BY id")
    closures = cr.fetchall()
    Location = env["psys.location"].with_context(active_test=False)
    locations = Location.browse(sorted({row[2] for row in closures if row[2]}))
    locations._create_resource_calendars()
    Leave = env["resource.calendar.leaves"]
    leaves = Leave
    for closure_id, name, location_id, date_from, date_to, company_id in closures:
        calendar = Location.browse(location_id).resource_calendar_id
        company = env["res.company"].browse(company_id)
        start, stop = local_days_to_utc(date_from, date_to, calendar.tz or company.partner_id.tz)
        leave = Leave.with_company(company).create(
            {
                "name": name,
                "calendar_id": calendar.id,
                "company_id": company.id,
                "resource_id": False,
                "time_type": "leave",
                "date_from": start,
                "date_to": stop,
            }
        )
        cr.execute(
            "UPDATE ir_model_data SET model = %s, res_id = %s WHERE model = 'psys.closure' AND res_id = %s",
            [Leave._name, leave.id, closure_id],
        )
        leaves |= leave
    _logger.info("%s antenna closures moved to resource leaves", len(leaves))
    # The closure's record rule (noupdate) would keep an xml id on a model that is gone.
    openupgrade.delete_records_safely_by_xml_id(env, ["psys_permanence.psys_closure_rule_company"])
    openupgrade.rename_tables(cr, [("psys_closure", openupgrade.get_legacy_name("psys_closure"))])
