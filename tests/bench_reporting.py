"""Benchmark of the yearly bilan's data computation against a raw SQL baseline.

    $V/venv/bin/python tests/bench_reporting.py --config $V/odoo.conf

Creates (or reuses) the database ``psys_bench_reporting`` with psys_reporting
installed without demo data, then, in one transaction that is rolled back at
the end, inserts with plain SQL (not timed) 15 000 beneficiaries and 100 000
encounters over 3 years (with themes and orientations; a small neighbourhood
and a rare theme give the small cells real bilans have), and times:

- the bilan: ``psys.bilan.wizard._get_bilan_data()``, the method behind the
  PDF and the XLSX (SQL queries, tables, statistical secrecy);
- the baseline: the same tables, each as a plain ``GROUP BY`` query of its
  own over the same rows, with the same local-time period and months
  (encounters by month and kind, people by age, gender, territory, visits,
  channel, structure, new or not, themes, situations, orientations, relays,
  head counts), without totals computed together, secrecy or formatting.

Prints both timings (best of 3), their ratio (target: at most 1.5x, under
2 s) and the bilan's SQL query count.

Then publishing (``psys.bilan``): the yearly bilan of 2022 with secrecy
solved and audited over the register, with 0, 2 and 5 earlier published
editions (2020, 2021, then 2022's first quarter, one neighbourhood and one
antenna): seconds of the figures + secrecy + audit (``_bilan_compute``),
cells masked, cells audited, and the whole publication (with the PDF and the
XLSX) once, with 5 earlier editions. Target: under 10 s.
"""

import sys
import time
from datetime import date, datetime
from datetime import time as clock

import pytz
from benchlib import argument_parser, ensure_addon, start_odoo

DB = "psys_bench_reporting"
BENEFICIARIES = 15_000
ENCOUNTERS = 100_000
ORIENTATIONS = 6_000
START = date(2020, 1, 1)  # 3 years: 2020-2022, far from any real data
DAYS = 3 * 365
RUNS = 3
# Orientation targets counted as a relay to health care (as the bilan does).
HEALTH_KINDS = ("cmp", "psychologist", "psychiatrist", "doctor")


