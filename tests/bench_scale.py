"""Benchmark of psys at ten times the demo's size: a network's decade on one server.

    $V/venv/bin/python tests/bench_scale.py --config $V/odoo.conf [--scale 0.1]
        [--parts bilan,screens,jobs,explain] [--no-update] [--keep-data] [--database NAME]

Creates (or reuses) the database ``psys_bench_scale`` with psys_permanence,
psys_referral and psys_reporting installed without demo data, and fills it
once (plain SQL, not timed, committed and reused while ``--scale`` and the
day are the same: the data is dated from today) with, at scale 1: 10 associations (companies), 150 000 people,
1 000 000 encounters over 10 years with themes and orientations, 200 000
bookings, 50 000 confidential notes with their read log (4 reads each),
100 000 invitation log rows, the permanences' sessions and desk visits, and
10 published bilans in the register of the first association (and yearly
bilans of the others until the register holds 5 000 cells).

The associations are uneven on purpose: the first ("big") holds ten times
the rows of the second ("small"), the others one share each. Every screen is
measured as the role in both, in the same database: the query count must be
the same and the time at most 2x for 10x the rows.

Measures (everything that writes is rolled back):

1. the bilan of the big association's last year and of its CLSM territory
   (``_get_bilan_data``) against a single-scan baseline (one pass over the
   period's encounters with ``GROUPING SETS``); publishing with 10 earlier
   editions in the register (figures, secrecy, audit);
2. the back-office screens through the web client's calls
   (``web_search_read``, ``web_read_group``/``read_group``) and the portal's
   referrals page (``/my/psys/referrals``, its ORM calls as the portal user);
3. the jobs over the whole data, batch by batch as the cron runs them:
   longest batch (the cron commits after each), Python memory growth,
   purge time per person;
4. ``EXPLAIN`` of the queries the indexes serve.
"""

import logging
import os
import resource
import sys
import time
from datetime import date, datetime, timedelta

from benchlib import argument_parser, ensure_addon, start_odoo

from odoo.tools import SQL

DB = "psys_bench_scale"
ADDONS = "psys_permanence,psys_referral,psys_reporting"
# Rows at scale 1.
PEOPLE = 150_000
ENCOUNTERS = 1_000_000
BOOKINGS = 200_000
NOTES = 50_000
READS_PER_NOTE = 4
INVITATION_LOGS = 100_000
# The first association holds 10 shares, the nine others one each (19 shares).
SHARES = (10, 1, 1, 1, 1, 1, 1, 1, 1, 1)
YEARS = 10
# Bookings of the portal structure (partnership 0) of the big and the small one.
PORTAL_BOOKINGS = (5_000, 500)
TOWN_PARTS = 6  # neighbourhoods per town (the CLSM territory)
LOCATIONS = 3
STRUCTURES = 5
MARKER = "psys.bench_scale"
REGISTER_CELLS = 5_000


def log(message):
    sys.stdout.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stdout.flush()


def machine_load():
    load1, load5, load15 = os.getloadavg()
    return f"machine: {os.cpu_count()} CPUs, load average {load1:.2f} {load5:.2f} {load15:.2f} (1, 5, 15 min)"


def company_case(column):
    """SQL: the association's index (0-9) of row number ``column`` by shares."""
    bounds = []
    total = 0
    for index, share in enumerate(SHARES):
        total += share
        bounds.append(f"WHEN {column} %% {sum(SHARES)} < {total} THEN {index}")
    return f"(CASE {' '.join(bounds)} END)"


# Data ------------------------------------------------------------------------


def setup_reference(env, today):
    """Companies, users, places, territories, structures, partnerships and
    permanences with the ORM: a few hundred records."""
    groups = {
        name: env.ref(f"psys_base.group_psys_{name}") for name in ("reception", "therapist", "coordinator", "clinical")
    }
    start = today - timedelta(days=365 * YEARS)
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    companies = []
    for index in range(len(SHARES)):
        company = env["res.company"].create(
            {
                "name": f"Association scale {index}",
                "psys_retention_months": 36,
                "psys_note_log_retention_months": 24,
            }
        )
        company.partner_id.tz = "Europe/Paris"
        env.user.company_ids |= company
        cenv = env(context=dict(env.context, allowed_company_ids=company.ids))
        town = cenv["psys.territory"].create({"name": f"CLSM scale {index}", "kind": "town"})
        parts = cenv["psys.territory"].create(
            [
                {"name": f"Quartier scale {index}.{part}", "parent_id": town.id, "is_qpv": part % 3 == 0}
                for part in range(TOWN_PARTS)
            ]
        )
        locations = cenv["psys.location"].create(
            [{"name": f"Antenne scale {index}.{n}", "company_id": company.id} for n in range(LOCATIONS)]
        )
        structures = cenv["res.partner"].create(
            [
                {
                    "name": f"Structure scale {index}.{n}",
                    "is_company": True,
                    "psys_structure_type": kind,
                    "company_id": company.id,
                }
                for n, kind in enumerate(("ccas", "caf", "mission_locale", "social_centre", "clic"))
            ]
        )

        def user(role, group_names, index=index, company=company):
            return Users.create(
                {
                    "name": f"{role.title()} scale {index}",
                    "login": f"scale_{role}_{index}",
                    "tz": "Europe/Paris",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [(6, 0, [groups[name].id for name in group_names])],
                }
            )

        users = {
            "reception": user("reception", ["reception"]),
            "coordinator": user("coordinator", ["coordinator", "clinical"]),
            # one practitioner per partnership
            "therapists": [user(f"therapist{n}", ["therapist"]) for n in range(STRUCTURES)],
        }
        partnerships = cenv["psys.partnership"].create(
            [
                {
                    "name": f"Convention scale {index}.{n}",
                    "practitioner_id": users["therapists"][n].id,
                    "structure_id": structure.id,
                    "location_id": locations[n % LOCATIONS].id,
                    "date_start": start,
                    "slot_duration": 0.75,
                    "tariff_policy": "funded",
                    "company_id": company.id,
                    "attendance_ids": [(0, 0, {"dayofweek": str(n % 5), "hour_from": 9.0, "hour_to": 17.0})],
                }
                for n, structure in enumerate(structures)
            ]
        )
        portal = Users.create(
            {
                "name": f"Travailleuse sociale scale {index}",
                "login": f"scale_portal_{index}",
                "parent_id": structures[0].id,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, env.ref("base.group_portal").ids)],
            }
        )
        if "booking_user_ids" in partnerships._fields:
            partnerships[0].booking_user_ids = [(4, portal.id)]
        permanences = cenv["psys.permanence"].create(
            [
                {
                    "name": f"Permanence scale {index}.{n}",
                    "location_id": locations[n].id,
                    "company_id": company.id,
                    "date_start": start,
                    "attendance_ids": [(0, 0, {"dayofweek": str(n * 3), "hour_from": 9.0, "hour_to": 17.0})],
                }
                for n in range(2)
            ]
        )
        companies.append(
            {
                "company": company,
                "town": town,
                "territories": [town.id, *parts.ids],
                "locations": locations.ids,
                "structures": structures.ids,
                "users": users,
                "portal": portal,
                "partnerships": partnerships,
                "permanences": permanences,
            }
        )
    env.flush_all()
    return companies


