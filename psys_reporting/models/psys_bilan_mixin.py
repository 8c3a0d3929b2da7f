from datetime import date, datetime, time, timedelta

import pytz
from babel.dates import format_date as babel_format_date

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import babel_locale_parse

from odoo.addons.psys_base.models.psys_report_hook import ROLE_VOLUNTEER_HOURS

from ..tools.bilan_tables import BilanBuilder
from ..tools.linked_secrecy import InconsistentSystem, protect
from ..tools.register import Scope, build_system, cell_fact, key_str

HEALTH_TARGET_KINDS = ("cmp", "psychologist", "psychiatrist", "doctor")
# PostgreSQL's memory for the sorts and hashes of the bilan's statement.
BILAN_WORK_MEM = "64MB"
COORDINATOR = "psys_base.group_psys_coordinator"
THRESHOLD_FLOOR_PARAM = "psys_reporting.secrecy_threshold_floor"
DEFAULT_THRESHOLD_FLOOR = 11


def _grouping_mask(names, grouped):
    """The value of SQL ``GROUPING(names...)`` for the grouping set ``grouped``."""
    size = len(names)
    return sum(1 << (size - 1 - index) for index, name in enumerate(names) if name not in grouped)


class PsysBilanMixin(models.AbstractModel):
    """What a bilan counts and how: its scope, its edition, the SQL that
    reads the spine, the tables and their statistical secrecy.

    :meth:`_get_bilan_data` computes every figure in one SQL statement (one
    pass over the period's encounters, ``GROUPING SETS``), builds the tables (:class:`BilanBuilder`), then, for a
    published edition, masks the cells so that nothing below the threshold
    can be known or recomputed from this edition together with every edition
    already published for the association (:meth:`_bilan_protect`).
    """

    _name = "psys.bilan.mixin"
    _description = "Bilan scope and figures"
    # The XLSX report action of the model (report_xlsx).
    _bilan_xlsx_report = "psys_reporting.psys_bilan_xlsx_report_action"

    def _default_date_from(self):
        return date(fields.Date.context_today(self).year - 1, 1, 1)

    def _default_date_to(self):
        return date(fields.Date.context_today(self).year - 1, 12, 31)

    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_date_to())
    company_id = fields.Many2one(
        "res.company", string="Association", required=True, default=lambda self: self.env.company
    )
    location_id = fields.Many2one(
        "psys.location",
        string="Antenna",
        domain="[('company_id', '=', company_id)]",
        help="Only the encounters held at this place.",
    )
    territory_id = fields.Many2one(
        "psys.territory",
        help="Only the encounters of people living in this territory or one of its parts.",
    )
    edition = fields.Selection(
        [("published", "Published (statistical secrecy)"), ("internal", "Internal (coordinators only)")],
        required=True,
        default="published",
    )
    secrecy_threshold = fields.Integer(
        string="Secrecy threshold",
        compute="_compute_secrecy_threshold",
        store=True,
        readonly=False,
        help="Published tables mask every figure counting fewer people than this. It cannot be "
        "lower than the floor the administrator sets.",
    )
    secrecy_margin = fields.Integer(
        string="Protection margin",
        help="A masked figure is protected when the values consistent with everything published "
        "span at least this many units. Empty: the threshold.",
    )

    @api.depends("company_id")
    def _compute_secrecy_threshold(self):
        floor = self._secrecy_threshold_floor()
        for bilan in self:
            bilan.secrecy_threshold = max(bilan.company_id.psys_secrecy_threshold or floor, floor)

    @api.constrains("date_from", "date_to", "secrecy_threshold", "secrecy_margin", "edition")
    def _check_bilan_values(self):
        floor = self._secrecy_threshold_floor()
        for bilan in self:
            if bilan.date_from > bilan.date_to:
                raise ValidationError(_("The bilan's period must start before it ends."))
            if bilan.secrecy_threshold < 1:
                raise ValidationError(_("The statistical secrecy threshold must be at least 1."))
            if bilan.edition == "published" and bilan.secrecy_threshold < floor:
                raise ValidationError(
                    _(
                        "A published bilan cannot use a secrecy threshold below %(floor)s "
                        "(the floor set by the administrator).",
                        floor=floor,
                    )
                )
            if bilan.edition == "published" and bilan.secrecy_margin and bilan.secrecy_margin < floor:
                raise ValidationError(
                    _(
                        "A published bilan cannot use a protection margin below %(floor)s "
                        "(the floor set by the administrator).",
                        floor=floor,
                    )
                )

    def _secrecy_margin(self):
        """The protection margin in force: the one set, else the threshold."""
        self.ensure_one()
        return self.secrecy_margin or self.secrecy_threshold

    @api.model
    def _secrecy_threshold_floor(self):
        """The smallest threshold a published bilan may use. Only the
        administrator sets it (system parameter, read-only for others)."""
        # sudo: reading one number of the system parameters, which coordinators
        # cannot read (nor write) themselves.
        value = self.env["ir.config_parameter"].sudo().get_param(THRESHOLD_FLOOR_PARAM)
        try:
            return max(int(value), 1) if value else DEFAULT_THRESHOLD_FLOOR
        except ValueError:
            return DEFAULT_THRESHOLD_FLOOR

    # Access ------------------------------------------------------------

    def _check_bilan_access(self):
        """The queries below read the spine in SQL: check here what record
        rules would have checked (coordinator, own association)."""
        self._psys_check_action("read", COORDINATOR)
        if not self.env.su and not self.env.user.has_group(COORDINATOR):
            raise AccessError(_("Only coordinators can produce the bilan."))
        for bilan in self:
            if not self.env.su and bilan.company_id not in self.env.user.company_ids:
                raise AccessError(_("You cannot produce the bilan of another association."))
            bilan.location_id.check_access("read")
            bilan.territory_id.check_access("read")

    def _get_report_lang(self):
        """The bilan is written in French whenever French is installed."""
        installed = dict(self.env["res.lang"].get_installed())
        return "fr_FR" if "fr_FR" in installed else self.env.lang or "en_US"

    def _bilan_tz(self):
        """The association's time zone: periods, months and days are local."""
        return self.company_id.partner_id.tz or self.env.user.tz or "Europe/Paris"

    # SQL ---------------------------------------------------------------

    def _bilan_bounds(self):
        """The period as naive UTC datetimes (how ``date_start`` is stored):
        from local midnight of the first day to local midnight after the last."""
        tz = pytz.timezone(self._bilan_tz())

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(self.date_from), utc(self.date_to + timedelta(days=1))

    def _bilan_territory_ids(self):
        if not self.territory_id:
            return None
        return SQL(
            "(SELECT id FROM psys_territory WHERE parent_path LIKE %s)",
            f"{self.territory_id.parent_path}%",
        )

    def _bilan_encounter_query(self):
        """The encounters the bilan counts (the ``enc`` CTE)."""
        start, stop = self._bilan_bounds()
        clauses = [
            SQL("e.company_id = %s", self.company_id.id),
            SQL("e.date_start >= %s", start),
            SQL("e.date_start < %s", stop),
        ]
        if self.location_id:
            clauses.append(SQL("e.location_id = %s", self.location_id.id))
        if self.territory_id:
            clauses.append(SQL("e.territory_id IN %s", self._bilan_territory_ids()))
        # The themes are read with each encounter, through the theme table's
        # primary key (encounter, theme): joined afterwards, the planner
        # hashes the whole table, every theme of the history (issue 24).
        return SQL(
            """SELECT e.id, e.beneficiary_id, e.date_start, e.kind, e.visit_type,
                      e.referral_source, e.referral_partner_id, e.participant_count,
                      date_trunc('month', (e.date_start AT TIME ZONE 'UTC') AT TIME ZONE %s)::date AS month,
                      ARRAY(SELECT rel.psys_theme_id FROM psys_encounter_psys_theme_rel rel
                             WHERE rel.psys_encounter_id = e.id) AS themes
                 FROM psys_encounter e
                WHERE %s""",
            self._bilan_tz(),
            SQL(" AND ").join(clauses),
        )

    def _bilan_orientation_query(self):
        """The orientations the bilan counts (the ``orient`` CTE): those of
        the period, at the place and in the territory of their encounter (or
        of their person's territory when they have no encounter). The
        encounter and the person are read one orientation at a time, by
        their primary key: joined, the planner reads every person of the
        association to hash them (issue 24)."""
        clauses = [
            SQL("o.company_id = %s", self.company_id.id),
            SQL("o.date >= %s", self.date_from),
            SQL("o.date <= %s", self.date_to),
        ]
        if self.location_id:
            clauses.append(
                SQL(
                    "(SELECT oe.location_id FROM psys_encounter oe WHERE oe.id = o.encounter_id) = %s",
                    self.location_id.id,
                )
            )
        if self.territory_id:
            clauses.append(
                SQL(
                    """COALESCE((SELECT oe.territory_id FROM psys_encounter oe WHERE oe.id = o.encounter_id),
                                (SELECT ob.territory_id FROM psys_beneficiary ob WHERE ob.id = o.beneficiary_id))
                       IN %s""",
                    self._bilan_territory_ids(),
                )
            )
        return SQL(
            "SELECT o.beneficiary_id, o.target_id, o.date FROM psys_orientation o WHERE %s",
            SQL(" AND ").join(clauses),
        )

    # Each part of the bilan is a list of CTEs (name, query) over ``enc``;
    # the last one gives the rows of the part. They all run in one statement
    # so that the encounters are read once.

    def _bilan_part_encounters(self):
        """Encounters and distinct people by month x kind, month, kind, visit
        type and in all, in one pass over the period's encounters."""
        return [
            (
                "part_encounters",
                SQL(
                    """SELECT month, kind, visit_type, GROUPING(month, kind, visit_type) AS grouping,
                              count(*) AS encounters,
                              count(DISTINCT beneficiary_id) AS people,
                              count(*) FILTER (WHERE beneficiary_id IS NULL) AS anonymous
                         FROM enc
                        GROUP BY GROUPING SETS ((month, kind), (month), (kind), (visit_type), ())"""
                ),
            ),
        ]

    def _bilan_part_headcount(self):
        """Group sessions whose participants were counted, not identified (no
        person recorded): the sessions and the sum of their head counts."""
        return [
            (
                "part_headcount",
                SQL(
                    """SELECT count(*) AS sessions, COALESCE(sum(participant_count), 0) AS participants
                         FROM enc
                        WHERE beneficiary_id IS NULL AND (kind = 'group' OR participant_count > 1)"""
                ),
            )
        ]

    PEOPLE_DIMENSIONS = ("age_bracket", "gender", "territory_id", "bucket", "channel", "structure", "is_new")
    PEOPLE_SETS = (
        ("age_bracket", "gender"),
        ("age_bracket",),
        ("gender",),
        ("territory_id",),
        ("bucket",),
        ("channel",),
        ("structure",),
        ("is_new",),
        (),
    )

    def _bilan_part_people(self):
        """People (identified beneficiaries seen in the period) by age x
        gender, territory, number of visits, how they came (first encounter
        of the period), type of referring structure, new or not."""
        sets = SQL(", ").join(
            SQL("(%s)", SQL(", ").join(SQL.identifier(name) for name in grouped)) for grouped in self.PEOPLE_SETS
        )
        return [
            (
                "per",
                SQL(
                    """SELECT beneficiary_id, count(*) AS visits, bool_or(visit_type = 'first') AS is_new
                         FROM enc
                        WHERE beneficiary_id IS NOT NULL
                        GROUP BY beneficiary_id"""
                ),
            ),
            (
                "firsts",
                SQL(
                    """SELECT DISTINCT ON (beneficiary_id) beneficiary_id, referral_source, referral_partner_id
                         FROM enc
                        WHERE beneficiary_id IS NOT NULL
                        ORDER BY beneficiary_id, date_start, id"""
                ),
            ),
            (
                "person",
                SQL(
                    """SELECT b.age_bracket, b.gender, b.territory_id, per.is_new,
                              CASE WHEN per.visits = 1 THEN '1' WHEN per.visits = 2 THEN '2'
                                   WHEN per.visits <= 5 THEN '3_5' ELSE '6_plus' END AS bucket,
                              COALESCE(f.referral_source, 'unknown') AS channel,
                              COALESCE(rp.psys_structure_type, fr.psys_structure_type,
                                       CASE WHEN f.referral_source = 'structure' THEN 'unspecified' END,
                                       'none') AS structure
                         FROM per
                         JOIN psys_beneficiary b ON b.id = per.beneficiary_id
                         JOIN firsts f ON f.beneficiary_id = per.beneficiary_id
                         LEFT JOIN res_partner rp ON rp.id = f.referral_partner_id
                         LEFT JOIN res_partner fr ON fr.id = b.first_referrer_id"""
                ),
            ),
            (
                "part_people",
                SQL(
                    """SELECT age_bracket, gender, territory_id, bucket, channel, structure, is_new,
                              GROUPING(age_bracket, gender, territory_id, bucket, channel, structure, is_new)
                                  AS grouping,
                              count(*) AS people
                         FROM person
                        GROUP BY GROUPING SETS (%s)""",
                    sets,
                ),
            ),
        ]

    def _bilan_part_tags(self):
        """People per theme (anonymous encounters count one each) and per situation."""
        return [
            (
                "theme_person",
                SQL(
                    """SELECT rel.psys_theme_id, enc.beneficiary_id, count(*) AS visits
                         FROM enc, unnest(enc.themes) AS rel(psys_theme_id)
                        GROUP BY rel.psys_theme_id, enc.beneficiary_id"""
                ),
            ),
            (
                "part_tags",
                SQL(
                    """SELECT 'theme' AS what, psys_theme_id AS res_id,
                              count(beneficiary_id)
                              + COALESCE(sum(visits) FILTER (WHERE beneficiary_id IS NULL), 0) AS people
                         FROM theme_person
                        GROUP BY psys_theme_id
                       UNION ALL
                       SELECT 'situation', rel.psys_situation_tag_id, count(*)
                         FROM per
                         JOIN psys_beneficiary_psys_situation_tag_rel rel
                              ON rel.psys_beneficiary_id = per.beneficiary_id
                        GROUP BY rel.psys_situation_tag_id"""
                ),
            ),
        ]

    def _bilan_part_orientations(self):
        return [
            (
                "part_orientations",
                SQL(
                    """SELECT o.target_id, GROUPING(o.target_id) AS grouping,
                              count(*) AS orientations,
                              count(DISTINCT o.beneficiary_id)
                              + count(*) FILTER (WHERE o.beneficiary_id IS NULL) AS people
                         FROM orient o
                        GROUP BY GROUPING SETS ((o.target_id), ())"""
                ),
            )
        ]

    def _bilan_part_relays(self):
        """Per territory: people seen and oriented, oriented to a health
        professional, and their encounters up to their first orientation."""
        return [
            (
                "ori",
                SQL(
                    """SELECT o.beneficiary_id, min(o.date) AS first_date,
                              bool_or(ot.kind IN %s) AS health
                         FROM orient o
                         JOIN per ON per.beneficiary_id = o.beneficiary_id
                         JOIN psys_orientation_target ot ON ot.id = o.target_id
                        GROUP BY o.beneficiary_id""",
                    HEALTH_TARGET_KINDS,
                ),
            ),
            (
                "relay",
                SQL(
                    # up to the end of the orientation's (local) day, as a
                    # UTC bound: one conversion per person, not per encounter
                    """SELECT ori.beneficiary_id, ori.health, count(enc.id) AS before
                         FROM ori
                         LEFT JOIN enc ON enc.beneficiary_id = ori.beneficiary_id
                                      AND enc.date_start
                                          < ((ori.first_date + 1)::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'
                        GROUP BY ori.beneficiary_id, ori.health""",
                    self._bilan_tz(),
                ),
            ),
            (
                "part_relays",
                SQL(
                    """SELECT b.territory_id, GROUPING(b.territory_id) AS grouping,
                              count(*) AS oriented,
                              count(*) FILTER (WHERE relay.health) AS health,
                              COALESCE(sum(relay.before), 0) AS before
                         FROM relay
                         JOIN psys_beneficiary b ON b.id = relay.beneficiary_id
                        GROUP BY GROUPING SETS ((b.territory_id), ())"""
                ),
            ),
        ]

    def _bilan_query(self):
        """Run every part in one statement; return ``{part: rows}``."""
        ctes = [
            SQL("enc AS MATERIALIZED (%s)", self._bilan_encounter_query()),
            SQL("orient AS MATERIALIZED (%s)", self._bilan_orientation_query()),
        ]
        parts = []
        for builder in (
            self._bilan_part_encounters,
            self._bilan_part_headcount,
            self._bilan_part_people,
            self._bilan_part_tags,
            self._bilan_part_orientations,
            self._bilan_part_relays,
        ):
            for name, query in builder():
                ctes.append(SQL("%s AS (%s)", SQL.identifier(name), query))
                if name.startswith("part_"):
                    parts.append(name)
        selects = SQL(", ").join(
            SQL(
                "(SELECT COALESCE(json_agg(%s), '[]'::json) FROM %s) AS %s",
                SQL.identifier(name),
                SQL.identifier(name),
                SQL.identifier(name),
            )
            for name in parts
        )
        # The per-person groupings of a large association's year hold about
        # 150 000 rows: with PostgreSQL's default work_mem (4 MB) they spill
        # to disk (issue 24). Raised for this statement only.
        cr = self.env.cr
        cr.execute("SELECT current_setting('work_mem')")
        work_mem = cr.fetchone()[0]
        cr.execute(SQL("SET LOCAL work_mem = %s", BILAN_WORK_MEM))
        cr.execute(SQL("WITH %s SELECT %s", SQL(", ").join(ctes), selects))
        row = cr.dictfetchone()
        cr.execute(SQL("SET LOCAL work_mem = %s", work_mem))
        return {name.removeprefix("part_"): row[name] for name in parts}

    @api.model
    def _bilan_split(self, rows, names, sets):
        """Rows of a ``GROUPING SETS`` query, by grouping set."""
        by_mask = {_grouping_mask(names, grouped): grouped for grouped in sets}
        result = {grouped: [] for grouped in sets}
        for row in rows:
            result[by_mask[row["grouping"]]].append(row)
        return result

    @api.model
    def _bilan_volunteer_hours(self, indicators):
        """Volunteer hours to value: the lines whose definition holds the
        volunteer-hours total (see ``psys.report.hook``)."""
        return sum(item.get("value") or 0.0 for item in indicators if item.get("role") == ROLE_VOLUNTEER_HOURS)

    def _bilan_hook_indicators(self):
        return self.env["psys.report.hook"]._get_indicator_lines(self.date_from, self.date_to, self.company_id)

    # Data --------------------------------------------------------------

    def _get_bilan_raw(self):
        """Every figure of the bilan, before tables and secrecy."""
        self.ensure_one()
        self._check_bilan_access()
        # The queries read the tables: write what the ORM still holds.
        for model in ("psys.encounter", "psys.orientation", "psys.beneficiary", "psys.territory", "res.partner"):
            self.env[model].flush_model()
        parts = self._bilan_query()
        for row in parts["encounters"]:
            row["month"] = fields.Date.to_date(row["month"])
        tags = {"theme": {}, "situation": {}}
        for row in parts["tags"]:
            tags[row["what"]][row["res_id"]] = row["people"]
        return {
            "encounters": self._bilan_split(
                parts["encounters"],
                ("month", "kind", "visit_type"),
                [("month", "kind"), ("month",), ("kind",), ("visit_type",), ()],
            ),
            "headcount": parts["headcount"][0],
            "people": self._bilan_split(parts["people"], self.PEOPLE_DIMENSIONS, self.PEOPLE_SETS),
            "tags": tags,
            "orientations": self._bilan_split(parts["orientations"], ("target_id",), [("target_id",), ()]),
            "relays": self._bilan_split(parts["relays"], ("territory_id",), [("territory_id",), ()]),
            "hook": self._bilan_hook_indicators(),
        }

    def _get_bilan_data(self):
        """The bilan's tables, masked when published. Used by the PDF, the
        XLSX and the benchmark."""
        return self._bilan_compute()["data"]

    def _bilan_compute(self):
        """Tables, secrecy and audit: ``{"data", "builder", "masked",
        "secrecy"}`` (``secrecy`` is None for an internal edition)."""
        self.ensure_one()
        raw = self._get_bilan_raw()
        builder = BilanBuilder(self, raw)
        builder.build()
        masked = set()
        secrecy = None
        if self.edition == "published":
            secrecy = self._bilan_protect(builder)
            masked = secrecy["masked"]
            for key, depends in builder.derived.items():
                if any(dep in masked for dep in depends):
                    masked.add(key)
        data = {
            "title": _("Activity report"),
            "company": self.company_id.name,
            "period": _(
                "From %(start)s to %(stop)s",
                start=self._format_date(self.date_from),
                stop=self._format_date(self.date_to),
            ),
            "filters": builder.filter_labels(),
            "published": self.edition == "published",
            "threshold": self.secrecy_threshold,
            "tables": builder.render(masked),
            "masked_count": len(masked),
        }
        return {"data": data, "builder": builder, "masked": masked, "secrecy": secrecy}

    def _format_date(self, value, pattern="d MMMM y"):
        return babel_format_date(value, pattern, locale=babel_locale_parse(self.env.lang or "en_US"))

    # Secrecy across the register ----------------------------------------

    def _bilan_scope(self):
        territories = self.env["psys.territory"].with_context(active_test=False).search_fetch([], ["parent_id"])
        parents = {territory.id: territory.parent_id.id for territory in territories}
        return Scope(self.date_from, self.date_to, self.location_id.id, self.territory_id.id, parents)

    @api.model
    def _bilan_system_keys(self, builder):
        """The cells the secrecy system knows: every counted cell and every
        cell of an equation (ratios follow the cells they come from)."""
        linked = {key for total, members in builder.groups for key in (total, *members)}
        linked |= {key for pair in builder.inequalities for key in pair}
        return [
            key
            for key, (_value, people) in builder.cells.items()
            if key not in builder.derived and (people is not None or key in linked)
        ]

    def _bilan_edition(self, builder, scope=None):
        """This edition in the form of :func:`build_system`."""
        scope = scope or self._bilan_scope()
        keys = self._bilan_system_keys(builder)
        return {
            "id": "new",
            "new": True,
            "cells": [
                {
                    "key": key_str(key),
                    "value": builder.cells[key][0],
                    "people": builder.cells[key][1],
                    "fact": cell_fact(scope, key),
                    "hidden": key in builder.hidden,
                    "masked": False,
                }
                for key in keys
            ],
            "groups": [(key_str(total), [key_str(key) for key in members]) for total, members in builder.groups],
            "inequalities": [(key_str(small), key_str(large)) for small, large in builder.inequalities],
        }

    def _bilan_register_editions(self):
        """The editions already published for the association (withdrawn ones
        too: what was published stays known)."""
        return self.env["psys.bilan"]._register_editions(self.company_id, exclude=self._bilan_register_exclude())

    def _bilan_register_exclude(self):
        return []

    def _bilan_protect(self, builder):
        """Mask this edition so that every masked cell of it and of the
        register, and every difference between related editions that none
        prints, keeps an interval at least ``secrecy_margin`` wide."""
        scope = self._bilan_scope()
        edition = self._bilan_edition(builder, scope)
        editions = [*self._bilan_register_editions(), edition]
        linked = True
        try:
            system, var_of, primary = build_system(editions, self.secrecy_threshold, parents=scope.parents)
            result, unprotected = protect(system, primary, self._secrecy_margin())
        except InconsistentSystem:
            # A figure published earlier contradicts today's data (corrected
            # since): audit each edition with its own equations only.
            linked = False
            system, var_of, primary = build_system(editions, self.secrecy_threshold, link=False)
            result, unprotected = protect(system, primary, self._secrecy_margin())
        by_key = {key_str(key): key for key in builder.cells}
        masked = {
            by_key[cell["key"]]
            for cell in edition["cells"]
            if not cell["hidden"]
            and (
                var_of[("new", cell["key"])] in system.masked
                or (cell["people"] is not None and 0 < cell["people"] < self.secrecy_threshold)
            )
        }
        return {
            "masked": masked,
            "audit": self._bilan_audit_lines(editions, system, var_of, result),
            "differences": len(system.guarded & set(result)),
            "unprotected": list(unprotected),
            "passed": not unprotected,
            "linked": linked,
            "edition": edition,
            "editions": len(editions) - 1,
        }

    @api.model
    def _bilan_audit_lines(self, editions, system, var_of, result):
        """The audit as stored: one line per masked cell of each edition
        (``edition`` is "new" for the one being published), then one per
        difference between related editions left unprotected (``edition``
        "difference", ``editions`` the editions it lies in)."""
        lines = []
        for edition in editions:
            for cell in edition["cells"]:
                var = var_of[(edition["id"], cell["key"])]
                if var in result and not cell["hidden"]:
                    low, high, protected = result[var]
                    lines.append(
                        {
                            "edition": edition["id"],
                            "key": cell["key"],
                            "low": low,
                            "high": high if high != float("inf") else None,
                            "protected": protected,
                        }
                    )
        for var in sorted(system.guarded & set(result), key=repr):
            low, high, protected = result[var]
            if protected:
                continue
            facts = set(system.differences[var])
            related = {edition_id for (edition_id, _key), fact in var_of.items() if fact in facts}
            lines.append(
                {
                    "edition": "difference",
                    "key": var[1],
                    "low": low,
                    "high": high if high != float("inf") else None,
                    "protected": False,
                    "editions": sorted(related, key=str),
                }
            )
        return lines

    # Documents -----------------------------------------------------------

    def _bilan_document_data(self):
        """The data the PDF and the XLSX print, in the report language."""
        self.ensure_one()
        return self.with_context(lang=self._get_report_lang())._get_bilan_data()

    def _bilan_render_xlsx(self):
        """The XLSX file of this bilan (its ``report_xlsx`` report action)."""
        self.ensure_one()
        return self.env["ir.actions.report"]._render_xlsx(self._bilan_xlsx_report, self.ids, data=None)[0]

    def _bilan_file_name(self, extension):
        """``bilan-<from>-<to>[-internal-edition].<extension>``, in the report language."""
        self.ensure_one()
        env = self.with_context(lang=self._get_report_lang()).env
        if self.edition == "internal":
            return env._(
                "bilan-%(start)s-%(stop)s-internal-edition.%(extension)s",
                start=self.date_from,
                stop=self.date_to,
                extension=extension,
            )
        return env._(
            "bilan-%(start)s-%(stop)s.%(extension)s", start=self.date_from, stop=self.date_to, extension=extension
        )
