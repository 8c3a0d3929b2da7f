"""Benchmark of psys_referral: slot availability and concurrent booking.

    $V/venv/bin/python tests/bench_referral.py --config $V/odoo.conf

Creates (or reuses) the database ``psys_bench_referral`` with psys_referral
installed without demo data.

(a) Availability: one practitioner with 5 partnerships (two half-days a week
    each, 45-minute slots), a calendar commitment
    every other day, and 0, 100 then 200 existing bookings over the 3 months;
    computes the free slots of all her partnerships against her one busy set
    (events, bookings, leaves, holidays) and prints wall time (best of 3)
    and SQL query count, which must not grow with the bookings. Baseline,
    side by side: Odoo's own ``_work_intervals_batch`` over the same 5
    calendars and her resource (on-site hours minus leaves, no busy set);
    the ratio is the engine's time over the baseline's. Then creates the
    slots and searches the free ones. Rolled back.
(b) Booking over HTTP: commits one partnership with 10 future slots and 20
    portal users of its structure, serves the database with odoo-bin on a free
    loopback port, and lets 20 concurrent clients each try to book all 10
    slots (in their own random order) through the portal form. Prints
    successes, failures, double bookings (must be 0) and p50/p95 latency of
    the booking POSTs. The committed data stays in the benchmark database.
"""

import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from itertools import pairwise

from benchlib import argument_parser, ensure_addon, odoo_bin, start_odoo

DB = "psys_bench_referral"
CLIENTS = 20
SLOTS = 10


def parse_args():
    parser = argument_parser(__doc__, DB)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument(
        "--workers", type=int, default=0, help="odoo-bin --workers for (b); 0: threaded server (default)"
    )
    return parser.parse_args()


# (a) ------------------------------------------------------------------------


def setup_availability(env, tag):
    practitioner = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": f"Praticienne bench {tag}",
                "login": f"bench_practitioner_{tag}",
                "tz": "Europe/Paris",
                "groups_id": [(6, 0, env.ref("psys_base.group_psys_therapist").ids)],
            }
        )
    )
    partnerships = env["psys.partnership"]
    for index in range(5):
        structure = env["res.partner"].create(
            {"name": f"Structure bench {tag} {index}", "is_company": True, "psys_structure_type": "ccas"}
        )
        location = env["psys.location"].create({"name": f"Bureau bench {tag} {index}"})
        partnerships |= env["psys.partnership"].create(
            {
                "name": f"Convention bench {tag} {index}",
                "practitioner_id": practitioner.id,
                "structure_id": structure.id,
                "location_id": location.id,
                "date_start": date.today(),
                "slot_duration": 0.75,
                "tariff_policy": "funded",
                "attendance_ids": [
                    (0, 0, {"dayofweek": str(index % 5), "hour_from": 9.0, "hour_to": 12.0}),
                    (0, 0, {"dayofweek": str((index + 2) % 5), "hour_from": 14.0, "hour_to": 17.0}),
                ],
            }
        )
    # A commitment every other day: supervision, meetings.
    start = datetime.combine(date.today(), datetime.min.time()) + timedelta(hours=8)
    env["calendar.event"].create(
        [
            {
                "name": f"Engagement {day}",
                "start": start + timedelta(days=day),
                "stop": start + timedelta(days=day, hours=2),
                "partner_ids": [(6, 0, practitioner.partner_id.ids)],
            }
            for day in range(0, 92, 2)
        ]
    )
    return partnerships


def best_of(cr, work, runs=3):
    """(result, best wall time, queries of one run), caches emptied each run."""
    timings = []
    for _run in range(runs):
        cr.execute("SELECT 1")  # nothing pending
        queries = cr.sql_log_count
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
        count = cr.sql_log_count - queries
    return result, min(timings), count


def work_intervals(env, partnerships, date_from, date_to):
    """The baseline: Odoo's resource machinery alone, on the same calendars."""
    import pytz

    tz = pytz.timezone("Europe/Paris")
    start = tz.localize(datetime.combine(date_from, datetime.min.time()))
    stop = tz.localize(datetime.combine(date_to + timedelta(days=1), datetime.min.time()))
    resources = partnerships._get_practitioner_resources()
    resource = resources[partnerships.practitioner_id]
    return sum(
        len(partnership.resource_calendar_id._work_intervals_batch(start, stop, resource, tz=tz)[resource.id])
        for partnership in partnerships
    )