def setup_data(env, scale, today, editions=YEARS):
    """Everything else with INSERT … SELECT generate_series (not timed)."""
    cr = env.cr
    companies = setup_reference(env, today)
    start = today - timedelta(days=365 * YEARS)
    days = (today - start).days
    themes = env["psys.theme"].search([]).ids
    targets = env["psys.orientation.target"].search([]).ids
    tags = env["psys.situation.tag"].search([]).ids
    flat = {
        "companies": [c["company"].id for c in companies],
        "territories": [t for c in companies for t in c["territories"]],
        "locations": [loc for c in companies for loc in c["locations"]],
        "structures": [s for c in companies for s in c["structures"]],
        "therapists": [c["users"]["therapists"][0].id for c in companies],
        "coordinators": [c["users"]["coordinator"].id for c in companies],
    }
    params = {
        **flat,
        "nterr": 1 + TOWN_PARTS,
        "nloc": LOCATIONS,
        "nstruct": STRUCTURES,
        "start": start,
        "days": days,
        "themes": themes,
        "nthemes": len(themes),
        "targets": targets,
        "ntargets": len(targets),
        "tags": tags,
        "ntags": len(tags),
    }

    def run(label, query, count=None):
        started = time.perf_counter()
        cr.execute(query, dict(params, count=count))
        rows = cr.rowcount
        if query.lstrip().startswith("INSERT INTO"):
            # the next statements join what was just inserted: plan them with its size
            cr.execute(SQL("ANALYZE %s", SQL.identifier(query.split()[2])))
        log(f"  {label}: {rows} rows, {time.perf_counter() - started:.1f} s")

    people = max(len(SHARES) * 20, int(PEOPLE * scale))
    run(
        "people",
        f"""
        INSERT INTO psys_beneficiary (company_id, code, age_bracket, gender, state, active,
                                      first_contact_date, territory_id, first_referrer_id)
        SELECT (%(companies)s::int[])[1 + c.idx], 'SCALE-' || i,
               (ARRAY['12_17','18_25','26_39','40_59','60_74','75_plus','unknown'])[1 + i %% 7],
               (ARRAY['female','male','other','undisclosed'])[1 + (i / 7) %% 4],
               'active', TRUE, %(start)s::date,
               CASE WHEN i %% 20 = 0 THEN NULL
                    ELSE (%(territories)s::int[])[1 + c.idx * %(nterr)s + (i / 19) %% %(nterr)s] END,
               CASE WHEN i %% 3 = 0 THEN (%(structures)s::int[])[1 + c.idx * %(nstruct)s + i %% %(nstruct)s] END
          FROM generate_series(1, %(count)s) AS i, LATERAL (SELECT {company_case("i")} AS idx) c
        """,
        people,
    )
    cr.execute(
        """
        CREATE TEMP TABLE scale_people ON COMMIT DROP AS
        SELECT id, company_id, row_number() OVER (PARTITION BY company_id ORDER BY id) - 1 AS rn
          FROM psys_beneficiary WHERE code LIKE 'SCALE-%%';
        CREATE INDEX ON scale_people (company_id, rn);
        CREATE TEMP TABLE scale_company ON COMMIT DROP AS
        SELECT company_id, count(*) AS n, (array_position(%(companies)s::int[], company_id) - 1) AS idx
          FROM scale_people GROUP BY company_id;
        ANALYZE scale_people; ANALYZE scale_company;
        INSERT INTO psys_beneficiary_psys_situation_tag_rel (psys_beneficiary_id, psys_situation_tag_id)
        SELECT id, (%(tags)s::int[])[1 + id %% %(ntags)s] FROM scale_people;
        """,
        params,
    )
    # Encounter j: the association by shares, a person of it (uneven visits),
    # a day in the year the person came, somewhere in the 10 years (rows in
    # date order, as real ones are): many people last came years ago.
    run(
        "encounters",
        f"""
        INSERT INTO psys_encounter (company_id, beneficiary_id, date_start, date_end, duration, kind, location_id,
                                    territory_id, referral_source, referral_partner_id, participant_count,
                                    contribution_amount, visit_type)
        SELECT g.company_id, g.beneficiary_id, g.date_start, g.date_start + interval '1 hour', 1.0, g.kind,
               g.location_id, b.territory_id, g.referral_source, g.referral_partner_id, 1, 0,
               CASE WHEN g.beneficiary_id IS NULL THEN 'unknown'
                    WHEN row_number() OVER (PARTITION BY g.beneficiary_id ORDER BY g.date_start, g.j) = 1
                    THEN 'first' ELSE 'repeat' END
          FROM (SELECT j, sc.company_id,
                       CASE WHEN j %% 50 = 0 THEN NULL ELSE p.id END AS beneficiary_id,
                       %(start)s::timestamp
                           + LEAST(%(days)s - 1, (p.rn * 104729) %% %(days)s + (j::bigint * 31) %% 365)
                             * interval '1 day'
                           + (7 + j %% 10) * interval '1 hour' AS date_start,
                       (ARRAY['individual','individual','individual','phone','outdoor','group'])[1 + j %% 6] AS kind,
                       (%(locations)s::int[])[1 + sc.idx * %(nloc)s + j %% %(nloc)s] AS location_id,
                       (ARRAY['self','structure','structure','health','word_of_mouth', NULL])[1 + j %% 6]
                           AS referral_source,
                       CASE WHEN j %% 3 = 1 THEN (%(structures)s::int[])[1 + sc.idx * %(nstruct)s + j %% %(nstruct)s]
                       END AS referral_partner_id
                  FROM generate_series(1, %(count)s) AS j
                  JOIN scale_company sc ON sc.idx = {company_case("j")}
                  JOIN scale_people p ON p.company_id = sc.company_id AND p.rn = (j::bigint * 7919) %% sc.n) g
          LEFT JOIN psys_beneficiary b ON b.id = g.beneficiary_id
         ORDER BY g.date_start, g.j
        """,
        int(ENCOUNTERS * scale),
    )
    run(
        "encounter themes",
        """
        INSERT INTO psys_encounter_psys_theme_rel (psys_encounter_id, psys_theme_id)
        SELECT e.id, (%(themes)s::int[])[1 + e.id %% %(nthemes)s]
          FROM psys_encounter e JOIN scale_company sc ON sc.company_id = e.company_id WHERE e.id %% 4 <> 0
        """,
    )
    run(
        "orientations",
        """
        INSERT INTO psys_orientation (company_id, encounter_id, beneficiary_id, target_id, date, state)
        SELECT e.company_id, e.id, e.beneficiary_id, (%(targets)s::int[])[1 + e.id %% %(ntargets)s],
               e.date_start::date, 'sent'
          FROM psys_encounter e JOIN scale_company sc ON sc.company_id = e.company_id
         WHERE e.beneficiary_id IS NOT NULL AND e.visit_type = 'repeat' AND e.id %% 12 = 0
        """,
    )
    run(
        "people's first and last activity",
        """
        UPDATE psys_beneficiary b SET first_contact_date = a.first, last_activity_date = a.last
          FROM (SELECT e.beneficiary_id, min(e.date_start)::date AS first, max(e.date_start)::date AS last
                  FROM psys_encounter e JOIN scale_company sc ON sc.company_id = e.company_id
                 WHERE e.beneficiary_id IS NOT NULL GROUP BY e.beneficiary_id) a
         WHERE a.beneficiary_id = b.id
        """,
    )
    setup_bookings(env, companies, scale, run, start, days)
    setup_notes(env, scale, run)
    setup_sessions(env, companies, run, start, today)
    cr.execute(
        "ANALYZE psys_encounter; ANALYZE psys_beneficiary; ANALYZE psys_orientation; ANALYZE psys_booking;"
        "ANALYZE psys_slot; ANALYZE psys_note; ANALYZE psys_note_access_log; ANALYZE psys_invitation_log;"
        "ANALYZE psys_encounter_psys_theme_rel; ANALYZE psys_session; ANALYZE psys_desk_visit;"
        "ANALYZE psys_beneficiary_psys_situation_tag_rel"
    )
    env.invalidate_all()
    setup_register(env, companies[0], today, editions)
    return companies


