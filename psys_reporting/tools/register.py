"""The register of published bilans as one linked system.

Each cell of a bilan gets a *fact*: what it counts, independently of the
table and of the edition that shows it (unit, measure, territory, antenna,
period). Two cells with the same fact show the same figure, so they are one
variable of the system, whatever edition they belong to: the town's edition
and the neighbourhood's edition, October-November and November. Units never
mix: people, visits (encounters), orientations and participations (head
counts of group sessions) are different measures.

Facts of the same measure over *related* scopes (nested or overlapping
periods, a territory inside a wider one, an antenna inside the whole
association) are related too, through the pieces their scopes cut each
other into (:func:`_link_scopes`): November and October-November share
November, and October is their difference. A piece no edition prints is a
*difference*: the audit keeps it out of reach like a masked figure.
"""

import json
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise, product

from .linked_secrecy import LinkedSystem

PEOPLE, VISITS, ORIENTATIONS = "people", "visits", "orientations"
# Participants of group sessions counted by head count: they add up over
# sessions (one person coming twice counts twice), unlike distinct people.
PARTICIPATIONS = "participations"


def key_str(key):
    """A cell key as a stable string (dates in ISO format)."""
    return json.dumps([part.isoformat() if isinstance(part, date) else part for part in key])


def _month_end(month):
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class Scope:
    """What an edition covers: its period, antenna and territory, and the
    territory tree (``parents``: id -> parent id) to compare territories."""

    def __init__(self, date_from, date_to, location_id, territory_id, parents):
        self.date_from = date_from
        self.date_to = date_to
        self.location_id = location_id or None
        self.territory_id = territory_id or None
        self.parents = parents
        self.with_children = {parent for parent in parents.values() if parent}

    def path(self, territory_id):
        """The territory and its ancestors."""
        path = []
        while territory_id and territory_id not in path:
            path.append(territory_id)
            territory_id = self.parents.get(territory_id)
        return path

    def territory(self, wanted):
        """The canonical territory filter of a cell of this edition, ``wanted``
        being ``("all",)``, ``("sub", id)``, ``("eq", id)`` or ``("none",)``;
        None when the edition's scope leaves nobody in it."""
        if wanted[0] == "eq" and wanted[1] not in self.with_children:
            wanted = ("sub", wanted[1])
        scope = self.territory_id
        if not scope:
            return wanted
        if wanted[0] == "all":
            return ("sub", scope)
        if wanted[0] == "none":
            return None
        if wanted[0] == "sub":
            if wanted[1] in self.path(scope):
                return ("sub", scope)
            return wanted if scope in self.path(wanted[1]) else None
        return wanted if scope in self.path(wanted[1]) else None

    def fact(self, unit, measure, territory=("all",), period=None):
        territory = self.territory(territory)
        if territory is None:
            return None
        start, stop = period or (self.date_from, self.date_to)
        return json.dumps([unit, measure, list(territory), self.location_id, start.isoformat(), stop.isoformat()])


def _level_filter(level):
    town, child = level
    return ("sub", child) if child else ("eq", town)


SIMPLE_FACTS = {
    "encounters": (VISITS, "encounters"),
    "people": (PEOPLE, "people"),
    "people_new": (PEOPLE, "people_new"),
    "qpv": (PEOPLE, "qpv"),
    "rural": (PEOPLE, "rural"),
    "partner": (PEOPLE, "partner"),
    "oriented": (PEOPLE, "oriented"),
    "health": (PEOPLE, "health"),
    "orient_total": (ORIENTATIONS, "orientations"),
    "headcount": (PARTICIPATIONS, "headcount"),
}


def _fact_spec(scope, head, rest):
    """``(unit, measure, territory, period)`` of a cell, or None."""
    spec = None
    if head in SIMPLE_FACTS and not rest:
        spec = (*SIMPLE_FACTS[head], ("all",), None)
    elif head in ("visit", "structure", "rec", "channel", "theme", "situation"):
        spec = (VISITS if head == "visit" else PEOPLE, f"{head}:{rest[0]}", ("all",), None)
    elif head == "ag":
        spec = (PEOPLE, f"ag:{rest[0] or '*'}:{rest[1] or '*'}", ("all",), None)
    elif head == "orient":
        spec = (ORIENTATIONS, f"orient:{rest[0]}", ("all",), None)
    elif head == "terr":
        spec = (PEOPLE, "people", ("sub", rest[0]), None)
    elif head in ("terr_direct", "atom"):
        spec = (PEOPLE, "people", ("eq", rest[0]), None)
    elif head == "terr_none":
        spec = (PEOPLE, "people", ("none",), None)
    elif head in ("relay", "relay_health"):
        level = rest[0]
        spec = (
            PEOPLE,
            "oriented" if head == "relay" else "health",
            _level_filter(level) if level else ("none",),
            None,
        )
    elif head == "mk":
        month, kind = rest
        period = (max(month, scope.date_from), min(_month_end(month), scope.date_to)) if month else None
        spec = (VISITS, f"visit_kind:{kind}" if kind else "encounters", ("all",), period)
    return spec


