"""Benchmark of the permanence rota: generation and auto-fill.

    $V/venv/bin/python tests/bench_rota.py --config $V/odoo.conf

Creates (or reuses) the database ``psys_bench_rota`` with psys_permanence
installed without demo data, then, in one transaction that is rolled back at
the end, sets up 10 antennas with 2 permanences a week each and 40 volunteers,
and for 1, 4 and 12 months generates the sessions and auto-fills the rota
(each run rolled back to a savepoint). Prints wall time and SQL query count.
"""

import sys
import time
from datetime import date, timedelta

from benchlib import argument_parser, ensure_addon, start_odoo

DB = "psys_bench_rota"
START = date(2031, 1, 6)  # a Monday, far from today's real sessions
MONTHS = (1, 4, 12)


def setup_data(env):
    """10 antennas × 2 permanences a week, 40 volunteers with availabilities."""
    company = env.company
    groups = {
        "therapist": env.ref("psys_base.group_psys_therapist"),
        "reception": env.ref("psys_base.group_psys_reception"),
    }
    locations = env["psys.location"].create([{"name": f"Antenne bench {index}"} for index in range(10)])
    permanences = []
    for index, location in enumerate(locations):
        # Tuesday afternoons and Friday days, hours shifted per antenna: the
        # sessions of different antennas overlap, as in real life.
        permanences.append(
            {
                "name": f"Mardi {index}",
                "location_id": location.id,
                "tue": True,
                "hour_from": 13 + index % 3,
                "hour_to": 17 + index % 3,
                "date_start": START,
            }
        )
        permanences.append(
            {
                "name": f"Vendredi {index}",
                "location_id": location.id,
                "fri": True,
                "hour_from": 10 + index % 4,
                "hour_to": 16 + index % 2,
                "date_start": START,
            }
        )
    permanences = env["psys.permanence"].create(permanences)
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"Bénévole bench {index}",
                    "login": f"bench_volunteer_{index}",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [(6, 0, groups["therapist" if index < 28 else "reception"].ids)],
                }
                for index in range(40)
            ]
        )
    )
    env["psys.volunteer.availability"].create(
        [
            {
                "user_id": user.id,
                "location_ids": [(6, 0, [locations[(index + shift) % 10].id for shift in range(4)])],
                "max_shifts_month": 8,
                "unavailability_ids": [
                    (
                        0,
                        0,
                        {
                            "date_from": START + timedelta(days=7 * index),
                            "date_to": START + timedelta(days=7 * index + 6),
                        },
                    )
                ],
            }
            for index, user in enumerate(users)
        ]
    )
    return permanences


def run(env, permanences, months):
    date_to = START + timedelta(days=round(months * 365 / 12) - 1)
    cr = env.cr
    env.flush_all()
    queries = cr.sql_log_count
    started = time.perf_counter()
    sessions = permanences._generate_sessions(START, date_to)
    filled, unfilled = env["psys.rota.autofill"]._autofill(START, date_to)
    env.flush_all()
    cr.precommit.run()  # what a commit would do (tracking values)
    elapsed = time.perf_counter() - started
    return len(sessions), len(filled), len(unfilled), elapsed, cr.sql_log_count - queries


def main():
    args = argument_parser(__doc__, DB).parse_args()
    odoo = start_odoo(args.config)
    ensure_addon(odoo, args.config, args.database, "psys_permanence")
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False})
        permanences = setup_data(env)
        lines = [f"{'months':>6} {'sessions':>8} {'filled':>7} {'open':>6} {'seconds':>8} {'queries':>8}"]
        for months in MONTHS:
            savepoint = cr.savepoint()
            try:
                sessions, filled, unfilled, elapsed, queries = run(env, permanences, months)
            finally:
                savepoint.close(rollback=True)
                env.invalidate_all()
            lines.append(f"{months:>6} {sessions:>8} {filled:>7} {unfilled:>6} {elapsed:>8.2f} {queries:>8}")
        cr.rollback()
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
