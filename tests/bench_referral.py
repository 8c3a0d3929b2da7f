"""Benchmark of psys_referral: slot availability and concurrent booking.

    $V/venv/bin/python tests/bench_referral.py --config $V/odoo.conf

Creates (or reuses) the database ``psys_bench_referral`` with psys_referral
installed without demo data.

(a) Availability: one practitioner with 5 partnerships (two half-days a week
    each, 45-minute slots), a calendar commitment
    every other day, and 0, 500 then 2 000 existing bookings over 12 months;
    computes the free slots of all her partnerships against her one busy set
    (events, bookings, leaves, holidays) and prints wall time (best of 3)
    and SQL query count, which must not grow with the bookings. Baseline,
    side by side: Odoo's own ``_work_intervals_batch`` over the same 5
    calendars and her resource (on-site hours minus leaves), minus her busy
    set read the plain way (one query for her events, one for her bookings,
    one ``Intervals`` subtraction per calendar);
    the ratio is the engine's time over the baseline's. Then creates the
    slots and searches the free ones. Rolled back.
(b) Booking over HTTP, as in production: commits one partnership (with its
    practitioner) and a slot for every booking of the run, and 20 portal
    workers of its structure; serves the database with odoo-bin in prefork
    (``--workers=2``, one cron worker, its own ports 8182+); logs the 20
    workers in through the portal login and lets each, round after round,
    book a slot of its own (every tenth one racing its neighbour: the loser
    gets the form back, 409) and open ``/my``, interleaved. Prints p50/p95 of
    the booking POST and of ``/my`` from the clients and from the server's
    log (its own time and queries), their ratio, the answers by status, the
    double bookings (must be 0) and the confirmations written. Target: book
    p95 <= 1.5 x /my p95, and under 300 ms. Runs twice: the clients without
    pause (the server saturated), then paced like people (``--think``: 2 s
    between requests on average).
    Each run is made with one server, then with two (``--servers 1,2``):
    two prefork servers on the same database and the same data directory
    (filestore and sessions), cron on the first only (the second
    ``--max-cron-threads=0``), the clients alternating between them (so a
    race is between two servers), each client opening /my once on the
    other server with its session. Both runs print, beside the figures above:
    the confirmations (mails with the calendar file) per booking and
    recipient (exactly one), the jobs run since the run started
    (ir_cron_progress), a psys job made due once at the start (``--due-cron``:
    ran exactly once), the jobs started per server from their logs (none on
    the second) and two runs of one job at once (none); then a table of
    p50/p95 of the booking and of /my, one server beside two.
    The servers are stopped in every case; the data stays in the database.
"""

import argparse
import functools
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from itertools import pairwise

from benchlib import argument_parser, ensure_addon, odoo_bin, start_odoo

DB = "psys_bench_referral"
CLIENTS = 20
ROUNDS = 10
# Two runs of (b): the clients without pause (the server saturated: what it
# can take), then paced like people at a desk (2 s between requests on
# average: what a person waits).
THINK = [0.0, 2.0]
# One server, then two on the same database and data directory (cron on the
# first only), the clients alternating between them.
SERVERS = [1, 2]
# Made due once when a run starts: the run proves it ran once, on one server.
DUE_CRON = "psys_referral.ir_cron_psys_invitation_log_purge"


