"""Benchmark of the permanence rota: generation and auto-fill.

    $V/venv/bin/python tests/bench_rota.py --config $V/odoo.conf

Creates (or reuses) the database ``psys_bench_rota`` with psys_permanence
installed without demo data, then, in one transaction that is rolled back at
the end, sets up 10 antennas with 2 permanences a week each and 40 volunteers,
and for 1, 4 and 12 months generates the sessions and auto-fills the rota
(each run rolled back to a savepoint). Prints wall time, SQL query count and
milliseconds per session (flat when the cost is linear).

Baseline, side by side: the same sessions and held shifts planned directly
as Odoo calendar events (one per session with a held shift, its volunteers
as attendees) in one batch create: what Odoo itself costs to store that
calendar. The ratio is the rota's time over the baseline's, a figure
that does not depend on how fast or busy the machine is. Each side runs
``--repeat`` times (3), in turn, and its best run is kept: neither pays the
first run's warm-up or a burst of load alone.
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
                "attendance_ids": [(0, 0, {"dayofweek": "1", "hour_from": 13 + index % 3, "hour_to": 17 + index % 3})],
                "date_start": START,
            }
        )
        permanences.append(
            {
                "name": f"Vendredi {index}",
                "location_id": location.id,
                "attendance_ids": [(0, 0, {"dayofweek": "4", "hour_from": 10 + index % 4, "hour_to": 16 + index % 2})],
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


def measure(env, work):
    """Seconds and SQL queries of ``work()``, flushed as a commit would."""
    cr = env.cr
    env.flush_all()
    queries = cr.sql_log_count
    started = time.perf_counter()
    result = work()
    env.flush_all()
    cr.precommit.run()  # what a commit would do (tracking values)
    return result, time.perf_counter() - started, cr.sql_log_count - queries


def run(env, permanences, months):
    """Generate and auto-fill ``months``; also return the rows the baseline
    plans again: one event per session with a held shift, its volunteers as attendees."""
    date_to = START + timedelta(days=round(months * 365 / 12) - 1)

    def work():
        sessions = permanences._generate_sessions(START, date_to)
        return sessions, *env["psys.rota.autofill"]._autofill(START, date_to)

    (sessions, filled, unfilled), elapsed, queries = measure(env, work)
    rows = [
        {
            "name": session.permanence_id.name,
            "start": session.start,
            "stop": session.stop,
            "user_id": False,
            "partner_ids": [(6, 0, held.user_id.partner_id.ids)],
            "privacy": "private",
        }
        for session in sessions
        if (held := session.shift_ids.filtered("user_id"))
    ]
    return len(sessions), len(filled), len(unfilled), elapsed, queries, rows


def baseline(env, rows):
    """The same sessions and held shifts planned directly as Odoo calendar
    events (one batch create, the rota's context): what Odoo itself costs."""
    from odoo.addons.psys_base.tools.calendar import QUIET_MIRROR_CONTEXT

    events = env["calendar.event"].with_context(**QUIET_MIRROR_CONTEXT)
    _events, elapsed, queries = measure(env, lambda: events.create(rows))
    return elapsed, queries


def rolled_back(env, work):
    savepoint = env.cr.savepoint()
    try:
        return work()
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()


def main():
    parser = argument_parser(__doc__, DB)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each side, in turn (rota, baseline, rota, …): the best of each is kept, "
        "so neither side pays the first run's warm-up nor a moment of the machine's load alone",
    )
    args = parser.parse_args()
    odoo = start_odoo(args.config)
    ensure_addon(odoo, args.config, args.database, "psys_permanence")
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False})
        permanences = setup_data(env)
        lines = [
            f"{'months':>6} {'sessions':>8} {'filled':>7} {'open':>6} {'seconds':>8} {'queries':>8}"
            f" {'ms/session':>10} {'baseline s':>10} {'queries':>8} {'ratio':>6}"
        ]
        for months in MONTHS:
            elapsed = base_elapsed = float("inf")
            for _run in range(max(1, args.repeat)):
                sessions, filled, unfilled, seconds, queries, rows = rolled_back(
                    env, lambda months=months: run(env, permanences, months)
                )
                elapsed = min(elapsed, seconds)
                base_seconds, base_queries = rolled_back(env, lambda rows=rows: baseline(env, rows))
                base_elapsed = min(base_elapsed, base_seconds)
            lines.append(
                f"{months:>6} {sessions:>8} {filled:>7} {unfilled:>6} {elapsed:>8.2f} {queries:>8}"
                f" {1000 * elapsed / sessions:>10.2f} {base_elapsed:>10.2f} {base_queries:>8}"
                f" {elapsed / base_elapsed:>6.2f}"
            )
        cr.rollback()
    lines.append("target: 12 months under 2 s and at most 1.2× the baseline, ms/session flat (linear)")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