def cell_fact(scope, key):
    """The fact of a cell key of :class:`BilanBuilder`, or None when the cell
    is not comparable across editions (door indicators, ratios)."""
    spec = _fact_spec(scope, key[0], key[1:])
    if spec is None:
        return None
    unit, measure, territory, period = spec
    return scope.fact(unit, measure, territory, period)


def cell_facts(scope, keys):
    return {key: cell_fact(scope, key) for key in keys}


def build_system(editions, threshold, link=True, parents=None):
    """The linked system of ``editions`` (earlier ones first, the new one, if
    any, last and marked ``new``).

    Each edition: ``{"id", "new", "cells": [{"key", "value", "people", "fact",
    "hidden", "masked"}], "groups": [(total, [members])], "inequalities":
    [(smaller, larger)]}``, keys as strings. ``parents`` is the territory
    tree (id -> parent id) that tells which territory lies inside which.

    Return ``(system, var_of, primary)``: ``var_of[(edition id, key)]`` is the
    cell's variable; ``primary`` the variables of the new edition below the
    threshold.
    """
    system = LinkedSystem()
    system.threshold = threshold
    var_of = {}
    primary = set()
    for edition in editions:
        new = edition.get("new")
        for cell in edition["cells"]:
            var = ("F", cell["fact"]) if link and cell["fact"] else ("L", edition["id"], cell["key"])
            known = system.values.get(var)
            if var in system.values and known is not None and abs(known - (cell["value"] or 0)) > 1e-9:
                # the figure changed since it was published (data corrected):
                # not the same variable any more
                var = ("L", edition["id"], cell["key"])
            var_of[(edition["id"], cell["key"])] = var
            if new:
                system.new_vars = (system.new_vars or set()) | {var}
            value = cell["value"] or 0
            if cell["hidden"]:
                if var not in system.values:
                    system.add(var, value, "latent")
                continue
            if not new:
                state = "masked" if cell["masked"] else "published"
                if state == "published" or var not in system.published:
                    system.add(var, value, state, fixed=state == "published")
                continue
            people = cell["people"]
            if people is not None and 0 < people < threshold:
                primary.add(var)
            if var in system.masked or var in system.published:
                # already in the register: masked there stays masked (kept in
                # ``system.masked``); published there is public already
                continue
            if var in system.latent:
                system.latent.discard(var)
            system.add(var, value, "published", candidate=True)
        for total, members in edition["groups"]:
            system.add_equation(var_of[(edition["id"], total)], [var_of[(edition["id"], m)] for m in members])
        for smaller, larger in edition.get("inequalities", ()):
            system.add_inequality({var_of[(edition["id"], smaller)]: 1.0, var_of[(edition["id"], larger)]: -1.0})
    if link:
        _link_scopes(system, Territories(parents or {}))
    primary -= system.fixed
    return system, var_of, primary


# Measures whose categories depend on the scope itself (visits per person
# in the scope, how people came at their first encounter of it, orientations
# of people seen in it): no relation across periods, territories or antennas.
SCOPE_BOUND = ("rec:", "channel:", "structure:", "partner", "oriented", "health")
# Units that add up over disjoint scopes: each encounter, orientation or
# head count has one day, one place and one territory. Distinct people do
# not (a person may come in October and in November, at two antennas).
ADDITIVE = (VISITS, ORIENTATIONS, PARTICIPATIONS)