def setup_bookings(env, companies, scale, run, start, days):
    """One slot per booking, spread over the working hours (8:00-16:00) of
    the 10 years and 3 months ahead;
    the portal structure (partnership 0) of the big and the small
    association has 5 000 and 500 bookings at scale 1."""
    total = int(BOOKINGS * scale)
    rows = []
    for index, company in enumerate(companies):
        share = total * SHARES[index] // sum(SHARES)
        portal = int(PORTAL_BOOKINGS[index] * scale) if index < len(PORTAL_BOOKINGS) else share // STRUCTURES
        others = (share - portal) // (STRUCTURES - 1)
        for n, partnership in enumerate(company["partnerships"]):
            rows.append((partnership.id, portal if n == 0 else others))
    env.cr.execute("CREATE TEMP TABLE scale_load (partnership_id int, n int) ON COMMIT DROP")
    env.cr.executemany("INSERT INTO scale_load VALUES (%s, %s)", rows)
    run(
        "slots",
        """
        INSERT INTO psys_slot (partnership_id, practitioner_id, structure_id, location_id, company_id, active,
                               home_visit, start, stop)
        SELECT l.partnership_id, p.practitioner_id, p.structure_id, p.location_id, p.company_id, TRUE, FALSE,
               s.start, s.start + interval '45 minutes'
          FROM scale_load l JOIN psys_partnership p ON p.id = l.partnership_id,
               LATERAL (SELECT %(start)s::timestamp
                               + (m / 480) * interval '1 day' + (480 + m %% 480) * interval '1 minute' AS start
                          FROM (SELECT k::bigint * (%(days)s + 90) * 480 / l.n AS m
                                  FROM generate_series(0, l.n - 1) AS k) k) s
        ON CONFLICT DO NOTHING
        """,
    )
    run(
        "bookings",
        """
        INSERT INTO psys_booking (slot_id, partnership_id, start, stop, practitioner_id, location_id, beneficiary_id,
                                  beneficiary_code, structure_id, company_id, state, urgency, reminder_sent,
                                  psys_notice_pending)
        SELECT s.id, s.partnership_id, s.start, s.stop, s.practitioner_id, s.location_id, p.id, b.code,
               s.structure_id, s.company_id,
               CASE WHEN s.start > now() AT TIME ZONE 'UTC' THEN 'booked'
                    ELSE (ARRAY['seen','seen','seen','seen','no_show','excused','cancelled'])[1 + s.id %% 7] END,
               'normal', FALSE, FALSE
          FROM psys_slot s
          JOIN scale_company sc ON sc.company_id = s.company_id
          JOIN scale_people p ON p.company_id = s.company_id AND p.rn = (s.id::bigint * 7877) %% sc.n
          JOIN psys_beneficiary b ON b.id = p.id
        """,
    )
    run(
        "invitations",
        """
        INSERT INTO psys_invitation (partnership_id, beneficiary_id, company_id, token_hash, state, expiry)
        SELECT b.partnership_id, b.beneficiary_id, b.company_id, 'scale-' || b.id, 'used', b.start
          FROM psys_booking b JOIN scale_company sc ON sc.company_id = b.company_id WHERE b.id %% 10 = 0
        """,
    )
    run(
        "invitation log",
        """
        INSERT INTO psys_invitation_log (invitation_id, company_id, event, address, date)
        SELECT i.id, i.company_id, 'view', '10.0.' || (i.id %% 250) || '.' || (k %% 250),
               i.expiry - k * interval '1 hour'
          FROM psys_invitation i, generate_series(1, 5) AS k
         WHERE i.token_hash LIKE 'scale-%%'
         LIMIT %(count)s
        """,
        int(INVITATION_LOGS * scale),
    )


