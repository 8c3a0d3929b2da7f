import base64
import io
from datetime import date, datetime, time, timedelta

from babel.dates import format_date as babel_format_date

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import babel_locale_parse

from odoo.addons.psys_base.models.res_partner import STRUCTURE_TYPES

from ..tools.secrecy import apply_secrecy

try:
    import xlsxwriter
except ImportError:  # pragma: no cover - declared in external_dependencies
    xlsxwriter = None

HEALTH_TARGET_KINDS = ("cmp", "psychologist", "psychiatrist", "doctor")
RECURRENCE_BUCKETS = ("1", "2", "3_5", "6_plus")
COORDINATOR = "psys_base.group_psys_coordinator"
# Hook indicators holding the total of volunteer hours (the per-role and
# per-volunteer breakdowns of the same hours must not be added to it).
VOLUNTEER_HOURS_CODES = ("permanence_volunteer_hours",)


def _grouping_mask(names, grouped):
    """The value of SQL ``GROUPING(names...)`` for the grouping set ``grouped``."""
    size = len(names)
    return sum(1 << (size - 1 - index) for index, name in enumerate(names) if name not in grouped)


class PsysBilanWizard(models.TransientModel):
    """The yearly bilan: a French PDF and an XLSX with the same tables.

    :meth:`_get_bilan_data` computes everything with a few SQL ``GROUP BY``
    queries, builds the tables, then applies statistical secrecy when the
    output is published.
    """

    _name = "psys.bilan.wizard"
    _description = "Yearly bilan"

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
    mode = fields.Selection(
        [("published", "Published (statistical secrecy)"), ("internal", "Internal (coordinators only)")],
        required=True,
        default="published",
    )
    secrecy_threshold = fields.Integer(
        string="Secrecy threshold",
        compute="_compute_secrecy_threshold",
        store=True,
        readonly=False,
        help="Published tables mask every figure counting fewer people than this.",
    )
    xlsx_file = fields.Binary(string="Spreadsheet", readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    @api.depends("company_id")
    def _compute_secrecy_threshold(self):
        for wizard in self:
            wizard.secrecy_threshold = wizard.company_id.psys_secrecy_threshold or 11

    @api.constrains("date_from", "date_to", "secrecy_threshold")
    def _check_bilan_values(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The bilan's period must start before it ends."))
            if wizard.secrecy_threshold < 1:
                raise ValidationError(_("The statistical secrecy threshold must be at least 1."))

    # Actions -----------------------------------------------------------

    def action_print_pdf(self):
        self.ensure_one()
        self._check_bilan_access()
        return self.env.ref("psys_reporting.psys_bilan_report_action").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_bilan_access()
        self.write(
            {
                "xlsx_file": base64.b64encode(self._render_xlsx()),
                "xlsx_filename": _("bilan-%(start)s-%(stop)s.xlsx", start=self.date_from, stop=self.date_to),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=xlsx_file"
            "&filename_field=xlsx_filename&download=true",
            "target": "self",
        }

    # Access ------------------------------------------------------------

    def _check_bilan_access(self):
        """The queries below read the spine in SQL: check here what record
        rules would have checked (coordinator, own association)."""
        self._psys_check_action("write", COORDINATOR)
        if not self.env.su and not self.env.user.has_group(COORDINATOR):
            raise AccessError(_("Only coordinators can produce the bilan."))
        for wizard in self:
            if not self.env.su and wizard.company_id not in self.env.user.company_ids:
                raise AccessError(_("You cannot produce the bilan of another association."))
            wizard.location_id.check_access("read")
            wizard.territory_id.check_access("read")

    def _get_report_lang(self):
        """The bilan is written in French whenever French is installed."""
        installed = dict(self.env["res.lang"].get_installed())
        return "fr_FR" if "fr_FR" in installed else self.env.lang or "en_US"

    # SQL ---------------------------------------------------------------

    def _bilan_bounds(self):
        return datetime.combine(self.date_from, time.min), datetime.combine(self.date_to + timedelta(days=1), time.min)

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
        return SQL(
            """SELECT e.id, e.beneficiary_id, e.date_start, e.kind, e.visit_type,
                      e.referral_source, e.referral_partner_id,
                      date_trunc('month', e.date_start)::date AS month
                 FROM psys_encounter e
                WHERE %s""",
            SQL(" AND ").join(clauses),
        )

    def _bilan_orientation_where(self):
        clauses = [
            SQL("o.company_id = %s", self.company_id.id),
            SQL("o.date >= %s", self.date_from),
            SQL("o.date <= %s", self.date_to),
        ]
        if self.location_id:
            clauses.append(SQL("oe.location_id = %s", self.location_id.id))
        if self.territory_id:
            clauses.append(SQL("COALESCE(oe.territory_id, ob.territory_id) IN %s", self._bilan_territory_ids()))
        return SQL(" AND ").join(clauses)

    # Each part of the bilan is a list of CTEs (name, query) over ``enc``;
    # the last one gives the rows of the part. They all run in one statement
    # so that the encounters are read once.

    def _bilan_part_encounters(self):
        """Encounters and distinct people by month x kind, month, kind, visit
        type and in all. A first level groups by person too (hashable, no
        ``count(DISTINCT)``): each of its rows is one person in one cell."""
        return [
            (
                "enc_person",
                SQL(
                    """SELECT month, kind, visit_type, beneficiary_id,
                              GROUPING(month, kind, visit_type) AS grouping, count(*) AS visits
                         FROM enc
                        GROUP BY GROUPING SETS ((month, kind, beneficiary_id), (month, beneficiary_id),
                                                (kind, beneficiary_id), (visit_type, beneficiary_id),
                                                (beneficiary_id))"""
                ),
            ),
            (
                "part_encounters",
                SQL(
                    """SELECT month, kind, visit_type, grouping,
                              sum(visits) AS encounters,
                              count(beneficiary_id) AS people,
                              COALESCE(sum(visits) FILTER (WHERE beneficiary_id IS NULL), 0) AS anonymous
                         FROM enc_person
                        GROUP BY grouping, month, kind, visit_type"""
                ),
            ),
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
                         FROM enc
                         JOIN psys_encounter_psys_theme_rel rel ON rel.psys_encounter_id = enc.id
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
                       SELECT 'situation', rel.tag_id, count(*)
                         FROM per
                         JOIN (SELECT psys_beneficiary_id AS beneficiary_id, psys_situation_tag_id AS tag_id
                                 FROM psys_beneficiary_psys_situation_tag_rel
                                UNION ALL
                               SELECT beneficiary_id, tag_id
                                 FROM psys_beneficiary_clinical_tag_rel) rel
                              ON rel.beneficiary_id = per.beneficiary_id
                        GROUP BY rel.tag_id"""
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
                         FROM psys_orientation o
                         LEFT JOIN psys_encounter oe ON oe.id = o.encounter_id
                         LEFT JOIN psys_beneficiary ob ON ob.id = o.beneficiary_id
                        WHERE %s
                        GROUP BY GROUPING SETS ((o.target_id), ())""",
                    self._bilan_orientation_where(),
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
                         FROM psys_orientation o
                         JOIN per ON per.beneficiary_id = o.beneficiary_id
                         JOIN psys_orientation_target ot ON ot.id = o.target_id
                         LEFT JOIN psys_encounter oe ON oe.id = o.encounter_id
                         LEFT JOIN psys_beneficiary ob ON ob.id = o.beneficiary_id
                        WHERE %s
                        GROUP BY o.beneficiary_id""",
                    HEALTH_TARGET_KINDS,
                    self._bilan_orientation_where(),
                ),
            ),
            (
                "relay",
                SQL(
                    """SELECT ori.beneficiary_id, ori.health, count(enc.id) AS before
                         FROM ori
                         LEFT JOIN enc ON enc.beneficiary_id = ori.beneficiary_id
                                      AND enc.date_start < ori.first_date + 1
                        GROUP BY ori.beneficiary_id, ori.health"""
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
        ctes = [SQL("enc AS MATERIALIZED (%s)", self._bilan_encounter_query())]
        parts = []
        for builder in (
            self._bilan_part_encounters,
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
        self.env.cr.execute(SQL("WITH %s SELECT %s", SQL(", ").join(ctes), selects))
        row = self.env.cr.dictfetchone()
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
        """Volunteer hours to value: the rota's total (psys_permanence), or
        else every Psys du cœur indicator counted in hours."""
        totals = [item for item in indicators if item.get("code") in VOLUNTEER_HOURS_CODES]
        if not totals:
            totals = [
                item for item in indicators if item.get("family") == "psys_du_coeur" and item.get("unit") == "hours"
            ]
        return sum(item.get("value") or 0.0 for item in totals)

    def _bilan_hook_indicators(self):
        return self.env["psys.report.hook"]._get_indicators(self.date_from, self.date_to, self.company_id)

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
            "people": self._bilan_split(parts["people"], self.PEOPLE_DIMENSIONS, self.PEOPLE_SETS),
            "tags": tags,
            "orientations": self._bilan_split(parts["orientations"], ("target_id",), [("target_id",), ()]),
            "relays": self._bilan_split(parts["relays"], ("territory_id",), [("territory_id",), ()]),
            "hook": self._bilan_hook_indicators(),
        }

    def _get_bilan_data(self):
        """The bilan's tables, masked when published. Used by the PDF, the
        XLSX and the benchmark."""
        self.ensure_one()
        raw = self._get_bilan_raw()
        builder = _BilanBuilder(self, raw)
        builder.build()
        masked = set()
        if self.mode == "published":
            masked = apply_secrecy(builder.cells, builder.groups, self.secrecy_threshold)
            for key, depends in builder.derived.items():
                if any(dep in masked for dep in depends):
                    masked.add(key)
        return {
            "title": _("Activity report"),
            "company": self.company_id.name,
            "period": _(
                "From %(start)s to %(stop)s",
                start=self._format_date(self.date_from),
                stop=self._format_date(self.date_to),
            ),
            "filters": builder.filter_labels(),
            "published": self.mode == "published",
            "threshold": self.secrecy_threshold,
            "tables": builder.render(masked),
            "masked_count": len(masked),
        }

    def _format_date(self, value, pattern="d MMMM y"):
        return babel_format_date(value, pattern, locale=babel_locale_parse(self.env.lang or "en_US"))

    # XLSX --------------------------------------------------------------

    def _render_xlsx(self):
        self.ensure_one()
        data = self.with_context(lang=self._get_report_lang())._get_bilan_data()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format({"bold": True, "bg_color": "#DDE7EE", "border": 1})
        formats = {
            "int": workbook.add_format({"num_format": "0"}),
            "float": workbook.add_format({"num_format": "0.0"}),
            "ratio": workbook.add_format({"num_format": "0.00"}),
            "pct": workbook.add_format({"num_format": '0.0" %"'}),
            "eur": workbook.add_format({"num_format": '#,##0.00" €"'}),
        }
        secret = workbook.add_format({"italic": True, "align": "right"})
        sheet = workbook.add_worksheet(_("Bilan")[:31])
        sheet.set_column(0, 0, 45)
        sheet.set_column(1, 12, 14)
        sheet.write(0, 0, f"{data['title']} - {data['company']}", title)
        sheet.write(1, 0, data["period"])
        row_index = 2
        for label in data["filters"]:
            sheet.write(row_index, 0, label)
            row_index += 1
        if data["published"]:
            sheet.write(
                row_index,
                0,
                _("s: statistical secrecy (fewer than %(threshold)s people)", threshold=data["threshold"]),
            )
            row_index += 1
        for table in data["tables"]:
            row_index += 1
            sheet.write(row_index, 0, table["title"], bold)
            row_index += 1
            for col, label in enumerate(table["header"]):
                sheet.write(row_index, col, label, header)
            row_index += 1
            for row in table["rows"]:
                sheet.write(row_index, 0, row["label"], bold if row["is_total"] else None)
                for col, cell in enumerate(row["cells"], start=1):
                    if cell["masked"]:
                        sheet.write(row_index, col, "s", secret)
                    elif cell["value"] is None:
                        sheet.write(row_index, col, cell["display"])
                    else:
                        sheet.write_number(row_index, col, cell["value"], formats[cell["format"]])
                row_index += 1
        workbook.close()
        return output.getvalue()


class _BilanBuilder:
    """Turns the raw figures into tables of cells, the additive equations
    between them (for secondary secrecy) and, after masking, rows to print."""

    def __init__(self, wizard, raw):
        self.wizard = wizard
        self.env = wizard.env
        self.raw = raw
        self.cells = {}  # key -> (value, people)
        self.groups = []  # (total key, member keys)
        self.derived = {}  # key -> keys it is computed from
        self.formats = {}  # key -> int / float / pct / eur
        self.tables = []
        self._ = self.env._

    # Helpers -----------------------------------------------------------

    def cell(self, key, value, people, fmt="int"):
        self.cells[key] = (value or 0, people)
        self.formats[key] = fmt
        return key

    def ratio(self, key, numerator, denominator, depends, fmt="float", factor=1.0):
        value = round(factor * numerator / denominator, 1) if denominator else 0.0
        self.cells[key] = (value, None)
        self.formats[key] = fmt
        self.derived[key] = depends
        return key

    def table(self, code, title, header, rows, chart=None, note=""):
        self.tables.append({"code": code, "title": title, "header": header, "rows": rows, "chart": chart, "note": note})

    @staticmethod
    def row(label, keys, is_total=False, indent=False):
        return {"label": label, "keys": keys, "is_total": is_total, "indent": indent}

    def selection(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def filter_labels(self):
        wizard, _ = self.wizard, self._
        labels = []
        if wizard.location_id:
            labels.append(_("Antenna: %(name)s", name=wizard.location_id.name))
        if wizard.territory_id:
            labels.append(_("Territory: %(name)s", name=wizard.territory_id.complete_name))
        return labels

    # Tables ------------------------------------------------------------

    def build(self):
        self.build_encounters_cells()
        self.build_people_cells()
        self.build_key_figures()
        self.build_age_gender()
        self.build_territories()
        self.build_months()
        self.build_themes()
        self.build_recurrence()
        self.build_channels()
        self.build_orientations()
        self.build_relays()
        self.build_hook()

    def build_encounters_cells(self):
        encounters = self.raw["encounters"]
        total = (encounters[()] or [{"encounters": 0, "people": 0, "anonymous": 0}])[0]
        self.total_encounters = total["encounters"]
        self.cell(("encounters",), total["encounters"], total["people"] + total["anonymous"])
        visits = {row["visit_type"]: row for row in encounters[("visit_type",)]}
        self.visit_keys = []
        for visit_type in ("first", "repeat", "unknown"):
            row = visits.get(visit_type) or {"encounters": 0, "people": 0, "anonymous": 0}
            key = self.cell(("visit", visit_type), row["encounters"], row["people"] + row["anonymous"])
            self.visit_keys.append(key)
        self.groups.append((("encounters",), list(self.visit_keys)))
        self.visits = {key[1]: self.cells[key][0] for key in self.visit_keys}

    def build_people_cells(self):
        people = self.raw["people"]
        self.total_people = people[()][0]["people"] if people[()] else 0
        self.cell(("people",), self.total_people, self.total_people)
        new = sum(row["people"] for row in people[("is_new",)] if row["is_new"])
        self.cell(("people_new",), new, new)
        self.people_by_territory = {row["territory_id"]: row["people"] for row in people[("territory_id",)]}
        territories = (
            self.env["psys.territory"]
            .with_context(active_test=False)
            .browse([tid for tid in self.people_by_territory if tid])
        )
        qpv = sum(self.people_by_territory[t.id] for t in territories if t.is_qpv)
        rural = sum(self.people_by_territory[t.id] for t in territories if t.is_rural)
        self.cell(("qpv",), qpv, qpv)
        self.cell(("rural",), rural, rural)
        # How people came through a structure.
        structures = {row["structure"]: row["people"] for row in people[("structure",)]}
        self.structures = structures
        partner = sum(count for structure, count in structures.items() if structure != "none")
        self.cell(("partner",), partner, partner)
        none = structures.get("none", 0)
        self.cell(("structure", "none"), none, none)
        self.groups.append((("people",), [("partner",), ("structure", "none")]))

    def build_key_figures(self):
        _ = self._
        relays = self.raw["relays"][()]
        relay_total = relays[0] if relays else {"oriented": 0, "health": 0, "before": 0}
        self.cell(("oriented",), relay_total["oriented"], relay_total["oriented"])
        self.cell(("health",), relay_total["health"], relay_total["health"])
        identified = self.visits["first"] + self.visits["repeat"]
        rows = [
            self.row(_("People reached"), [("people",)]),
            self.row(_("New people (first visit in the period)"), [("people_new",)]),
            self.row(_("Encounters"), [("encounters",)]),
            self.row(_("First visits"), [("visit", "first")], indent=True),
            self.row(_("Repeat visits"), [("visit", "repeat")], indent=True),
            self.row(_("Anonymous encounters"), [("visit", "unknown")], indent=True),
            self.row(
                _("Mean visits per person"),
                [self.ratio(("mean_visits",), identified, self.total_people, [("people",), *self.visit_keys])],
            ),
            self.row(_("People who came through a partner structure"), [("partner",)]),
            self.row(
                _("Share of people who came through a partner structure"),
                [
                    self.ratio(
                        ("partner_share",),
                        self.cells[("partner",)][0],
                        self.total_people,
                        [("partner",), ("people",), ("structure", "none")],
                        fmt="pct",
                        factor=100.0,
                    )
                ],
            ),
            self.row(_("People living in a priority neighbourhood (QPV)"), [("qpv",)]),
            self.row(_("People living in a rural area"), [("rural",)]),
            self.row(_("People oriented to another structure"), [("oriented",)]),
            self.row(
                _("Mean appointments before a relay"),
                [self.ratio(("mean_before_relay",), relay_total["before"], relay_total["oriented"], [("oriented",)])],
            ),
            self.row(_("People who re-engaged a health pathway"), [("health",)]),
            self.row(
                _("Share of people who re-engaged a health pathway"),
                [
                    self.ratio(
                        ("health_share",),
                        relay_total["health"],
                        self.total_people,
                        [("health",), ("people",)],
                        fmt="pct",
                        factor=100.0,
                    )
                ],
            ),
        ]
        hours = self.wizard._bilan_volunteer_hours(self.raw["hook"])
        if hours:
            rate = self.wizard.company_id.psys_volunteer_hourly_rate
            self.cell(("volunteer_hours",), hours, None, fmt="float")
            rows.append(self.row(_("Volunteer hours"), [("volunteer_hours",)]))
            self.cells[("volunteer_value",)] = (round(hours * rate, 2), None)
            self.formats[("volunteer_value",)] = "eur"
            self.derived[("volunteer_value",)] = [("volunteer_hours",)]
            rate_label = f"{rate:g}"
            rows.append(
                self.row(
                    _("Valorisation of volunteer work (%(rate)s €/h)", rate=rate_label),
                    [("volunteer_value",)],
                )
            )
        self.table("key_figures", _("Key figures"), [_("Indicator"), _("Value")], rows)

    def build_age_gender(self):
        _ = self._
        people = self.raw["people"]
        cells = {(r["age_bracket"], r["gender"]): r["people"] for r in people[("age_bracket", "gender")]}
        by_age = {r["age_bracket"]: r["people"] for r in people[("age_bracket",)]}
        by_gender = {r["gender"]: r["people"] for r in people[("gender",)]}
        ages = [(code, label) for code, label in self.selection("psys.beneficiary", "age_bracket").items()]
        genders = [(code, label) for code, label in self.selection("psys.beneficiary", "gender").items()]
        extra_ages = [(code, code) for code in by_age if code not in dict(ages)]
        extra_genders = [(code, code) for code in by_gender if code not in dict(genders)]
        ages += extra_ages
        genders += extra_genders
        rows = []
        for age, label in ages:
            keys = []
            for gender, _label in genders:
                value = cells.get((age, gender), 0)
                keys.append(self.cell(("ag", age, gender), value, value))
            total = by_age.get(age, 0)
            total_key = self.cell(("ag", age, None), total, total)
            self.groups.append((total_key, list(keys)))
            rows.append(self.row(label, keys + [total_key]))
        total_keys = []
        for gender, _label in genders:
            value = by_gender.get(gender, 0)
            key = self.cell(("ag", None, gender), value, value)
            self.groups.append((key, [("ag", age, gender) for age, _l in ages]))
            total_keys.append(key)
        self.groups.append((("people",), list(total_keys)))
        self.groups.append((("people",), [("ag", age, None) for age, _l in ages]))
        rows.append(self.row(_("Total"), total_keys + [("people",)], is_total=True))
        chart = [(label, ("ag", age, None)) for age, label in ages]
        self.table(
            "age_gender",
            _("People by age bracket and gender"),
            [_("Age bracket")] + [label for _code, label in genders] + [_("Total")],
            rows,
            chart=chart,
        )

    def _territory_levels(self):
        """For each territory id with people: (level-1 id, level-2 id or None)."""
        ids = [tid for tid in self.people_by_territory if tid]
        territories = self.env["psys.territory"].with_context(active_test=False).browse(ids)
        paths = {t.id: [int(part) for part in t.parent_path.split("/") if part] for t in territories}
        every = {tid for path in paths.values() for tid in path}
        kinds = {t.id: t.kind for t in self.env["psys.territory"].with_context(active_test=False).browse(list(every))}
        levels = {}
        for tid, path in paths.items():
            towns = [ancestor for ancestor in path if kinds.get(ancestor) == "town"]
            level1 = towns[-1] if towns else path[0]
            position = path.index(level1)
            levels[tid] = (level1, path[position + 1] if position + 1 < len(path) else None)
        return levels

    def build_territories(self):
        _ = self._
        Territory = self.env["psys.territory"].with_context(active_test=False)
        levels = self._territory_levels()
        town_people, child_people, direct_people = {}, {}, {}
        for tid, (level1, level2) in levels.items():
            count = self.people_by_territory[tid]
            town_people[level1] = town_people.get(level1, 0) + count
            if level2:
                child_people.setdefault(level1, {})
                child_people[level1][level2] = child_people[level1].get(level2, 0) + count
            else:
                direct_people[level1] = direct_people.get(level1, 0) + count
        shown = list(town_people) + [child for children in child_people.values() for child in children]
        names = {territory.id: territory.name for territory in Territory.browse(shown)}
        towns = sorted(town_people, key=lambda tid: names[tid])
        unknown = self.people_by_territory.get(None, 0)
        town_rows, child_rows = [], []
        self.neighbourhood_rows = []  # (label, key, territory ids under it)
        for town in towns:
            town_key = self.cell(("terr", town), town_people[town], town_people[town])
            town_rows.append(self.row(names[town], [town_key]))
            child_rows.append(self.row(names[town], [town_key], is_total=True))
            members = []
            children = child_people.get(town, {})
            for child in sorted(children, key=lambda tid: names[tid]):
                key = self.cell(("terr", child), children[child], children[child])
                members.append(key)
                child_rows.append(self.row(names[child], [key], indent=True))
                self.neighbourhood_rows.append((names[child], key, (town, child)))
            direct = direct_people.get(town, 0)
            if direct or not children:
                key = self.cell(("terr_direct", town), direct, direct)
                members.append(key)
                label = _("%(town)s (no neighbourhood recorded)", town=names[town]) if children else names[town]
                child_rows.append(self.row(label, [key], indent=True))
                self.neighbourhood_rows.append((label, key, (town, None)))
            self.groups.append((town_key, members))
        unknown_key = self.cell(("terr_none",), unknown, unknown)
        town_rows.append(self.row(_("Territory not recorded"), [unknown_key]))
        town_rows.append(self.row(_("Total"), [("people",)], is_total=True))
        self.groups.append((("people",), [("terr", town) for town in towns] + [unknown_key]))
        self.table(
            "towns",
            _("People by town"),
            [_("Town or territory"), _("People")],
            town_rows,
            chart=[(names[town], ("terr", town)) for town in towns],
        )
        self.table(
            "neighbourhoods",
            _("People by neighbourhood"),
            [_("Town and neighbourhoods"), _("People")],
            child_rows,
            note=_("Each town counts its neighbourhoods plus the people attached to the town itself."),
        )
        self.levels = levels

    def build_months(self):
        _ = self._
        encounters = self.raw["encounters"]
        cells = {(r["month"], r["kind"]): r for r in encounters[("month", "kind")]}
        by_month = {r["month"]: r for r in encounters[("month",)]}
        by_kind = {r["kind"]: r for r in encounters[("kind",)]}
        kind_labels = self.selection("psys.encounter", "kind")
        kinds = [code for code in kind_labels if code in by_kind] + [k for k in by_kind if k not in kind_labels]
        months = []
        current = self.wizard.date_from.replace(day=1)
        while current <= self.wizard.date_to:
            months.append(current)
            current = (current + timedelta(days=32)).replace(day=1)

        def people(row):
            return row["people"] + row["anonymous"] if row else 0

        rows = []
        for month in months:
            keys = []
            for kind in kinds:
                row = cells.get((month, kind))
                keys.append(self.cell(("mk", month, kind), row and row["encounters"], people(row)))
            month_row = by_month.get(month)
            total_key = self.cell(("mk", month, None), month_row and month_row["encounters"], people(month_row))
            self.groups.append((total_key, list(keys)))
            rows.append(self.row(self.wizard._format_date(month, "MMMM y"), keys + [total_key]))
        total_keys = []
        for kind in kinds:
            row = by_kind.get(kind)
            key = self.cell(("mk", None, kind), row and row["encounters"], people(row))
            self.groups.append((key, [("mk", month, kind) for month in months]))
            total_keys.append(key)
        self.groups.append((("encounters",), list(total_keys)))
        self.groups.append((("encounters",), [("mk", month, None) for month in months]))
        rows.append(self.row(_("Total"), total_keys + [("encounters",)], is_total=True))
        self.table(
            "months",
            _("Encounters by month and kind"),
            [_("Month")] + [kind_labels.get(kind, kind) for kind in kinds] + [_("Total")],
            rows,
            chart=[(row["label"], row["keys"][-1]) for row in rows[:-1]],
        )

    def build_themes(self):
        _ = self._
        for what, model, code, title, column in (
            ("theme", "psys.theme", "themes", _("People by theme raised"), _("Theme")),
            ("situation", "psys.situation.tag", "situations", _("People by situation"), _("Situation")),
        ):
            counts = self.raw["tags"][what]
            records = self.env[model].with_context(active_test=False).browse(list(counts))
            records = records.sorted(lambda record, counts=counts: (-counts[record.id], record.name))
            rows = [
                self.row(record.name, [self.cell((what, record.id), counts[record.id], counts[record.id])])
                for record in records
            ]
            self.table(
                code,
                title,
                [column, _("People")],
                rows,
                chart=[(row["label"], row["keys"][0]) for row in rows],
                note=_("A person can be counted under several lines."),
            )

    def build_recurrence(self):
        _ = self._
        buckets = {row["bucket"]: row["people"] for row in self.raw["people"][("bucket",)]}
        labels = {
            "1": _("1 visit"),
            "2": _("2 visits"),
            "3_5": _("3 to 5 visits"),
            "6_plus": _("6 visits or more"),
        }
        keys = [self.cell(("rec", b), buckets.get(b, 0), buckets.get(b, 0)) for b in RECURRENCE_BUCKETS]
        self.groups.append((("people",), list(keys)))
        rows = [self.row(labels[b], [key]) for b, key in zip(RECURRENCE_BUCKETS, keys, strict=True)]
        rows.append(self.row(_("Total"), [("people",)], is_total=True))
        self.table(
            "recurrence",
            _("Visits per person"),
            [_("Visits in the period"), _("People")],
            rows,
            chart=[(labels[b], key) for b, key in zip(RECURRENCE_BUCKETS, keys, strict=True)],
        )

    def build_channels(self):
        _ = self._
        channels = {row["channel"]: row["people"] for row in self.raw["people"][("channel",)]}
        labels = dict(self.selection("psys.encounter", "referral_source"), unknown=_("Not recorded"))
        order = [code for code in labels if code in channels] + [c for c in channels if c not in labels]
        keys = [self.cell(("channel", c), channels[c], channels[c]) for c in order]
        self.groups.append((("people",), list(keys)))
        rows = [self.row(labels.get(c, c), [key]) for c, key in zip(order, keys, strict=True)]
        rows.append(self.row(_("Total"), [("people",)], is_total=True))
        self.table(
            "channels",
            _("How people came (first encounter of the period)"),
            [_("How they came"), _("People")],
            rows,
        )
        types = dict(STRUCTURE_TYPES)
        type_labels = self.selection("res.partner", "psys_structure_type")
        present = [code for code in types if code in self.structures] + (
            ["unspecified"] if "unspecified" in self.structures else []
        )
        keys = [self.cell(("structure", c), self.structures[c], self.structures[c]) for c in present]
        self.groups.append((("partner",), list(keys)))
        rows = [
            self.row(type_labels.get(c) or _("Structure not recorded"), [key], indent=True)
            for c, key in zip(present, keys, strict=True)
        ]
        rows.append(self.row(_("Through a partner structure"), [("partner",)], is_total=True))
        rows.append(self.row(_("Not through a structure"), [("structure", "none")]))
        rows.append(self.row(_("Total"), [("people",)], is_total=True))
        self.table(
            "structures",
            _("People by type of referring structure"),
            [_("Structure type"), _("People")],
            rows,
        )

    def build_orientations(self):
        _ = self._
        data = self.raw["orientations"]
        by_target = {row["target_id"]: row for row in data[("target_id",)]}
        total = data[()][0] if data[()] else {"orientations": 0, "people": 0}
        targets = self.env["psys.orientation.target"].with_context(active_test=False).browse(list(by_target))
        targets = targets.sorted(lambda t: (-by_target[t.id]["orientations"], t.name))
        keys = [
            self.cell(("orient", t.id), by_target[t.id]["orientations"], by_target[t.id]["people"]) for t in targets
        ]
        total_key = self.cell(("orient_total",), total["orientations"], total["people"])
        self.groups.append((total_key, list(keys)))
        rows = [self.row(t.name, [key]) for t, key in zip(targets, keys, strict=True)]
        rows.append(self.row(_("Total"), [total_key], is_total=True))
        self.table(
            "orientations",
            _("Orientations by target"),
            [_("Oriented to"), _("Orientations")],
            rows,
            chart=[(row["label"], row["keys"][0]) for row in rows[:-1]],
        )

    def build_relays(self):
        _ = self._
        relays = {row["territory_id"]: row for row in self.raw["relays"][("territory_id",)]}
        oriented, health = {}, {}
        for tid, row in relays.items():
            level = self.levels.get(tid) if tid else None
            if not level:
                continue
            oriented[level] = oriented.get(level, 0) + row["oriented"]
            health[level] = health.get(level, 0) + row["health"]
        rows = []
        for label, seen_key, level in self.neighbourhood_rows:
            level_key = level if level[1] else (level[0], None)
            count_oriented = oriented.get(level_key, 0)
            count_health = health.get(level_key, 0)
            rows.append(
                self.row(
                    label,
                    [
                        seen_key,
                        self.cell(("relay", level_key), count_oriented, count_oriented),
                        self.cell(("relay_health", level_key), count_health, count_health),
                    ],
                )
            )
        self.table(
            "relays",
            _("Relays by neighbourhood"),
            [_("Neighbourhood"), _("People seen"), _("People oriented"), _("Health pathway")],
            rows,
            note=_("Health pathway: oriented to a CMP, a psychologist, a psychiatrist or a doctor."),
        )

    def build_hook(self):
        _ = self._
        families = dict(self.selection("psys.indicator", "family"))
        units = {"hours": "float", "eur": "eur", "ratio": "ratio"}
        rows = []
        published = self.wizard.mode == "published"
        for item in sorted(self.raw["hook"], key=lambda item: (item.get("family") or "", item.get("code"))):
            if published and item.get("internal"):
                # A door marks as internal the details it does not want
                # published (e.g. hours per named volunteer).
                continue
            value = item.get("value") or 0
            fmt = units.get(item.get("unit"), "int" if float(value).is_integer() else "float")
            key = self.cell(("hook", item["code"]), value, item.get("people"), fmt=fmt)
            family = families.get(item.get("family"), item.get("family") or "")
            rows.append(self.row(f"{family} - {item['name']}", [key]))
        self.table(
            "doors",
            _("Indicators of the installed programmes"),
            [_("Indicator"), _("Value")],
            rows,
            note=_("No programme module contributed indicators.") if not rows else "",
        )

    # Rendering ---------------------------------------------------------

    def display(self, value, fmt):
        point = self.env["res.lang"]._get_data(code=self.env.lang or "en_US").decimal_point or "."
        if fmt == "int":
            return str(round(value))
        if fmt == "pct":
            return f"{value:.1f}".replace(".", point) + " %"
        if fmt == "eur":
            return f"{value:.2f}".replace(".", point) + " €"
        if fmt == "ratio":
            return f"{value:.2f}".replace(".", point)
        return f"{value:.1f}".replace(".", point)

    def render(self, masked):
        tables = []
        for table in self.tables:
            rows = []
            for row in table["rows"]:
                cells = []
                for key in row["keys"]:
                    value = self.cells[key][0]
                    fmt = self.formats[key]
                    if key in masked:
                        cells.append({"display": "s", "value": None, "masked": True, "format": fmt})
                    else:
                        number = round(value) if fmt == "int" else float(value)
                        cells.append(
                            {"display": self.display(value, fmt), "value": number, "masked": False, "format": fmt}
                        )
                rows.append(dict(row, cells=cells))
            chart = []
            if table["chart"]:
                visible = [(label, key) for label, key in table["chart"] if key not in masked]
                top = max([self.cells[key][0] for _label, key in visible] or [0])
                for label, key in table["chart"]:
                    value = self.cells[key][0]
                    hidden = key in masked
                    chart.append(
                        {
                            "label": label,
                            "display": "s" if hidden else self.display(value, self.formats[key]),
                            "width": 0 if hidden or not top or not value else max(1, round(100 * value / top)),
                        }
                    )
            tables.append(dict(table, rows=rows, chart=chart))
        return tables