def setup_data(env):
    """Territories, places and structures with the ORM; people, encounters,
    themes and orientations with INSERT … SELECT generate_series."""
    company = env.company
    town = env["psys.territory"].create({"name": "Ville bench", "kind": "town"})
    neighbourhoods = env["psys.territory"].create(
        [{"name": f"Quartier bench {index}", "parent_id": town.id, "is_qpv": index % 3 == 0} for index in range(12)]
    )
    territories = [town.id, *neighbourhoods.ids]
    # Small cells, as real bilans have, so that secrecy and its audit work:
    # a neighbourhood with a handful of people, a theme with a handful of
    # encounters.
    rare = env["psys.territory"].create({"name": "Quartier bench rare", "parent_id": town.id, "is_qpv": True})
    rare_theme = env["psys.theme"].create({"name": "Thème bench rare"})
    locations = env["psys.location"].create([{"name": f"Antenne bench {index}"} for index in range(5)]).ids
    structures = (
        env["res.partner"]
        .create(
            [
                {"name": f"Structure bench {index}", "is_company": True, "psys_structure_type": kind}
                for index, kind in enumerate(("ccas", "caf", "mission_locale", "social_centre", "clic", "town_hall"))
            ]
        )
        .ids
    )
    themes = env["psys.theme"].search([]).ids
    targets = env["psys.orientation.target"].search([]).ids
    tags = env["psys.situation.tag"].search([]).ids
    env.flush_all()
    cr = env.cr
    cr.execute(
        """
        INSERT INTO psys_beneficiary (company_id, code, age_bracket, gender, state, active,
                                      first_contact_date, territory_id, first_referrer_id)
        SELECT %(company)s, 'BENCH-' || i,
               (ARRAY['12_17','18_25','26_39','40_59','60_74','75_plus','unknown'])[1 + i %% 7],
               (ARRAY['female','male','other','undisclosed'])[1 + (i / 7) %% 4],
               'active', TRUE, %(start)s::date,
               CASE WHEN i %% 20 = 0 THEN NULL WHEN i %% 1499 = 0 THEN %(rare)s
                    ELSE (%(territories)s::int[])[1 + i %% %(nterr)s] END,
               CASE WHEN i %% 3 = 0 THEN (%(structures)s::int[])[1 + i %% %(nstruct)s] END
          FROM generate_series(1, %(count)s) AS i
        RETURNING id
        """,
        {
            "company": company.id,
            "start": START,
            "territories": territories,
            "nterr": len(territories),
            "rare": rare.id,
            "structures": structures,
            "nstruct": len(structures),
            "count": BENEFICIARIES,
        },
    )
    first_id = min(row[0] for row in cr.fetchall())
    cr.execute(
        """
        INSERT INTO psys_beneficiary_psys_situation_tag_rel (psys_beneficiary_id, psys_situation_tag_id)
        SELECT id, (%(tags)s::int[])[1 + id %% %(ntags)s] FROM psys_beneficiary WHERE code LIKE 'BENCH-%%'
        """,
        {"tags": tags, "ntags": len(tags)},
    )
    # Encounter i belongs to beneficiary (i * 7919) mod 15000: uneven visits
    # per person. Rows are inserted in date order, as real encounters are, and
    # carry what the ORM computes (the person's territory, first or repeat).
    cr.execute(
        """
        INSERT INTO psys_encounter (company_id, beneficiary_id, date_start, duration, kind, location_id,
                                    territory_id, referral_source, referral_partner_id, participant_count,
                                    contribution_amount, visit_type)
        SELECT %(company)s, g.beneficiary_id, g.date_start, 1.0,
               (ARRAY['individual','individual','individual','phone','outdoor','group'])[1 + g.i %% 6],
               (%(locations)s::int[])[1 + g.i %% %(nloc)s],
               b.territory_id,
               (ARRAY['self','structure','structure','health','word_of_mouth', NULL])[1 + g.i %% 6],
               CASE WHEN g.i %% 3 = 1 THEN (%(structures)s::int[])[1 + g.i %% %(nstruct)s] END,
               1, 0,
               CASE WHEN g.beneficiary_id IS NULL THEN 'unknown'
                    WHEN row_number() OVER (PARTITION BY g.beneficiary_id ORDER BY g.date_start, g.i) = 1
                    THEN 'first' ELSE 'repeat' END
          FROM (SELECT i,
                       CASE WHEN i %% 50 = 0 THEN NULL ELSE %(first)s + (i * 7919) %% %(people)s END AS beneficiary_id,
                       %(start)s::timestamp + ((i::bigint * 104729) %% (%(days)s * 24)) * interval '1 hour'
                           AS date_start
                  FROM generate_series(1, %(count)s) AS i) g
          LEFT JOIN psys_beneficiary b ON b.id = g.beneficiary_id
         ORDER BY g.date_start, g.i
        """,
        {
            "company": company.id,
            "first": first_id,
            "people": BENEFICIARIES,
            "start": START,
            "days": DAYS,
            "locations": locations,
            "nloc": len(locations),
            "structures": structures,
            "nstruct": len(structures),
            "count": ENCOUNTERS,
        },
    )
    cr.execute(
        """
        INSERT INTO psys_encounter_psys_theme_rel (psys_encounter_id, psys_theme_id)
        SELECT id, CASE WHEN id %% 9973 = 0 THEN %(rare_theme)s ELSE (%(themes)s::int[])[1 + id %% %(nthemes)s] END
          FROM psys_encounter WHERE company_id = %(company)s AND id %% 4 <> 0;
        INSERT INTO psys_orientation (company_id, encounter_id, beneficiary_id, target_id, date)
        SELECT e.company_id, e.id, e.beneficiary_id, (%(targets)s::int[])[1 + e.id %% %(ntargets)s],
               e.date_start::date
          FROM psys_encounter e
         WHERE e.company_id = %(company)s AND e.beneficiary_id IS NOT NULL AND e.visit_type = 'repeat'
           AND e.id %% 12 = 0
         ORDER BY e.id
         LIMIT %(orientations)s;
        ANALYZE psys_encounter; ANALYZE psys_beneficiary; ANALYZE psys_orientation;
        ANALYZE psys_encounter_psys_theme_rel; ANALYZE psys_beneficiary_psys_situation_tag_rel;
        """,
        {
            "company": company.id,
            "themes": themes,
            "nthemes": len(themes),
            "rare_theme": rare_theme.id,
            "targets": targets,
            "ntargets": len(targets),
            "orientations": ORIENTATIONS,
        },
    )
    env.invalidate_all()