def setup_notes(env, scale, run):
    run(
        "notes",
        """
        INSERT INTO psys_note (beneficiary_id, encounter_id, author_id, company_id, body, date)
        SELECT e.beneficiary_id, e.id, (%(therapists)s::int[])[sc.idx + 1], e.company_id,
               '<p>Note scale ' || e.id || '</p>', e.date_start
          FROM psys_encounter e JOIN scale_company sc ON sc.company_id = e.company_id
         WHERE e.beneficiary_id IS NOT NULL AND e.id %% 19 = 1
         LIMIT %(count)s
        """,
        int(NOTES * scale),
    )
    run(
        "notes' read log",
        f"""
        INSERT INTO psys_note_access_log (note_id, beneficiary_id, user_id, company_id, access_type, date)
        SELECT n.id, n.beneficiary_id,
               CASE WHEN k %% 2 = 0 THEN n.author_id ELSE (%(coordinators)s::int[])[sc.idx + 1] END,
               n.company_id, 'read', n.date + k * interval '3 days'
          FROM psys_note n JOIN scale_company sc ON sc.company_id = n.company_id,
               generate_series(1, {READS_PER_NOTE}) AS k
        """,
    )


def setup_sessions(env, companies, run, start, today):
    """Weekly sessions of every permanence over the 10 years, one today, a
    desk visit for one encounter in ten (20 today)."""
    ids = [p.id for c in companies for p in c["permanences"]]
    params = {"permanences": ids, "start": start, "today": today}
    env.cr.execute(
        """
        INSERT INTO psys_session (permanence_id, location_id, company_id, modality, state, date, start, stop)
        SELECT p.id, p.location_id, p.company_id, p.modality, 'planned', d::date, d + interval '8 hours',
               d + interval '16 hours'
          FROM psys_permanence p,
               generate_series(%(start)s::timestamp, %(today)s::timestamp, interval '7 days') AS d
         WHERE p.id = ANY(%(permanences)s)
        ON CONFLICT DO NOTHING;
        INSERT INTO psys_session (permanence_id, location_id, company_id, modality, state, date, start, stop)
        SELECT p.id, p.location_id, p.company_id, p.modality, 'planned', %(today)s::date,
               %(today)s::timestamp + interval '8 hours', %(today)s::timestamp + interval '16 hours'
          FROM psys_permanence p
         WHERE p.id = ANY(%(permanences)s)
           AND NOT EXISTS (SELECT 1 FROM psys_session s WHERE s.permanence_id = p.id AND s.date = %(today)s);
        ANALYZE psys_session;
        """,
        params,
    )
    run(
        "desk visits",
        """
        INSERT INTO psys_desk_visit (session_id, location_id, company_id, beneficiary_id, encounter_id, state,
                                     arrival, referral_source)
        SELECT s.id, s.location_id, s.company_id, e.beneficiary_id, e.id, 'done', e.date_start, 'self'
          FROM psys_encounter e
          JOIN scale_company sc ON sc.company_id = e.company_id
          JOIN LATERAL (SELECT s.id, s.location_id, s.company_id FROM psys_session s
                         WHERE s.company_id = e.company_id AND s.date <= e.date_start::date
                         ORDER BY s.date DESC LIMIT 1) s ON TRUE
         WHERE e.id %% 10 = 0 AND e.date_start::date < CURRENT_DATE
        """,
    )
    env.cr.execute(
        """
        INSERT INTO psys_desk_visit (session_id, location_id, company_id, beneficiary_id, state, arrival,
                                     referral_source)
        SELECT s.id, s.location_id, s.company_id, p.id,
               (ARRAY['arrived','in_interview','done'])[1 + k %% 3], s.start + k * interval '10 minutes', 'self'
          FROM psys_session s
          JOIN scale_people p ON p.company_id = s.company_id AND p.rn < 10,
               generate_series(1, 1) AS k
         WHERE s.date = %(today)s AND s.permanence_id = ANY(%(permanences)s)
        """,
        params,
    )


def setup_register(env, big, today, count=YEARS):
    """10 earlier editions of the big association's bilan, published (their
    cells, secrecy and audit in the register), without their documents."""
    Bilan = env["psys.bilan"].with_company(big["company"])
    year = today.year - 1
    editions = [{"date_from": date(year - n, 1, 1), "date_to": date(year - n, 12, 31)} for n in range(1, YEARS)] + [
        {"date_from": date(year, 1, 1), "date_to": date(year, 3, 31)}
    ]
    editions = editions[-count:]
    attach = type(Bilan)._bilan_attach_documents
    type(Bilan)._bilan_attach_documents = lambda self: None
    try:
        for values in editions:
            started = time.perf_counter()
            Bilan.create(dict(values, edition="published", company_id=big["company"].id)).action_publish()
            log(f"  earlier edition {values['date_from']}..{values['date_to']}: {time.perf_counter() - started:.1f} s")
    finally:
        type(Bilan)._bilan_attach_documents = attach


