"""The bilan's tables: cells, additive equations and rows to print.

Pure Python over the raw figures of :meth:`psys.bilan.mixin._get_bilan_raw`;
the labels come from the environment handed in (translated by its language).
"""

from datetime import timedelta

from odoo.addons.psys_base.models.res_partner import STRUCTURE_TYPES

RECURRENCE_BUCKETS = ("1", "2", "3_5", "6_plus")


class BilanBuilder:
    """Turns the raw figures into tables of cells, the additive equations
    between them (for secondary secrecy) and, after masking, rows to print."""

    def __init__(self, bilan, raw):
        self.bilan = bilan
        self.env = bilan.env
        self.raw = raw
        self.cells = {}  # key -> (value, people)
        self.groups = []  # (total key, member keys)
        self.derived = {}  # key -> keys it is computed from
        self.formats = {}  # key -> int / float / pct / eur
        self.tables = []
        # Figures never printed but bound to printed ones (people by exact
        # territory...): the secrecy solver must know these equations.
        self.hidden = set()
        self.inequalities = []  # (smaller key, larger key)
        self._ = self.env._

    # Helpers -----------------------------------------------------------

    def cell(self, key, value, people, fmt="int"):
        self.cells[key] = (value or 0, people)
        self.formats[key] = fmt
        return key

    def hidden_cell(self, key, value, people):
        self.cell(key, value, people)
        self.hidden.add(key)
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
        bilan, _ = self.bilan, self._
        labels = []
        if bilan.location_id:
            labels.append(_("Antenna: %(name)s", name=bilan.location_id.name))
        if bilan.territory_id:
            labels.append(_("Territory: %(name)s", name=bilan.territory_id.complete_name))
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
        # People by exact territory: not printed, but every territorial
        # figure is a sum of them (a QPV total minus known neighbourhoods
        # must not give a masked neighbourhood back).
        for tid, count in self.people_by_territory.items():
            if tid:
                self.hidden_cell(("atom", tid), count, count)
        self.groups.append((("qpv",), [("atom", t.id) for t in territories if t.is_qpv]))
        self.groups.append((("rural",), [("atom", t.id) for t in territories if t.is_rural]))
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
        ]
        headcount = self.raw["headcount"]
        if headcount["sessions"]:
            # Counted, not identified: never added to the people reached.
            participants = headcount["participants"]
            self.cell(("headcount",), participants, participants)
            rows.append(self.row(_("Participants counted by head count in group sessions"), [("headcount",)]))
        rows += [
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
        hours = self.bilan._bilan_volunteer_hours(self.raw["hook"])
        if hours:
            rate = self.bilan.company_id.psys_volunteer_hourly_rate
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
        note = ""
        if headcount["sessions"]:
            note = _(
                "Participants counted by head count: people who took part in a group session without being "
                "recorded; one who came twice counts twice, and they are not among the people reached."
            )
        self.table("key_figures", _("Key figures"), [_("Indicator"), _("Value")], rows, note=note)

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
        for town in towns:
            self.groups.append((("terr", town), [("atom", tid) for tid, level in levels.items() if level[0] == town]))
            for child in child_people.get(town, {}):
                self.groups.append(
                    (("terr", child), [("atom", tid) for tid, level in levels.items() if level == (town, child)])
                )
            if direct_people.get(town) or not child_people.get(town):
                self.groups.append(
                    (("terr_direct", town), [("atom", tid) for tid, level in levels.items() if level == (town, None)])
                )
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
        current = self.bilan.date_from.replace(day=1)
        while current <= self.bilan.date_to:
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
            rows.append(self.row(self.bilan._format_date(month, "MMMM y"), keys + [total_key]))
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
            self.inequalities.append((("relay", level_key), seen_key))
            self.inequalities.append((("relay_health", level_key), ("relay", level_key)))
        # The key figures are the totals of these columns: tie them in, with
        # the people without a territory (not printed here).
        none_row = relays.get(None) or {"oriented": 0, "health": 0}
        self.hidden_cell(("relay", None), none_row["oriented"], none_row["oriented"])
        self.hidden_cell(("relay_health", None), none_row["health"], none_row["health"])
        self.inequalities.append((("relay", None), ("terr_none",)))
        self.inequalities.append((("relay_health", None), ("relay", None)))
        levels = [level if level[1] else (level[0], None) for _label, _key, level in self.neighbourhood_rows]
        self.groups.append((("oriented",), [("relay", level) for level in levels] + [("relay", None)]))
        self.groups.append((("health",), [("relay_health", level) for level in levels] + [("relay_health", None)]))
        self.inequalities.append((("health",), ("oriented",)))
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
        units = {"hours": "float", "eur": "eur", "ratio": "ratio", "rate": "pct"}
        rows = []
        published = self.bilan.edition == "published"
        for item in sorted(self.raw["hook"], key=lambda item: (item.get("family") or "", item.get("code"))):
            if published and item.get("internal"):
                # A door marks as internal the details it does not want
                # published (e.g. hours per named volunteer).
                continue
            value = item.get("value") or 0
            if item.get("unit") == "rate":
                value = round(100.0 * value, 1)  # a share: printed as a percentage
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
                    # A masked figure keeps its bar, drawn as a secret
                    # (outlined, no length), never an empty line.
                    chart.append(
                        {
                            "label": label,
                            "display": "s" if hidden else self.display(value, self.formats[key]),
                            "masked": hidden,
                            "width": 0 if hidden or not top or not value else max(1, round(100 * value / top)),
                        }
                    )
            tables.append(dict(table, rows=rows, chart=chart))
        return tables