def book(env, slots, count):
    """``count`` bookings spread over ``slots``, one person each."""
    step = max(1, len(slots) // count)
    chosen = slots[::step][:count]
    beneficiaries = env["psys.beneficiary"].create([{"age_bracket": "26_39"} for _slot in chosen])
    pairs = zip(chosen, beneficiaries, strict=True)
    env["psys.booking"].create([{"slot_id": slot.id, "beneficiary_id": person.id} for slot, person in pairs])
    return chosen


def bench_availability(env, tag):
    partnerships = setup_availability(env, tag)
    date_from = date.today()
    date_to = date_from + timedelta(days=91)
    cr = env.cr
    rows = []

    def measure(bookings):
        env.flush_all()
        env.invalidate_all()
        candidates, elapsed, queries = best_of(
            cr, lambda: (env.invalidate_all(), partnerships._get_slot_candidates(date_from, date_to))[1]
        )
        _intervals, base_elapsed, base_queries = best_of(
            cr, lambda: (env.invalidate_all(), work_intervals(env, partnerships, date_from, date_to))[1]
        )
        rows.append((bookings, len(candidates), elapsed, queries, base_elapsed, base_queries))
        return candidates

    candidates = measure(0)
    ordered = sorted(candidates, key=lambda candidate: candidate[1])
    assert all(first[2] <= second[1] for first, second in pairwise(ordered)), (
        "two free slots of the practitioner overlap"
    )
    partnerships.action_generate_slots(date_from, date_to)
    slots = env["psys.slot"].search([("partnership_id", "in", partnerships.ids)], order="start")
    booked = book(env, slots, 100)
    measure(100)
    book(env, slots - booked, 100)
    measure(200)
    results = []
    queries = cr.sql_log_count
    started = time.perf_counter()
    created = partnerships.action_generate_slots(date_from, date_to)
    env.flush_all()
    results.append(("regenerate slots", len(created), time.perf_counter() - started, cr.sql_log_count - queries))
    env.invalidate_all()
    queries = cr.sql_log_count
    started = time.perf_counter()
    free = env["psys.slot"].search([("partnership_id", "in", partnerships.ids), ("is_booked", "=", False)])
    len(free.mapped("start"))
    results.append(("search free slots", len(free), time.perf_counter() - started, cr.sql_log_count - queries))
    return rows, results


# (b) ------------------------------------------------------------------------


def setup_booking(env, tag, clients):
    structure = env["res.partner"].create(
        {"name": f"CCAS bench {tag}", "is_company": True, "psys_structure_type": "ccas"}
    )
    location = env["psys.location"].create({"name": f"Bureau HTTP {tag}"})
    portal = env.ref("base.group_portal")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Agent bench {tag} {index}",
                    "login": f"bench_agent_{tag}_{index}",
                    "password": f"bench_agent_{tag}_{index}",
                    "parent_id": structure.id,
                    "groups_id": [(6, 0, portal.ids)],
                }
                for index in range(clients)
            ]
        )
    )
    for user in users:
        user.partner_id.parent_id = structure
    partnership = env["psys.partnership"].create(
        {
            "name": f"Convention HTTP {tag}",
            "structure_id": structure.id,
            "location_id": location.id,
            "date_start": date.today(),
            "tariff_policy": "funded",
            "session_quota": 1000,
            "booking_user_ids": [(6, 0, users.ids)],
        }
    )
    start = datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=10)
    slots = env["psys.slot"].create(
        [
            {
                "partnership_id": partnership.id,
                "start": start + timedelta(hours=i),
                "stop": start + timedelta(hours=i + 1),
            }
            for i in range(SLOTS)
        ]
    )
    return users.mapped("login"), slots.ids


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(base, process, timeout=120):
    import requests

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("odoo-bin stopped before serving")
        try:
            if requests.get(f"{base}/web/webclient/version_info", timeout=2).status_code < 500:
                return
        except requests.RequestException:
            time.sleep(0.5)  # not listening yet
            continue
        time.sleep(0.5)
    raise RuntimeError("odoo-bin did not answer in time")