def top_up_register(env, today):
    """Yearly bilans of the other associations, published, until the
    register holds 5 000 cells (10 editions of one association hold about
    2 000)."""
    Bilan = env["psys.bilan"]
    attach = type(Bilan)._bilan_attach_documents
    type(Bilan)._bilan_attach_documents = lambda self: None
    try:
        for index in range(1, len(SHARES)):
            company = env["res.company"].search([("name", "=", f"Association scale {index}")])
            for year in range(today.year - 2, today.year - YEARS, -1):
                if env["psys.bilan.cell"].search_count([]) >= REGISTER_CELLS:
                    return
                values = {"date_from": date(year, 1, 1), "date_to": date(year, 12, 31), "company_id": company.id}
                if not Bilan.search_count([(key, "=", value) for key, value in values.items()]):
                    Bilan.with_company(company).create(dict(values, edition="published")).action_publish()
    finally:
        type(Bilan)._bilan_attach_documents = attach


def ensure_data(odoo, registry, scale, today, keep_data=False):
    """Fill the database once per scale (committed). Returns the day the
    data is dated from: ``today``, or with ``keep_data`` the day of the data
    already there (the measures then take it as their today)."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        stored = env["ir.config_parameter"].get_param(MARKER)
        if stored and keep_data and stored.split(":")[0] == str(scale):
            today = date.fromisoformat(stored.split(":")[1])
            log(f"reusing the data of scale {scale} dated from {today}")
        elif stored and stored != f"{scale}:{today}":
            sys.exit(
                f"{registry.db_name} holds the data of scale {stored}: drop it, use another --database "
                "or --keep-data (same scale)"
            )
        if not stored:
            log(f"inserting the data at scale {scale} (not timed)…")
            started = time.perf_counter()
            setup_data(env, scale, today)
            env["ir.config_parameter"].set_param(MARKER, f"{scale}:{today}")
            log(f"data inserted in {time.perf_counter() - started:.0f} s")
        if env["psys.bilan.cell"].search_count([]) < REGISTER_CELLS:
            started = time.perf_counter()
            top_up_register(env, today)
            cells = env["psys.bilan.cell"].search_count([])
            log(f"register topped up to {cells} cells in {time.perf_counter() - started:.0f} s")
        # committed when the cursor closes
    return today


def counts(cr):
    tables = (
        "res_company",
        "psys_beneficiary",
        "psys_encounter",
        "psys_encounter_psys_theme_rel",
        "psys_orientation",
        "psys_slot",
        "psys_booking",
        "psys_note",
        "psys_note_access_log",
        "psys_invitation_log",
        "psys_session",
        "psys_desk_visit",
        "psys_bilan",
        "psys_bilan_cell",
    )
    result = {}
    for table in tables:
        cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
        result[table] = cr.fetchone()[0]
    return result


# Measures --------------------------------------------------------------------

RUNS = 3


def best_of(env, work, runs=RUNS):
    """(best seconds, SQL queries of one run, result) of ``work()``, caches
    emptied before each run."""
    cr = env.cr
    best = None
    for _index in range(runs):
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
        count = cr.sql_log_count - queries
    return best, count, result


def best_of_pair(env, first, second, runs=5):
    """(best seconds of ``first()``, best seconds of ``second()``), run in
    turn, caches emptied before each run."""
    best = [None, None]
    for _index in range(runs):
        for position, work in enumerate((first, second)):
            env.invalidate_all()
            started = time.perf_counter()
            work()
            seconds = time.perf_counter() - started
            best[position] = seconds if best[position] is None else min(best[position], seconds)
    return tuple(best)


def rss_mb():
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def reference(env):
    """The big and the small association's records, found by their names."""
    result = []
    for index in range(2):
        company = env["res.company"].search([("name", "=", f"Association scale {index}")])
        users = {
            role: env["res.users"].search([("login", "=", f"scale_{role}_{index}")])
            for role in ("reception", "coordinator", "therapist0", "therapist1", "portal")
        }
        town = env["psys.territory"].search([("name", "=", f"CLSM scale {index}")])
        result.append({"company": company, "users": users, "town": town})
    return result