def parse_args():
    parser = argument_parser(__doc__, DB)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="(b): bookings per client")
    parser.add_argument("--workers", type=int, default=2, help="(b): odoo-bin --workers, prefork (2 or more)")
    parser.add_argument(
        "--think",
        type=lambda text: [float(value) for value in text.split(",")],
        default=THINK,
        help="(b): seconds a client waits between requests, on average (0: none); one run per value, e.g. 0,2",
    )
    parser.add_argument("--port", type=int, default=8182, help="(b): HTTP port, or the next free one")
    parser.add_argument(
        "--servers",
        type=lambda text: [int(value) for value in text.split(",")],
        default=SERVERS,
        help="(b): odoo-bin servers on the database, the clients alternating; one run per value, e.g. 1,2",
    )
    parser.add_argument(
        "--due-cron",
        default=DUE_CRON,
        help="(b): a job made due once when each run starts: it must run exactly once",
    )
    parser.add_argument("--no-race", dest="race", action="store_false", help="(b): every client on its own slots")
    parser.add_argument("--only", choices=("a", "b"), help="run only part (a) or (b)")
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
                "user_id": practitioner.id,
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
    """The baseline: Odoo's resource machinery on the same calendars, with
    the busy set applied the plain way: one query for her events and one for
    her bookings, one ``Intervals`` subtraction per calendar."""
    import pytz

    from odoo.addons.resource.models.utils import Intervals

    tz = pytz.timezone("Europe/Paris")
    start = tz.localize(datetime.combine(date_from, datetime.min.time()))
    stop = tz.localize(datetime.combine(date_to + timedelta(days=1), datetime.min.time()))
    resources = partnerships._get_practitioner_resources()
    user = partnerships.practitioner_id
    resource = resources[user]
    naive = (start.astimezone(pytz.utc).replace(tzinfo=None), stop.astimezone(pytz.utc).replace(tzinfo=None))
    periods = env["calendar.event"].search_read(
        [("partner_ids", "in", user.partner_id.ids), ("start", "<", naive[1]), ("stop", ">", naive[0])],
        ["start", "stop"],
    ) + env["psys.booking"].search_read(
        [
            ("practitioner_id", "=", user.id),
            ("state", "!=", "cancelled"),
            ("start", "<", naive[1]),
            ("stop", ">", naive[0]),
        ],
        ["start", "stop"],
    )
    nothing = env["resource.calendar.leaves"]
    busy = Intervals([(pytz.utc.localize(row["start"]), pytz.utc.localize(row["stop"]), nothing) for row in periods])
    return sum(
        len(partnership.resource_calendar_id._work_intervals_batch(start, stop, resource, tz=tz)[resource.id] - busy)
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
    date_to = date_from + timedelta(days=365)
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
    booked = book(env, slots, 500)
    measure(500)
    book(env, slots - booked, 1500)
    measure(2000)
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


def setup_booking(env, tag, clients, rounds):
    """One structure, ``clients`` portal workers (e-mail set: they are told of
    their bookings), one partnership of a practitioner (told too) with a
    slot for every POST of the run and a few spare, as in production."""
    company = env.company
    structure = env["res.partner"].create(
        {"name": f"CCAS bench {tag}", "is_company": True, "psys_structure_type": "ccas"}
    )
    location = env["psys.location"].create({"name": f"Bureau HTTP {tag}", "street": "1 rue de la Paix"})
    portal = env.ref("base.group_portal")
    Users = env["res.users"].with_context(no_reset_password=True)
    practitioner = Users.create(
        {
            "name": f"Praticienne HTTP {tag}",
            "login": f"bench_http_practitioner_{tag}",
            "email": f"praticienne.{tag}@example.org",
            "tz": "Europe/Paris",
            "groups_id": [(6, 0, env.ref("psys_base.group_psys_therapist").ids)],
        }
    )
    users = Users.create(
        [
            {
                "name": f"Agent bench {tag} {index}",
                "login": f"bench_agent_{tag}_{index}",
                "password": f"bench_agent_{tag}_{index}",
                "email": f"agent.{tag}.{index}@example.org",
                "parent_id": structure.id,
                "groups_id": [(6, 0, portal.ids)],
            }
            for index in range(clients)
        ]
    )
    for user in users:
        user.partner_id.parent_id = structure
    partnership = env["psys.partnership"].create(
        {
            "name": f"Convention HTTP {tag}",
            "practitioner_id": practitioner.id,
            "structure_id": structure.id,
            "location_id": location.id,
            "date_start": date.today(),
            "tariff_policy": "funded",
            "session_quota": 1000,
            "booking_user_ids": [(6, 0, users.ids)],
            "company_id": company.id,
        }
    )
    # Generated from its schedule (eight one-hour slots a working day), as in
    # production, so that the nightly generation job keeps them: one per POST.
    partnership.write(
        {
            "slot_duration": 1.0,
            "attendance_ids": [(0, 0, {"dayofweek": str(day), "hour_from": 9.0, "hour_to": 17.0}) for day in range(5)],
        }
    )
    needed = clients * rounds + clients
    weeks = needed // 40 + 2
    partnership.action_generate_slots(date.today() + timedelta(days=1), date.today() + timedelta(weeks=weeks))
    slots = env["psys.slot"].search([("partnership_id", "=", partnership.id)], order="start", limit=needed)
    if len(slots) < needed:
        raise RuntimeError(f"{len(slots)} slots generated, {needed} needed")
    return users.mapped("login"), slots.ids


def free_port(preferred=None):
    with socket.socket() as sock:
        # As odoo-bin binds: a port a stopped server left in TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", preferred or 0))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(base, process, timeout=180):
    import requests

    deadline = time.time() + timeout
    last_error = None
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("odoo-bin stopped before serving")
        try:
            if requests.get(f"{base}/web/login", timeout=5).status_code < 500:
                return
        except requests.RequestException as error:
            last_error = error  # not listening yet
        time.sleep(0.5)
    raise RuntimeError(f"odoo-bin did not answer in time ({last_error})")


def start_server(odoo, args, port, cron=True):
    """odoo-bin in prefork on ``args.database`` (``args.workers`` workers),
    on ``port`` or the next free one; one cron worker, or none (``cron``
    false: ``--max-cron-threads=0``, as on every node but one). Returns
    (process, base URL, log file, port)."""
    port = free_port(port)
    gevent_port = free_port(port + 1)
    command = [sys.executable, odoo_bin(odoo), "-c", args.config, "-d", args.database]
    command += [f"--db-filter=^{args.database}$", "--http-interface=127.0.0.1", f"--http-port={port}"]
    # One cron worker, as in production: the confirmations of the bookings are
    # written by a job right after each answer, on the same cores, in the run.
    command += [f"--gevent-port={gevent_port}", f"--workers={args.workers}", f"--max-cron-threads={int(cron)}"]
    # werkzeug at info: one line per request with its queries and server time;
    # ir_cron at info: one line when a job starts and when it is done.
    command += ["--log-level=warn", "--log-handler=werkzeug:INFO", "--no-database-list"]
    command += ["--log-handler=odoo.addons.base.models.ir_cron:INFO"]
    log = tempfile.NamedTemporaryFile(prefix=f"bench_referral_{port}_", suffix=".log", delete=False)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    return process, f"http://127.0.0.1:{port}", log, port


def window_start(registry, due_cron=None):
    """The database's clock (UTC, as Odoo stores dates) when the run starts;
    with ``due_cron`` (an XML id), that job is made due once, now."""
    with registry.cursor() as cr:
        cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        started = cr.fetchone()[0]
        if due_cron:
            module, name = due_cron.split(".")
            cr.execute(
                """
                INSERT INTO ir_cron_trigger (cron_id, call_at, create_date, write_date)
                SELECT res_id, %s, %s, %s FROM ir_model_data WHERE module = %s AND name = %s AND model = 'ir.cron'
                """,
                [started, started, started, module, name],
            )
            if not cr.rowcount:
                raise RuntimeError(f"no cron job {due_cron}")
    return started, due_cron


def cron_runs(registry, window):
    """Runs of each job since the window started, from ir_cron_progress (one
    row per run): {job id: (name, runs)}."""
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT cron.id, action.name->>'en_US', count(*)
              FROM ir_cron_progress progress
              JOIN ir_cron cron ON cron.id = progress.cron_id
              JOIN ir_act_server action ON action.id = cron.ir_actions_server_id
             WHERE progress.create_date >= %s
             GROUP BY 1, 2
            """,
            [window[0]],
        )
        return {job_id: (name, runs) for job_id, name, runs in cr.fetchall()}


def wait_for_cron_runs(registry, window, due_cron=None, timeout=90):
    """The runs since the window started, once the job made due (if any)
    ran, plus a few seconds for a second run to show up if there were one;
    {"runs": {job id: (name, runs)}, "due": (job id or None, runs)}."""
    due_id = None
    if due_cron:
        module, name = due_cron.split(".")
        with registry.cursor() as cr:
            cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", [module, name])
            due_id = cr.fetchone()[0]
        deadline = time.monotonic() + timeout
        while due_id not in cron_runs(registry, window) and time.monotonic() < deadline:
            time.sleep(1)
        time.sleep(3)
    runs = cron_runs(registry, window)
    return {"runs": runs, "due": (due_id, runs.get(due_id, (None, 0))[1])}


CRON_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: "
    r"Job .* \((\d+)\) (starting|done in)"
)


def cron_log_runs(log_paths):
    """From the servers' logs: the job runs each server started
    ({server index: {job id: runs}}) and the runs of one job that overlapped
    in time (two at once: must be 0), on any server."""
    per_server, spans = {}, {}
    for index, log_path in enumerate(log_paths):
        per_server[index] = {}
        open_runs = {}
        with open(log_path, encoding="utf-8", errors="replace") as log:
            for line in log:
                match = CRON_LINE.match(line)
                if not match:
                    continue
                stamp, pid, job_id, what = match.groups()
                moment = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")
                job_id = int(job_id)
                if what == "starting":
                    per_server[index][job_id] = per_server[index].get(job_id, 0) + 1
                    open_runs[(pid, job_id)] = moment
                elif (pid, job_id) in open_runs:
                    spans.setdefault(job_id, []).append((open_runs.pop((pid, job_id)), moment))
        for (_pid, job_id), moment in open_runs.items():  # failed or still running
            spans.setdefault(job_id, []).append((moment, moment))
    overlaps = 0
    for job_spans in spans.values():
        job_spans.sort()
        overlaps += sum(1 for first, second in pairwise(job_spans) if second[0] < first[1])
    return {"per server": per_server, "overlaps": overlaps}


def confirmations(registry, slot_ids):
    """The booking confirmations written (the mails with the calendar file:
    a reminder has none): (bookings without one, (booking, recipient) pairs
    told more than once, pairs told)."""
    with registry.cursor() as cr:
        cr.execute(
            """
            WITH told AS (
                SELECT message.res_id AS booking_id, recipient.res_partner_id AS partner_id, count(*) AS mails
                  FROM mail_mail mail
                  JOIN mail_message message ON message.id = mail.mail_message_id
                  JOIN mail_mail_res_partner_rel recipient ON recipient.mail_mail_id = mail.id
                 WHERE message.model = 'psys.booking'
                   AND message.res_id IN (SELECT id FROM psys_booking WHERE slot_id IN %(slots)s)
                   AND EXISTS (SELECT 1 FROM message_attachment_rel rel WHERE rel.message_id = message.id)
                 GROUP BY 1, 2
            )
            SELECT (SELECT count(*) FROM psys_booking booking
                     WHERE booking.slot_id IN %(slots)s
                       AND NOT EXISTS (SELECT 1 FROM told WHERE told.booking_id = booking.id)),
                   (SELECT count(*) FROM told WHERE mails > 1),
                   (SELECT count(*) FROM told)
            """,
            {"slots": tuple(slot_ids)},
        )
        unconfirmed, duplicates, pairs = cr.fetchone()
    return {"unconfirmed": unconfirmed, "duplicates": duplicates, "pairs": pairs}


def pending_notices(registry, slot_ids):
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM psys_booking WHERE slot_id IN %s AND psys_notice_pending", [tuple(slot_ids)])
        return cr.fetchone()[0]


def wait_for_notices(registry, slot_ids, timeout=120):
    """Seconds after the last answer until every confirmation was written."""
    started = time.perf_counter()
    while pending_notices(registry, slot_ids) and time.perf_counter() - started < timeout:
        time.sleep(0.2)
    return time.perf_counter() - started


def stop_server(process):
    """SIGTERM to the server's own process group (master and workers), then
    SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    except ProcessLookupError:
        return  # already gone


def login(base, dbname, user):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/web/login",
        data={"csrf_token": token, "db": dbname, "login": user, "password": user, "redirect": "/my"},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 303 or "session_id" not in session.cookies:
        raise RuntimeError(f"portal login of {user} failed: HTTP {response.status_code}")
    return session


def client(base, dbname, user, targets, barrier, record, think=0.0, other=None):
    """One worker: logs in, then for each of its slots books it and opens
    /my, one after the other (half of the clients in the other order, so
    both requests are always in flight together). With ``other`` (a second
    server on the same database and data directory), first opens /my there
    with the session of ``base``: 200, not the login page, when the servers
    share their sessions."""
    try:
        session = login(base, dbname, user)
        if other:
            response = session.get(f"{other}/my", allow_redirects=False, timeout=60)
            record("my other server", str(response.status_code), 0.0)
        page = session.get(f"{base}/my/psys/slots/{targets[0]}/book", timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    except Exception as error:
        record("login", f"error {type(error).__name__}", 0.0)
        barrier.abort()
        raise
    barrier.wait()
    post_first = int(user.rsplit("_", 1)[1]) % 2 == 0
    for slot_id in targets:
        data = {
            "csrf_token": token,
            "age_bracket": "26_39",
            "gender": "female",
            "reason_category": "stress",
            "reason": "bench",
            "urgency": "normal",
        }

        book = functools.partial(post_booking, session, base, slot_id, data, record)
        home = functools.partial(get_home, session, base, record)
        for step in (book, home) if post_first else (home, book):
            if think:
                time.sleep(random.uniform(0, 2 * think))
            step()


def post_booking(session, base, slot_id, data, record):
    started = time.perf_counter()
    response = session.post(f"{base}/my/psys/slots/{slot_id}/book", data=data, allow_redirects=False, timeout=120)
    elapsed = time.perf_counter() - started
    if response.status_code == 303 and "/my/psys/referrals" not in response.headers.get("Location", ""):
        record("book", "303 elsewhere", elapsed)
    else:
        record("book", str(response.status_code), elapsed)


def get_home(session, base, record):
    started = time.perf_counter()
    response = session.get(f"{base}/my", allow_redirects=False, timeout=120)
    record("my", str(response.status_code), time.perf_counter() - started)


def percentile(values, share):
    values = sorted(values)
    return values[max(0, round(share * len(values)) - 1)] if values else 0.0


def bench_booking(odoo, args, registry, tag):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        logins, slot_ids = setup_booking(env, tag, args.clients, args.rounds)
    # Round r: client i books slot r * clients + i; every tenth client races
    # its neighbour for the same slot (lost races answer 409 with the form).
    plan = {login: [] for login in logins}
    for round_ in range(args.rounds):
        for index, login in enumerate(logins):
            race_every = getattr(args, "race_every", 10)
            target = index - 1 if args.race and index % race_every == race_every - 1 else index
            plan[login].append(slot_ids[round_ * len(logins) + target])
    servers = getattr(args, "servers", 1)
    logs, processes, bases = [], [], []
    lock = threading.Lock()
    records = []

    def record(kind, outcome, elapsed):
        with lock:
            records.append((kind, outcome, elapsed))

    window = window_start(registry, getattr(args, "due_cron", None))
    try:
        port = args.port
        for index in range(servers):
            # Cron on the first server only (production: one node runs the jobs).
            process, base, log, port = start_server(odoo, args, port, cron=index == 0)
            processes.append(process)
            bases.append(base)
            logs.append(log)
            port += 2
        for process, base in zip(processes, bases, strict=True):
            wait_for_server(base, process)
        barrier = threading.Barrier(len(logins))
        # Clients alternate between the servers; each also opens /my once on
        # the next server with the session of its own (sessions are shared).
        threads = [
            threading.Thread(
                target=client,
                args=(bases[index % servers], args.database, login, plan[login], barrier, record, args.think),
                kwargs={"other": bases[(index + 1) % servers] if servers > 1 else None},
            )
            for index, login in enumerate(logins)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        drained = wait_for_notices(registry, slot_ids)
        crons = wait_for_cron_runs(registry, window, getattr(args, "due_cron", None))
    finally:
        for process in processes:
            stop_server(process)
    cron_log = cron_log_runs([log.name for log in logs])
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
        cr.execute("SELECT count(*) FROM psys_booking WHERE slot_id IN %s", [tuple(slot_ids)])
        bookings = cr.fetchone()[0]
        cr.execute(
            """
            SELECT count(*) FROM mail_mail mail JOIN mail_message message ON message.id = mail.mail_message_id
             WHERE message.model = 'psys.booking' AND message.res_id IN (
                   SELECT id FROM psys_booking WHERE slot_id IN %s)
            """,
            [tuple(slot_ids)],
        )
        mails = cr.fetchone()[0]
    book = [elapsed for kind, _outcome, elapsed in records if kind == "book"]
    home = [elapsed for kind, _outcome, elapsed in records if kind == "my"]
    counts = {}
    for kind, outcome, _elapsed in records:
        counts[f"{kind} {outcome}"] = counts.get(f"{kind} {outcome}", 0) + 1
    won = [elapsed for kind, outcome, elapsed in records if (kind, outcome) == ("book", "303")]
    lost = [elapsed for kind, outcome, elapsed in records if (kind, outcome) == ("book", "409")]
    server = server_times([log.name for log in logs])
    return {
        "server book": server["book"],
        "server my": server["my"],
        "book": (percentile(book, 0.5), percentile(book, 0.95), len(book)),
        "book 303": (percentile(won, 0.5), percentile(won, 0.95), len(won)),
        "book 409": (percentile(lost, 0.5), percentile(lost, 0.95), len(lost)),
        "my": (percentile(home, 0.5), percentile(home, 0.95), len(home)),
        "counts": counts,
        "bookings": bookings,
        "mails": mails,
        "pending": pending_notices(registry, slot_ids),
        "drained": drained,
        "doubles": doubles,
        "wall": elapsed,
        "log": ", ".join(log.name for log in logs),
        "servers": servers,
        "confirmations": confirmations(registry, slot_ids),
        "crons": crons,
        "cron log": cron_log,
    }


REQUEST_LINE = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')


def server_times(log_paths):
    """Per request kind, from the servers' logs: (p50, p95, count) of their
    own time (queries + Python, no queueing) and the median query count."""
    found = {"book": ([], []), "my": ([], [])}
    for log_path in log_paths:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            for line in log:
                match = REQUEST_LINE.search(line)
                if not match:
                    continue
                method, path, _status, queries, query_time, other_time = match.groups()
                kind = "book" if method == "POST" and path.endswith("/book") else "my" if path == "/my" else None
                if kind:
                    found[kind][0].append(float(query_time) + float(other_time))
                    found[kind][1].append(int(queries))
    return {
        kind: (percentile(times, 0.5), percentile(times, 0.95), len(times), statistics.median(queries or [0]))
        for kind, (times, queries) in found.items()
    }


def ordinal(number):
    return {2: "second", 3: "third", 10: "tenth"}.get(number, f"{number}th")


def report_booking(args, result):
    servers = result["servers"]
    lines = [
        f"(b) booking over HTTP, {servers} × odoo-bin --workers={args.workers} (prefork"
        + (", one database and data directory, cron on the first only" if servers > 1 else "")
        + f"), {args.clients} clients"
        f" × {args.rounds} rounds of (book a slot, open /my), interleaved"
        + (f", every {ordinal(getattr(args, 'race_every', 10))} client racing its neighbour" if args.race else "")
        + (f", {args.think:g} s think time on average" if args.think else ", no think time")
    ]
    lines.append(f"{'request':<22} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for key, label in (
        ("book", "POST book (all)"),
        ("book 303", "  booked (303)"),
        ("book 409", "  slot taken (409)"),
        ("my", "GET /my"),
    ):
        p50, p95, count = result[key]
        lines.append(f"{label:<22} {count:>6} {p50 * 1000:>8.0f} {p95 * 1000:>8.0f}")
    lines.append(f"{'server side':<22} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for key, label in (("server book", "POST book"), ("server my", "GET /my")):
        p50, p95, count, queries = result[key]
        lines.append(f"{label:<22} {count:>6} {p50 * 1000:>8.0f} {p95 * 1000:>8.0f} {queries:>8.0f}")
    book_p95, home_p95 = result["book"][1], result["my"][1]
    ratio = book_p95 / home_p95 if home_p95 else float("inf")
    lines.append(f"ratio p95 book / p95 /my: {ratio:.2f} (target <= 1.5, and book p95 < 300 ms)")
    lines.append("answers: " + ", ".join(f"{key}: {value}" for key, value in sorted(result["counts"].items())))
    lines.append(f"bookings in the database: {result['bookings']}, double bookings: {result['doubles']}")
    lines.append(
        f"confirmation mails written: {result['mails']} (worker and practitioner of each booking),"
        f" {result['pending']} bookings still waiting, {result['drained']:.1f} s after the last answer"
    )
    confirmed = result["confirmations"]
    lines.append(
        f"confirmations (mails with the calendar file): {confirmed['pairs']} (booking, recipient) pairs,"
        f" {confirmed['duplicates']} told twice, {confirmed['unconfirmed']} bookings told nothing"
    )
    lines.extend(cron_lines(result))
    lines.append(f"wall {result['wall']:.1f} s; server log: {result['log']}")
    return lines


def cron_lines(result):
    crons, cron_log = result["crons"], result["cron log"]
    due_id, due_runs = crons["due"]
    lines = [
        "cron runs in the window (ir_cron_progress): "
        + ", ".join(f"{name}: {runs}" for _id, (name, runs) in sorted(crons["runs"].items()))
    ]
    if due_id:
        lines.append(f"job made due once (#{due_id}): ran {due_runs} time(s) (must be 1)")
    lines.append(
        "job runs started per server (logs): "
        + "; ".join(
            f"server {index + 1}: {sum(jobs.values())}" for index, jobs in sorted(cron_log["per server"].items())
        )
        + f"; runs of one job overlapping in time: {cron_log['overlaps']} (must be 0)"
    )
    return lines


def problems(result):
    """What a run broke: double bookings, a confirmation missing or sent
    twice, a job run twice (or on a server without cron), a session not
    shared, a server error."""
    found = []
    if result["doubles"]:
        found.append(f"{result['doubles']} double bookings")
    confirmed = result["confirmations"]
    if confirmed["duplicates"]:
        found.append(f"{confirmed['duplicates']} confirmations sent twice")
    if confirmed["unconfirmed"] or result["pending"]:
        found.append(f"{confirmed['unconfirmed']} bookings without confirmation ({result['pending']} pending)")
    due_id, due_runs = result["crons"]["due"]
    if due_id and due_runs != 1:
        found.append(f"the job made due once ran {due_runs} times")
    cron_log = result["cron log"]
    if cron_log["overlaps"]:
        found.append(f"{cron_log['overlaps']} job runs overlapping another run of the same job")
    idle = [index + 1 for index, jobs in cron_log["per server"].items() if index and jobs]
    if idle:
        found.append(f"jobs run on server(s) {idle}, started with --max-cron-threads=0")
    for key, count in sorted(result["counts"].items()):
        if key.split(" ", 1)[1].startswith(("5", "error")) or (
            key.startswith("my other server") and key != "my other server 200"
        ):
            found.append(f"{count} × {key}")
    return found


def report_servers(results):
    """The runs side by side: one server, then two."""
    lines = [f"{'servers':>7} {'think s':>7} {'book p50':>9} {'book p95':>9} {'/my p50':>8} {'/my p95':>8}  (ms)"]
    for think, result in results:
        lines.append(
            f"{result['servers']:>7} {think:>7g} {result['book'][0] * 1000:>9.0f} {result['book'][1] * 1000:>9.0f}"
            f" {result['my'][0] * 1000:>8.0f} {result['my'][1] * 1000:>8.0f}"
        )
    return lines


def main():
    args = parse_args()
    if args.workers < 2:
        sys.exit("--workers: 2 or more, as in production (prefork)")
    odoo = start_odoo(args.config)
    ensure_addon(odoo, args.config, args.database, "psys_referral")
    registry = odoo.modules.registry.Registry(args.database)
    tag = datetime.now().strftime("%Y%m%d%H%M%S")
    if args.only != "b":
        sys.stdout.write("\n".join(report_availability(odoo, registry, tag)) + "\n")
    if args.only != "a":
        results, broken = [], []
        for index, think in enumerate(args.think):
            for servers in args.servers:
                run = argparse.Namespace(**dict(vars(args), think=think, servers=servers))
                result = bench_booking(odoo, run, registry, f"{tag}{index}{servers}")
                sys.stdout.write("\n".join(report_booking(run, result)) + "\n")
                results.append((think, result))
                broken += [f"{servers} server(s), think {think:g}: {problem}" for problem in problems(result)]
        sys.stdout.write("\n".join(report_servers(results)) + "\n")
        if broken:
            sys.exit("\n".join(broken) + f"\nsee {results[-1][1]['log']}")


def report_availability(odoo, registry, tag):
    lines = ["(a) availability, 1 practitioner, 5 partnerships, 12 months, one busy set"]
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
        lines.append("baseline: Odoo's _work_intervals_batch on the same 5 calendars, minus her busy set (plain)")
        lines.append("target: queries the same for 0, 500 and 2 000 bookings; at most 2x the baseline")
        lines.append(f"{'step':<20} {'slots':>6} {'seconds':>8} {'queries':>8}")
        for name, count, elapsed, queries in results:
            lines.append(f"{name:<20} {count:>6} {elapsed:>8.3f} {queries:>8}")
        cr.rollback()
    return lines


if __name__ == "__main__":
    main()