def baseline(cr, company_id):
    """The bilan's tables, each as a plain GROUP BY query of its own over the
    same rows: the same period and months in the association's time zone,
    no totals computed together, no secrecy, no formatting."""
    tz = "Europe/Paris"
    params = {
        "company": company_id,
        "start": local_midnight_utc(START, tz),
        "stop": local_midnight_utc(date(2023, 1, 1), tz),
        "tz": tz,
        "day_from": START,
        "day_to": date(2022, 12, 31),
        "health": HEALTH_KINDS,
    }
    enc = """(SELECT e.*, date_trunc('month', (e.date_start AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s) AS month
                FROM psys_encounter e
               WHERE e.company_id = %(company)s AND e.date_start >= %(start)s AND e.date_start < %(stop)s) e"""
    person = f"""(SELECT e.beneficiary_id, count(*) AS visits, bool_or(e.visit_type = 'first') AS is_new,
                         (array_agg(e.referral_source ORDER BY e.date_start, e.id))[1] AS channel,
                         (array_agg(e.referral_partner_id ORDER BY e.date_start, e.id))[1] AS partner
                    FROM {enc} WHERE e.beneficiary_id IS NOT NULL GROUP BY e.beneficiary_id) p
                    JOIN psys_beneficiary b ON b.id = p.beneficiary_id"""
    oriented = """psys_orientation o WHERE o.company_id = %(company)s
                  AND o.date >= %(day_from)s AND o.date <= %(day_to)s"""
    queries = [
        # encounters and people by month x kind, month, kind, visit type, in all
        *(
            f"SELECT {keys} count(*), count(DISTINCT e.beneficiary_id) FROM {enc} {group}"
            for keys, group in (
                ("e.month, e.kind,", "GROUP BY 1, 2"),
                ("e.month,", "GROUP BY 1"),
                ("e.kind,", "GROUP BY 1"),
                ("e.visit_type,", "GROUP BY 1"),
                ("", ""),
            )
        ),
        # head-counted group sessions
        f"""SELECT count(*), sum(e.participant_count) FROM {enc}
             WHERE e.beneficiary_id IS NULL AND (e.kind = 'group' OR e.participant_count > 1)""",
        # people by age x gender, age, gender, territory, visits, channel, structure, new or not
        *(
            f"SELECT {keys}, count(*) FROM {person} {joins} GROUP BY {keys}"
            for keys, joins in (
                ("b.age_bracket, b.gender", ""),
                ("b.age_bracket", ""),
                ("b.gender", ""),
                ("b.territory_id", ""),
                ("LEAST(p.visits, 6)", ""),
                ("p.channel", ""),
                ("rp.psys_structure_type", "LEFT JOIN res_partner rp ON rp.id = p.partner"),
                ("p.is_new", ""),
            )
        ),
        # people per theme, per situation
        f"""SELECT rel.psys_theme_id, count(DISTINCT e.beneficiary_id) FROM {enc}
              JOIN psys_encounter_psys_theme_rel rel ON rel.psys_encounter_id = e.id GROUP BY 1""",
        f"""SELECT rel.psys_situation_tag_id, count(*) FROM {person}
              JOIN psys_beneficiary_psys_situation_tag_rel rel ON rel.psys_beneficiary_id = p.beneficiary_id
             GROUP BY 1""",
        # orientations by target, in all
        f"SELECT o.target_id, count(*), count(DISTINCT o.beneficiary_id) FROM {oriented} GROUP BY 1",
        f"SELECT count(*), count(DISTINCT o.beneficiary_id) FROM {oriented}",
        # relays per territory: people oriented, to health, encounters before
        f"""SELECT b.territory_id, count(*), count(*) FILTER (WHERE r.health), sum(r.before)
              FROM (SELECT ori.beneficiary_id, ori.health,
                           (SELECT count(*) FROM {enc} WHERE e.beneficiary_id = ori.beneficiary_id
                                AND (e.date_start AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s < ori.first_date + 1)
                               AS before
                      FROM (SELECT o.beneficiary_id, min(o.date) AS first_date, bool_or(ot.kind IN %(health)s) AS health
                              FROM psys_orientation o JOIN psys_orientation_target ot ON ot.id = o.target_id
                             WHERE o.company_id = %(company)s AND o.date >= %(day_from)s AND o.date <= %(day_to)s
                               AND o.beneficiary_id IS NOT NULL
                             GROUP BY o.beneficiary_id) ori) r
              JOIN psys_beneficiary b ON b.id = r.beneficiary_id
             GROUP BY 1""",
    ]
    rows = 0
    for query in queries:
        cr.execute(query, params)
        rows += len(cr.fetchall())
    return len(queries), rows