def baseline(cr, company_id, start, stop, tz, territory=None):
    """The best plain SQL: one pass over the period's encounters
    (materialised once), every table by GROUPING SETS over it or over its
    people, with count(DISTINCT), and the bilan's work_mem; no secrecy, no
    formatting."""
    # the same memory for sorts and hashes as the bilan's statement
    cr.execute("SET LOCAL work_mem = '64MB'")
    where = "e.company_id = %(company)s AND e.date_start >= %(start)s AND e.date_start < %(stop)s"
    if territory:
        where += " AND e.territory_id IN (SELECT id FROM psys_territory WHERE parent_path LIKE %(path)s)"
    cr.execute(
        f"""
        WITH enc AS MATERIALIZED (
            SELECT e.id, e.beneficiary_id, e.kind, e.visit_type, e.date_start, e.referral_source,
                   e.referral_partner_id, e.participant_count,
                   date_trunc('month', (e.date_start AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s) AS month
              FROM psys_encounter e WHERE {where}),
        per AS (
            SELECT beneficiary_id, count(*) AS visits, bool_or(visit_type = 'first') AS is_new,
                   (array_agg(referral_source ORDER BY date_start, id))[1] AS channel,
                   (array_agg(referral_partner_id ORDER BY date_start, id))[1] AS partner
              FROM enc WHERE beneficiary_id IS NOT NULL GROUP BY beneficiary_id),
        encounters AS (
            SELECT month, kind, visit_type, count(*) AS n, count(DISTINCT beneficiary_id) AS people
              FROM enc GROUP BY GROUPING SETS ((month, kind), (month), (kind), (visit_type), ())),
        people AS (
            SELECT b.age_bracket, b.gender, b.territory_id, LEAST(per.visits, 6) AS visits, per.channel,
                   rp.psys_structure_type, per.is_new, count(*) AS n
              FROM per JOIN psys_beneficiary b ON b.id = per.beneficiary_id
              LEFT JOIN res_partner rp ON rp.id = per.partner
             GROUP BY GROUPING SETS ((b.age_bracket, b.gender), (b.age_bracket), (b.gender), (b.territory_id),
                                     (LEAST(per.visits, 6)), (per.channel), (rp.psys_structure_type),
                                     (per.is_new), ())),
        themes AS (
            SELECT rel.psys_theme_id, count(DISTINCT enc.beneficiary_id) AS n
              FROM enc JOIN psys_encounter_psys_theme_rel rel ON rel.psys_encounter_id = enc.id GROUP BY 1),
        situations AS (
            SELECT rel.psys_situation_tag_id, count(*) AS n
              FROM per JOIN psys_beneficiary_psys_situation_tag_rel rel ON rel.psys_beneficiary_id = per.beneficiary_id
             GROUP BY 1),
        orientations AS (
            SELECT o.target_id, count(*) AS n, count(DISTINCT o.beneficiary_id) AS people
              FROM psys_orientation o JOIN enc ON enc.id = o.encounter_id
             GROUP BY GROUPING SETS ((o.target_id), ()))
        SELECT (SELECT json_agg(encounters) FROM encounters), (SELECT json_agg(people) FROM people),
               (SELECT json_agg(themes) FROM themes), (SELECT json_agg(situations) FROM situations),
               (SELECT json_agg(orientations) FROM orientations),
               (SELECT count(*) FILTER (WHERE beneficiary_id IS NULL AND kind = 'group') FROM enc)
        """,
        {
            "company": company_id,
            "start": start,
            "stop": stop,
            "tz": tz,
            "path": territory and f"{territory.parent_path}%",
        },
    )
    result = cr.fetchone()
    cr.execute("RESET work_mem")
    return result


def bench_bilan(env, ref, today):
    year = today.year - 1
    big = ref[0]
    Wizard = env["psys.bilan.wizard"].with_company(big["company"])
    lines = []
    for label, territory in (("association's year", None), ("CLSM territory's year", big["town"])):
        wizard = Wizard.create(
            {
                "date_from": date(year, 1, 1),
                "date_to": date(year, 12, 31),
                "company_id": big["company"].id,
                "territory_id": territory and territory.id,
                "edition": "published",
            }
        )
        env.flush_all()
        seconds, queries, data = best_of(env, wizard._get_bilan_data)
        internal = wizard.copy({"edition": "internal"})
        internal_seconds, _q, _data = best_of(env, internal._get_bilan_data)
        # the figures and the baseline run in turn, so that both see the same
        # machine (its load moves from one second to the next)
        raw_seconds, base = best_of_pair(
            env,
            wizard._get_bilan_raw,
            lambda w=wizard, t=territory: baseline(env.cr, big["company"].id, *w._bilan_bounds(), w._bilan_tz(), t),
        )
        # The figures (every count of the bilan, in SQL) beside the baseline
        # that computes them in plain SQL; the tables and the secrecy come
        # on top of the figures and are measured against the 5 s.
        ratio = raw_seconds / base if base else float("inf")
        verdict = "OK" if ratio <= 1.5 else "ABOVE TARGET"
        env.cr.execute(SQL("SELECT count(*) FROM (%s) enc", wizard._bilan_encounter_query()))
        lines.append(
            f"bilan of the {label} ({env.cr.fetchone()[0]} encounters in the period, {data['masked_count']} masked): "
            f"figures (_get_bilan_raw) {raw_seconds:.2f} s; single-scan baseline {base:.2f} s; ratio {ratio:.2f}x "
            f"(target <= 1.5x): {verdict}"
        )
        lines.append(
            f"    with the tables and secrecy (_get_bilan_data) {seconds:.2f} s, {queries} queries (< 5 s: "
            f"{'OK' if seconds < 5 else 'ABOVE TARGET'}; {seconds / base:.2f}x the baseline), the tables without "
            f"secrecy (internal edition) {internal_seconds:.2f} s ({internal_seconds / base:.2f}x)"
        )
    # publishing over the 10 earlier editions of the register
    Bilan = env["psys.bilan"].with_company(big["company"])
    earlier = Bilan.search_count([("company_id", "=", big["company"].id), ("state", "=", "published")])
    cells = env["psys.bilan.cell"].search_count([("company_id", "=", big["company"].id)])
    bilan = Bilan.create(
        {
            "date_from": date(year, 1, 1),
            "date_to": date(year, 12, 31),
            "company_id": big["company"].id,
            "edition": "published",
        }
    )
    env.flush_all()
    seconds, queries, result = best_of(env, bilan._bilan_compute, runs=1)
    secrecy = result["secrecy"]
    lines.append(
        f"publishing's figures + secrecy + audit over {earlier} earlier editions ({cells} cells in the register): "
        f"{seconds:.2f} s, {queries} queries, {len(result['masked'])} cells masked, "
        f"audit {'passed' if secrecy['passed'] else 'FAILED'}"
    )
    env.invalidate_all()
    started = time.perf_counter()
    bilan.action_publish()
    seconds = time.perf_counter() - started
    verdict = "OK" if seconds < 20 else "ABOVE TARGET"
    lines.append(f"whole publication (with the PDF and the XLSX): {seconds:.2f} s (< 20 s): {verdict}")
    return lines


def list_spec(model, view_type, view_id=False):
    """The web client's ``specification`` for the fields of a view."""
    views = model.get_views([(view_id, view_type)])
    spec = {}
    for name, description in views["models"][model._name]["fields"].items():
        relational = description.get("type") in ("many2one", "many2many", "one2many")
        spec[name] = {"fields": {"display_name": {}}} if relational else {}
    return spec