class Territories:
    """The territory filters of the facts as sets of people, in the territory
    tree: ``("all",)``, ``("sub", id)`` (the territory and its parts),
    ``("eq", id)`` (the territory itself, not its parts), ``("none",)``
    (no territory recorded). Two filters are nested or disjoint."""

    def __init__(self, parents):
        self.parents = {tid: parent or None for tid, parent in parents.items()}
        self.children = defaultdict(list)
        for tid, parent in self.parents.items():
            self.children[parent].append(tid)

    def path(self, territory_id):
        path = []
        while territory_id and territory_id not in path:
            path.append(territory_id)
            territory_id = self.parents.get(territory_id)
        return path

    def contains(self, outer, inner):
        if outer == inner or outer[0] == "all":
            return True
        return outer[0] == "sub" and inner[0] in ("sub", "eq") and outer[1] in self.path(inner[1])

    def parts(self, territory):
        """The filters ``territory`` is the disjoint union of (None when it
        has no parts): everyone is the people of each town plus those without
        a territory; a town, its own people plus each neighbourhood's."""
        if territory[0] == "all":
            return [("none",), *(("sub", tid) for tid in self.children[None])]
        if territory[0] == "sub" and self.children.get(territory[1]):
            return [("eq", territory[1]), *(("sub", tid) for tid in self.children[territory[1]])]
        return None

    def pieces(self, present):
        """The pieces the ``present`` filters cut everyone into, each named by
        its filter: what the filter (or everyone) holds beyond the present
        filters inside it, kept when that can hold anyone."""
        covered = {}

        def is_covered(territory):
            if territory not in covered:
                covered[territory] = territory in present or self.covered_inside(territory, is_covered)
            return covered[territory]

        return [
            territory
            for territory in sorted({("all",), *present}, key=repr)
            if not self.covered_inside(territory, is_covered)
        ]

    def covered_inside(self, territory, is_covered):
        """Whether the filters inside ``territory`` hold all of it."""
        parts = self.parts(territory)
        return bool(parts) and all(is_covered(part) for part in parts)


def _segments(periods):
    """The pieces a set of ``(start, stop)`` periods cuts the calendar into."""
    bounds = sorted({start for start, _stop in periods} | {stop + timedelta(days=1) for _start, stop in periods})
    return list(pairwise(bounds))


def _link_scopes(system, territories):
    """Relate the same measure over related scopes.

    The facts of one measure cut the space of (period, territory, antenna)
    into pieces: elementary periods between the editions' bounds, what
    each territory filter holds beyond the filters inside it, each antenna
    and the other places. Pieces inside the same facts are one *part*; a
    fact is the union of its parts. Additive units add up over parts; people
    over a fact count at least the people of each of its parts and at most
    their sum (a person may come in two parts). A fact made of one part is
    that part; the other parts are differences no edition prints (October,
    the rest of the association beyond a town, the other antennas), latent
    and guarded by the audit.
    """
    groups = defaultdict(list)
    for var in system.values:
        if var[0] != "F":
            continue
        try:
            unit, measure, territory, location, start, stop = json.loads(var[1])
        except ValueError:
            continue  # a fact of another shape (tests, other origins): no scope
        if measure.startswith(SCOPE_BOUND):
            continue
        scope = (tuple(territory), location, date.fromisoformat(start), date.fromisoformat(stop))
        groups[(unit, measure)].append((var, scope))
    for key, facts in groups.items():
        if len(facts) > 1:
            _relate(system, key, facts, territories)


def _relate(system, key, facts, territories):
    """Parts of ``facts`` (``[(var, (territory, location, start, stop))]``
    of the measure ``key``) and their relations (see :func:`_link_scopes`)."""
    scopes = [scope for _var, scope in facts]

    def mask(contains):
        return sum(1 << index for index, scope in enumerate(scopes) if contains(scope))

    present = {scope[0] for scope in scopes}
    by_territory = [
        mask(lambda scope, piece=piece: territories.contains(scope[0], piece)) for piece in territories.pieces(present)
    ]
    locations = sorted({scope[1] for scope in scopes if scope[1]})
    by_location = [mask(lambda scope, place=place: scope[1] in (None, place)) for place in locations]
    by_location.append(mask(lambda scope: scope[1] is None))  # the other places (or none recorded)
    by_period = [
        mask(lambda scope, begin=begin, end=end: scope[2] <= begin and end <= scope[3] + timedelta(days=1))
        for begin, end in _segments({(scope[2], scope[3]) for scope in scopes})
    ]
    parts = {
        period & territory & location
        for period, territory, location in product(by_period, by_territory, by_location)
        if period & territory & location
    }
    members = {index: [part for part in parts if part >> index & 1] for index in range(len(facts))}
    names = {}
    for index, (var, _scope) in enumerate(facts):
        if len(members[index]) == 1:
            names.setdefault(members[index][0], var)
    group = json.dumps(key)
    for part in parts:
        if part not in names:
            names[part] = ("P", group, part)
            system.add(names[part], None, "latent")
            system.guarded.add(names[part])
            system.differences[names[part]] = [var for index, (var, _s) in enumerate(facts) if part >> index & 1]
    additive = key[0] in ADDITIVE
    for index, (var, _scope) in enumerate(facts):
        pieces = [names[part] for part in members[index]]
        if pieces == [var]:
            continue
        if additive or len(pieces) == 1:
            system.add_equation(var, pieces)
            continue
        for piece in pieces:
            system.add_inequality({piece: 1.0, var: -1.0})
        terms = dict.fromkeys(pieces, -1.0)
        terms[var] = 1.0
        system.add_inequality(terms)