def local_midnight_utc(day, tz):
    """Local midnight of ``day`` as a naive UTC datetime (how dates are stored)."""
    zone = pytz.timezone(tz)
    return zone.localize(datetime.combine(day, clock.min)).astimezone(pytz.utc).replace(tzinfo=None)


def bench_register(env):
    """Publish 2022's yearly bilan over 0, 2 and 5 earlier editions."""
    Bilan = env["psys.bilan"]
    neighbourhood = env["psys.territory"].search([("name", "=", "Quartier bench 0")], limit=1)
    antenna = env["psys.location"].search([("name", "=", "Antenne bench 0")], limit=1)
    earlier = [
        {"date_from": date(2020, 1, 1), "date_to": date(2020, 12, 31)},
        {"date_from": date(2021, 1, 1), "date_to": date(2021, 12, 31)},
        {"date_from": date(2022, 1, 1), "date_to": date(2022, 3, 31)},
        {"date_from": date(2022, 1, 1), "date_to": date(2022, 12, 31), "territory_id": neighbourhood.id},
        {"date_from": date(2022, 1, 1), "date_to": date(2022, 12, 31), "location_id": antenna.id},
    ]
    yearly = {"date_from": date(2022, 1, 1), "date_to": date(2022, 12, 31)}
    lines = []
    published = 0
    attach = type(Bilan)._bilan_attach_documents
    for count in (0, 2, 5):
        # the earlier editions, without their documents (not timed)
        type(Bilan)._bilan_attach_documents = lambda self: None
        try:
            for values in earlier[published:count]:
                Bilan.create(dict(values, edition="published")).action_publish()
        finally:
            type(Bilan)._bilan_attach_documents = attach
        published = count
        bilan = Bilan.create(dict(yearly, edition="published"))
        env.flush_all()
        env.invalidate_all()
        started = time.perf_counter()
        result = bilan._bilan_compute()
        seconds = time.perf_counter() - started
        secrecy = result["secrecy"]
        lines.append(
            f"publishing's figures + secrecy + audit with {count} earlier editions: {seconds:.2f} s, "
            f"{len(result['masked'])} cells masked, {len(secrecy['audit'])} masked cells audited, "
            f"audit {'passed' if secrecy['passed'] else 'FAILED'}"
        )
        if count == 5:
            env.invalidate_all()
            started = time.perf_counter()
            bilan.action_publish()
            seconds = time.perf_counter() - started
            verdict = "OK" if seconds < 10 else "ABOVE TARGET"
            lines.append(f"whole publication (PDF, XLSX) with 5 earlier editions: {seconds:.2f} s (< 10 s): {verdict}")
        else:
            bilan.unlink()
    return lines


def best_of(function):
    timings = []
    result = None
    for _index in range(RUNS):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def main():
    args = argument_parser(__doc__, DB).parse_args()
    odoo = start_odoo(args.config)
    ensure_addon(odoo, args.config, args.database, "psys_reporting")
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        started = time.perf_counter()
        setup_data(env)
        setup = time.perf_counter() - started
        wizard = env["psys.bilan.wizard"].create(
            {"date_from": START, "date_to": date(2022, 12, 31), "edition": "published"}
        )
        env.flush_all()

        def bilan():
            env.invalidate_all()
            queries = cr.sql_log_count
            data = wizard._get_bilan_data()
            return data, cr.sql_log_count - queries

        bilan_seconds, (data, queries) = best_of(bilan)
        baseline_seconds, (baseline_queries, _rows) = best_of(lambda: baseline(cr, env.company.id))
        people = next(t for t in data["tables"] if t["code"] == "key_figures")["rows"][0]["cells"][0]["display"]
        register_lines = bench_register(env)
        cr.rollback()
    ratio = bilan_seconds / baseline_seconds if baseline_seconds else float("inf")
    verdict = "OK" if ratio <= 1.5 and bilan_seconds < 2 else "ABOVE TARGET"
    lines = [
        f"data (not timed): {BENEFICIARIES} beneficiaries, {ENCOUNTERS} encounters over 3 years, "
        f"{ORIENTATIONS} orientations, inserted in {setup:.1f} s",
        f"people reached in the bilan: {people}; masked cells: {data['masked_count']}",
        f"bilan data (_get_bilan_data): {bilan_seconds:.3f} s, {queries} SQL queries",
        f"raw SQL GROUP BY baseline:    {baseline_seconds:.3f} s, {baseline_queries} queries (the same tables)",
        f"ratio: {ratio:.2f}x (target <= 1.5x and < 2 s): {verdict}",
        *register_lines,
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