def screens(env, ref, today):
    """Each screen's calls as its role: ``(label, [(user, callable)])``."""
    year = today.year - 1
    month_start = datetime.combine(today.replace(day=1), datetime.min.time())
    month_stop = month_start + timedelta(days=42)
    result = []
    for company in ref:
        users = company["users"]

        def as_user(role, model, company=company, users=users):
            return env[model].with_user(users[role]).with_company(company["company"])

        beneficiaries = as_user("reception", "psys.beneficiary")
        b_spec = list_spec(beneficiaries, "list")
        env.cr.execute(
            "SELECT code FROM psys_beneficiary WHERE company_id = %s AND state = 'active' ORDER BY id DESC LIMIT 1",
            [company["company"].id],
        )
        code = env.cr.fetchone()[0]
        theme_report = as_user("coordinator", "psys.encounter.theme.report")
        encounter_report = as_user("coordinator", "psys.encounter.report")
        year_domain = [("date", ">=", date(year, 1, 1)), ("date", "<=", date(year, 12, 31))]
        desk = as_user("reception", "psys.desk.visit")
        d_spec = list_spec(desk, "kanban")
        agenda = as_user("therapist1", "psys.slot")
        a_view = env.ref("psys_referral.psys_slot_view_calendar_agenda").id
        a_spec = list_spec(agenda, "calendar", a_view)

        def pivot(model, groupbys, measure, domain):
            # the pivot's calls: total, rows, columns, rows x columns
            for groupby in ([], groupbys[:1], groupbys[1:], groupbys):
                model.read_group(domain, [measure], groupby, lazy=False)

        calls = {
            "beneficiary list (active, 80 first)": lambda m=beneficiaries, sp=b_spec: m.web_search_read(
                [("state", "=", "active")], sp, limit=80, count_limit=10001
            ),
            "beneficiary search by code": lambda m=beneficiaries, sp=b_spec, c=code: m.web_search_read(
                [("state", "=", "active"), ("code", "ilike", c)], sp, limit=80, count_limit=10001
            ),
            "encounter pivot month x theme, one year": lambda m=theme_report, d=year_domain: pivot(
                m, ["date:month", "theme_id"], "people:count_distinct", d
            ),
            "encounter pivot month x kind, one year": lambda m=encounter_report, d=year_domain: pivot(
                m, ["date:month", "kind"], "people:count_distinct", d
            ),
            "desk of the day (today, my antenna)": lambda m=desk, sp=d_spec: m.web_search_read(
                [("session_id.date", "=", today), ("is_my_antenna", "=", True)], sp, limit=40, count_limit=10001
            ),
            "practitioner's agenda, month": lambda m=agenda, sp=a_spec, u=users["therapist1"]: m.web_search_read(
                [("practitioner_id", "=", u.id), ("start", "<", month_stop), ("stop", ">", month_start)], sp
            ),
            "portal /my/psys/referrals (its ORM calls)": lambda u=users["portal"]: portal_referrals(env, u),
        }
        result.append(calls)
    return result


def portal_referrals(env, user):
    """What ``/my/psys/referrals`` reads as the structure's worker: its 500
    latest bookings through the record rules, their statuses, first names
    and the fields the page prints."""
    bookings = env["psys.booking"].with_user(user).search([], limit=500)
    referrals = bookings.sudo().referral_id
    for referral in referrals:
        referral.orientation_ids.sorted("date")
    names = bookings._psys_portal_first_names(user.commercial_partner_id)
    rows = [
        (b.beneficiary_code, b.start, b.state, b.location_name, b.referral_state, b.cancel_reason) for b in bookings
    ]
    return len(rows), len(names)


def shown(result):
    """`` (n shown)`` for a list's answer: the rows the screen displays."""
    if isinstance(result, dict) and "records" in result:
        return f" ({len(result['records'])} shown)"
    return ""


def bench_screens(env, ref, today):
    calls = screens(env, ref, today)
    lines = []
    for label in calls[0]:
        big = best_of(env, calls[0][label])
        small = best_of(env, calls[1][label])
        ratio = big[0] / small[0] if small[0] else float("inf")
        verdict = "OK" if ratio <= 2 and big[1] == small[1] else "ABOVE TARGET"
        lines.append(
            f"{label:45} big {big[0] * 1000:7.1f} ms {big[1]:3} queries{shown(big[2])} | "
            f"small {small[0] * 1000:7.1f} ms {small[1]:3} queries{shown(small[2])} | "
            f"{ratio:5.2f}x (<= 2x, same queries): {verdict}"
        )
    return lines


JOBS = (
    ("retention purge", "psys_base.ir_cron_psys_anonymise_inactive"),
    ("notes' read log retention", "psys_base.ir_cron_psys_note_access_log_purge"),
    ("invitation log purge", "psys_referral.ir_cron_psys_invitation_log_purge"),
    ("booking reminders", "psys_referral.ir_cron_psys_booking_reminders"),
    ("slot generation", "psys_referral.ir_cron_psys_generate_slots"),
    ("session generation", "psys_permanence.ir_cron_psys_generate_sessions"),
)


def run_job(env, xmlid, max_batches=10_000):
    """Run a job as the cron runner does: batch after batch while it says
    some remain (each batch its own transaction in production). Returns
    (batches, longest batch, total seconds, done, memory growth MB)."""
    cron = env.ref(xmlid)
    memory = rss_mb()
    longest = total = 0.0
    batches = done = 0
    while batches < max_batches:
        runner, progress = cron._add_progress()
        started = time.perf_counter()
        runner._callback(cron.cron_name, cron.ir_actions_server_id.id)
        env.flush_all()
        seconds = time.perf_counter() - started
        batches += 1
        longest = max(longest, seconds)
        total += seconds
        done += progress.done
        if progress.remaining:
            log(f"    {cron.cron_name}: batch {batches}, {progress.done} done, {progress.remaining} remaining")
        env.invalidate_all()
        if not progress.remaining or not progress.done:
            break
    return batches, longest, total, done, rss_mb() - memory


