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

# What an association would miss after an upgrade; a table that a release
# does not have yet is skipped.
COUNTED = {
    "people": ("psys_beneficiary", None),
    "encounters": ("psys_encounter", None),
    "orientations": ("psys_orientation", None),
    "notes": ("psys_note", None),
    "consents": ("psys_consent", None),
    "permanences": ("psys_permanence", None),
    "sessions": ("psys_session", None),
    "shifts": ("psys_shift", None),
    "desk visits": ("psys_desk_visit", None),
    "partnerships": ("psys_partnership", None),
    "slots": ("psys_slot", None),
    "bookings": ("psys_booking", None),
    "referrals": ("psys_referral", None),
    "invoices": ("account_move", "move_type IN ('out_invoice', 'out_refund')"),
    "workshop cycles": ("psys_workshop_cycle", None),
    "workshops": ("event_event", None),
    "sentinels": ("psys_sentinel", None),
    "named contacts": ("res_partner", "psys_private_contact"),
}


def snapshot(dbname):
    counts = {}
    with psycopg2.connect(dbname=dbname) as connection, connection.cursor() as cr:
        for label, (table, where) in COUNTED.items():
            cr.execute("SELECT to_regclass(%s)", [table])
            if cr.fetchone()[0] is None:
                continue
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            if where:
                cr.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                    [table, where.split()[0]],
                )
                if not cr.fetchone():
                    continue
                query = sql.SQL("{} WHERE {}").format(query, sql.SQL(where))
            cr.execute(query)
            counts[label] = cr.fetchone()[0]
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
