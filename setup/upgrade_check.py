"""Count what a database holds before an upgrade, and check it after.

Used by `setup/psys test` (stage "upgrade"):
    upgrade_check.py snapshot DB > before.json
    upgrade_check.py compare DB before.json
An upgrade must keep every person, encounter, session, booking, invoice and
note of the release it starts from: each count after equals the count before.
"""

import json
import sys

import psycopg2
from psycopg2 import sql

# What an association would miss after an upgrade: label -> how to count it,
# as (table, condition, columns the condition needs[, what to count, count(*)
# by default]); the first form whose table and columns exist is used (a later
# release's form first, or the release's own when the upgrade removes it). A
# table that a release does not have yet is skipped.
COUNTED = {
    "people": [("psys_beneficiary", None, set())],
    "people recognisable": [
        (
            "psys_beneficiary",
            "linking_hash IS NOT NULL OR linking_hash_legacy IS NOT NULL",
            {"linking_hash", "linking_hash_legacy"},
        ),
        ("psys_beneficiary", "linking_key IS NOT NULL", {"linking_key"}),
    ],
    "encounters": [("psys_encounter", None, set())],
    "orientations": [("psys_orientation", None, set())],
    "notes": [("psys_note", None, set())],
    "consents": [("psys_consent", None, set())],
    "permanences": [("psys_permanence", None, set())],
    # 18.0.1.1.0: the permanences' ticked weekdays became the lines of their
    # resource calendars; the release's columns go first, they are gone after.
    "permanence opening days": [
        (
            "psys_permanence",
            None,
            {"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
            "COALESCE(SUM(COALESCE(mon, false)::int + COALESCE(tue, false)::int + COALESCE(wed, false)::int"
            " + COALESCE(thu, false)::int + COALESCE(fri, false)::int + COALESCE(sat, false)::int"
            " + COALESCE(sun, false)::int), 0)",
        ),
        (
            "resource_calendar_attendance",
            "calendar_id IN (SELECT resource_calendar_id FROM psys_permanence)",
            {"calendar_id"},
        ),
    ],
    "sessions": [("psys_session", None, set())],
    "shifts": [("psys_shift", None, set())],
    "desk visits": [("psys_desk_visit", None, set())],
    # 18.0.1.2.0: one event per session, its volunteers as attendees, instead
    # of one per held shift: every volunteer still attends the times she holds.
    "volunteers in calendars": [
        (
            "calendar_event_res_partner_rel",
            "calendar_event_id IN (SELECT id FROM calendar_event WHERE res_model IN ('psys.shift', 'psys.session'))",
            {"calendar_event_id"},
        ),
    ],
    # 18.0.1.1.0: the antennas' closures became leaves of their calendars (or
    # company-wide leaves); the release's own table goes first, it is gone after.
    # 18.0.1.2.0: the public holidays became company-wide leaves too (counted
    # apart): the closures are those without a holiday's mark.
    "closures": [
        ("psys_closure", None, set()),
        (
            "resource_calendar_leaves",
            "resource_id IS NULL AND time_type = 'leave' AND psys_holiday_date IS NULL AND (calendar_id IS NULL"
            " OR calendar_id IN (SELECT resource_calendar_id FROM psys_location))",
            {"resource_id", "time_type", "calendar_id", "psys_holiday_date"},
        ),
        (
            "resource_calendar_leaves",
            "resource_id IS NULL AND time_type = 'leave' AND (calendar_id IS NULL"
            " OR calendar_id IN (SELECT resource_calendar_id FROM psys_location))",
            {"resource_id", "time_type", "calendar_id"},
        ),
    ],
    "partnerships": [("psys_partnership", None, set())],
    "slots": [("psys_slot", None, set())],
    "bookings": [("psys_booking", None, set())],
    "referrals": [("psys_referral", None, set())],
    "invoices": [("account_move", "move_type IN ('out_invoice', 'out_refund')", {"move_type"})],
    # 18.0.1.2.0: the tariffs, prices and statements left psys_referral for
    # psys_referral_account: the same columns, kept and owned by the new addon.
    "priced sessions": [("psys_booking", "COALESCE(price, 0) > 0", {"price"}, "count(*)")],
    "sum of prices": [("psys_booking", None, {"price"}, "COALESCE(sum(price), 0)::float")],
    "statements": [("psys_statement", None, set())],
    "paid partnerships": [("psys_partnership", "product_id IS NOT NULL", {"product_id"})],
    "workshop cycles": [("psys_workshop_cycle", None, set())],
    "workshops": [("event_event", None, set())],
    "attendances": [
        ("event_registration", "encounter_id IS NOT NULL", {"encounter_id"}),
        ("event_registration", "psys_encounter_id IS NOT NULL", {"psys_encounter_id"}),
    ],
    "sentinels": [("psys_sentinel", None, set())],
    "named contacts": [("res_partner", "psys_private_contact", {"psys_private_contact"})],
}


def _columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    return {row[0] for row in cr.fetchall()}


def snapshot(dbname):
    counts = {}
    with psycopg2.connect(dbname=dbname) as connection, connection.cursor() as cr:
        for label, forms in COUNTED.items():
            for table, where, needed, *what in forms:
                columns = _columns(cr, table)
                if not columns or not needed <= columns:
                    continue
                query = sql.SQL("SELECT {} FROM {}").format(
                    sql.SQL(what[0] if what else "count(*)"), sql.Identifier(table)
                )
                if where:
                    query = sql.SQL("{} WHERE {}").format(query, sql.SQL(where))
                cr.execute(query)
                counts[label] = cr.fetchone()[0]
                break
    return counts


def compare(dbname, before_path):
    with open(before_path, encoding="utf-8") as before_file:
        before = json.load(before_file)
    after = snapshot(dbname)
    lost = []
    for label, count in before.items():
        now = after.get(label)
        print(f"  {label:<16} {count:>6} -> {now if now is not None else 'missing':>6}")
        if now != count:
            lost.append(label)
    if not any(before.values()):
        print("the release database holds no data: nothing was proven")
        return 1
    if lost:
        print("changed by the upgrade: " + ", ".join(lost))
        return 1
    return 0


if __name__ == "__main__":
    command, dbname = sys.argv[1], sys.argv[2]
    if command == "snapshot":
        json.dump(snapshot(dbname), sys.stdout)
        sys.exit(0)
    sys.exit(compare(dbname, sys.argv[3]))