def bench_jobs(env, ref):
    lines = []
    for label, xmlid in JOBS:
        with env.cr.savepoint(flush=False) as savepoint:
            batches, longest, total, done, memory = run_job(env, xmlid)
            savepoint.rollback()
        verdict = "OK" if longest < 10 else "ABOVE TARGET"
        lines.append(
            f"{label:28} {batches:4} batches, {done:7} done, longest {longest:6.2f} s (< 10 s: {verdict}), "
            f"total {total:6.2f} s, memory +{memory:.0f} MB"
        )
    # the purge's time per person: 100 then 1 000 people of the big one
    Beneficiary = env["psys.beneficiary"].with_context(active_test=False)
    for count in (100, 1000):
        people = Beneficiary.search(
            [("company_id", "=", ref[0]["company"].id), ("state", "=", "active")], limit=count, order="id"
        )
        with env.cr.savepoint(flush=False) as savepoint:
            started = time.perf_counter()
            people._psys_anonymise()
            env.flush_all()
            seconds = time.perf_counter() - started
            savepoint.rollback()
        env.invalidate_all()
        lines.append(
            f"purge of {len(people):5} people: {seconds:6.2f} s, {seconds / len(people) * 1000:6.1f} ms per person"
        )
    return lines


EXPLAINS = (
    (
        "beneficiary list",
        "SELECT id FROM psys_beneficiary WHERE company_id = %(company)s AND state = 'active' ORDER BY id DESC LIMIT 80",
    ),
    (
        "search by code",
        "SELECT id FROM psys_beneficiary WHERE company_id = %(company)s AND code ILIKE %(code)s LIMIT 80",
    ),
    (
        "bilan's period",
        "SELECT count(*) FROM psys_encounter WHERE company_id = %(company)s "
        "AND date_start >= %(start)s AND date_start < %(stop)s",
    ),
    (
        "bilan's appointments (the referral indicators)",
        "SELECT count(*), count(DISTINCT beneficiary_id) FROM psys_booking WHERE company_id = %(company)s "
        "AND start >= %(start)s AND start < %(stop)s",
    ),
    (
        "pivot month x theme, one year (the view; with the bounds on date_start the ORM adds)",
        "SELECT date_trunc('month', date), theme_id, count(DISTINCT people) FROM psys_encounter_theme_report "
        "WHERE company_id = %(company)s AND date >= %(day_from)s AND date <= %(day_to)s "
        "AND date_start >= %(start)s - interval '1 day' AND date_start < %(stop)s + interval '1 day' GROUP BY 1, 2",
    ),
    (
        "practitioner's agenda, month",
        "SELECT id FROM psys_slot WHERE practitioner_id = %(practitioner)s AND active "
        "AND start < %(month_stop)s AND stop > %(month_start)s ORDER BY start",
    ),
    (
        "portal's bookings",
        "SELECT id FROM psys_booking WHERE structure_id = %(structure)s ORDER BY start DESC, id DESC LIMIT 500",
    ),
    (
        "notes' read log expired",
        "SELECT id FROM psys_note_access_log WHERE company_id = %(company)s AND date < %(limit)s "
        "ORDER BY id LIMIT 1000",
    ),
    (
        "retention purge candidates",
        "SELECT id FROM psys_beneficiary WHERE company_id = %(company)s AND state = 'active' "
        "AND last_activity_date < %(day)s ORDER BY id LIMIT 500",
    ),
)


def bench_explain(env, ref, today):
    company = ref[0]["company"]
    env.cr.execute("SELECT max(code) FROM psys_beneficiary WHERE company_id = %s", [company.id])
    code = env.cr.fetchone()[0]
    portal = ref[0]["users"]["portal"]
    year = today.year - 1
    params = {
        "company": company.id,
        "code": f"%{code}%",
        "start": datetime(year, 1, 1),
        "stop": datetime(year + 1, 1, 1),
        "structure": portal.commercial_partner_id.id,
        "limit": datetime.combine(today, datetime.min.time()) - timedelta(days=730),
        "day": today - timedelta(days=1095),
        "practitioner": ref[0]["users"]["therapist1"].id,
        "month_start": datetime.combine(today.replace(day=1), datetime.min.time()),
        "month_stop": datetime.combine(today.replace(day=1), datetime.min.time()) + timedelta(days=42),
        "day_from": date(year, 1, 1),
        "day_to": date(year, 12, 31),
    }
    lines = []
    for label, query in EXPLAINS:
        env.cr.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + query, params)
        plan = [row[0] for row in env.cr.fetchall()]
        lines.append(f"EXPLAIN {label}:")
        lines.extend(f"    {row}" for row in plan)
    return lines


def main():
    parser = argument_parser(__doc__, DB)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full data (1 = 1 000 000 encounters)")
    parser.add_argument("--parts", default="bilan,screens,jobs,explain", help="what to measure")
    parser.add_argument("--no-update", action="store_true", help="use the database's addons as they are")
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="reuse the data of the same scale inserted on an earlier day (measured as of that day)",
    )
    args = parser.parse_args()
    log(machine_load())
    today = date.today()
    odoo = start_odoo(args.config)
    # psys's module-level _() in comprehensions finds no language: not our subject
    logging.getLogger("odoo.tools.translate").setLevel(logging.ERROR)
    if not args.no_update:
        ensure_addon(odoo, args.config, args.database, ADDONS)
    registry = odoo.modules.registry.Registry(args.database)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    today = ensure_data(odoo, registry, args.scale, today, keep_data=args.keep_data)
    with registry.cursor() as cr:
        log("rows: " + ", ".join(f"{table} {count}" for table, count in counts(cr).items()))
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        ref = reference(env)
        parts = args.parts.split(",")
        try:
            for part, function in (
                ("bilan", lambda: bench_bilan(env, ref, today)),
                ("screens", lambda: bench_screens(env, ref, today)),
                ("jobs", lambda: bench_jobs(env, ref)),
                ("explain", lambda: bench_explain(env, ref, today)),
            ):
                if part in parts:
                    log(f"{part}:")
                    for line in function():
                        log(f"  {line}")
        finally:
            cr.rollback()
    log(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB (was {rss // 1024} MB)")


if __name__ == "__main__":
    main()