def client(base, dbname, login, slot_ids, barrier, outcomes, latencies):
    import requests

    session = requests.Session()
    session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": dbname, "login": login, "password": login}},
        timeout=60,
    ).raise_for_status()
    page = session.get(f"{base}/my/psys/slots/{slot_ids[0]}/book", timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    order = list(slot_ids)
    random.shuffle(order)
    barrier.wait()
    for slot_id in order:
        data = {
            "csrf_token": token,
            "age_bracket": "26_39",
            "gender": "female",
            "reason_category": "stress",
            "reason": "bench",
            "urgency": "normal",
        }
        started = time.perf_counter()
        response = session.post(f"{base}/my/psys/slots/{slot_id}/book", data=data, allow_redirects=False, timeout=60)
        latencies.append(time.perf_counter() - started)
        if response.status_code == 303 and "/my/psys/referrals" in response.headers.get("Location", ""):
            outcomes.append("ok")
        elif response.status_code == 409:  # the form back, with the next free slots
            outcomes.append("slot taken")
        else:
            outcomes.append(f"http {response.status_code}")


def bench_booking(odoo, args, registry, tag):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        logins, slot_ids = setup_booking(env, tag, args.clients)
    port = free_port()
    command = [sys.executable, odoo_bin(odoo), "-c", args.config, "-d", args.database]
    command += [f"--db-filter=^{args.database}$", "--http-interface=127.0.0.1", f"--http-port={port}"]
    command += [f"--workers={args.workers}", "--max-cron-threads=0", "--log-level=warn"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(base, process)
        barrier = threading.Barrier(len(logins))
        outcomes, latencies = [], []
        threads = [
            threading.Thread(target=client, args=(base, args.database, login, slot_ids, barrier, outcomes, latencies))
            for login in logins
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(30)
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT slot_id FROM psys_booking
                 WHERE slot_id IN %s AND state != 'cancelled'
                 GROUP BY slot_id HAVING count(*) > 1
            ) doubles
            """,
            [tuple(slot_ids)],
        )
        doubles = cr.fetchone()[0]
        cr.execute("SELECT count(DISTINCT slot_id) FROM psys_booking WHERE slot_id IN %s", [tuple(slot_ids)])
        booked_slots = cr.fetchone()[0]
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)] if latencies else 0.0
    return {
        "attempts": len(outcomes),
        "successes": outcomes.count("ok"),
        "failures": len(outcomes) - outcomes.count("ok"),
        "failure codes": ", ".join(sorted({outcome for outcome in outcomes if outcome != "ok"})) or "-",
        "booked slots": booked_slots,
        "double bookings": doubles,
        "p50 ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95 ms": p95 * 1000,
        "wall s": elapsed,
    }


def main():
    args = parse_args()
    odoo = start_odoo(args.config)
    ensure_addon(odoo, args.config, args.database, "psys_referral")
    registry = odoo.modules.registry.Registry(args.database)
    tag = datetime.now().strftime("%Y%m%d%H%M%S")
    lines = ["(a) availability, 1 practitioner, 5 partnerships, 3 months, one busy set"]
    lines.append(
        f"{'bookings':>8} {'free slots':>10} {'seconds':>8} {'queries':>8}"
        f" {'baseline s':>10} {'queries':>8} {'ratio':>6}"
    )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        rows, results = bench_availability(env, tag)
        for bookings, count, elapsed, queries, base_elapsed, base_queries in rows:
            lines.append(
                f"{bookings:>8} {count:>10} {elapsed:>8.3f} {queries:>8}"
                f" {base_elapsed:>10.3f} {base_queries:>8} {elapsed / base_elapsed:>6.2f}"
            )
        lines.append("baseline: Odoo's _work_intervals_batch on the same 5 calendars (no busy set)")
        lines.append("target: queries bounded and the same for 0, 100 and 200 bookings")
        lines.append(f"{'step':<20} {'slots':>6} {'seconds':>8} {'queries':>8}")
        for name, count, elapsed, queries in results:
            lines.append(f"{name:<20} {count:>6} {elapsed:>8.3f} {queries:>8}")
        cr.rollback()
    sys.stdout.write("\n".join(lines) + "\n")
    result = bench_booking(odoo, args, registry, tag)
    lines = [f"(b) booking over HTTP, {args.clients} clients × {SLOTS} slots, --workers={args.workers}"]
    lines += [
        f"{key:<16} {value:>10.1f}" if isinstance(value, float) else f"{key:<16} {value:>10}"
        for key, value in result.items()
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    if result["double bookings"]:
        sys.exit("double bookings found")


if __name__ == "__main__":
    main()
