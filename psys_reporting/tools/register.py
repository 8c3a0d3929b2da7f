"""The register of published bilans as one linked system.

Each cell of a bilan gets a *fact*: what it counts, independently of the
table and of the edition that shows it (unit, measure, territory, antenna,
period). Two cells with the same fact show the same figure, so they are one
variable of the system, whatever edition they belong to: the town's edition
and the neighbourhood's edition, October-November and November. Units never
mix: people, visits (encounters), orientations and participations (head
counts of group sessions) are different measures.
"""

import json
from datetime import date, timedelta
from itertools import pairwise

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


def build_system(editions, threshold, link=True):
    """The linked system of ``editions`` (earlier ones first, the new one, if
    any, last and marked ``new``).

    Each edition: ``{"id", "new", "cells": [{"key", "value", "people", "fact",
    "hidden", "masked"}], "groups": [(total, [members])], "inequalities":
    [(smaller, larger)]}``, keys as strings.

    Return ``(system, var_of, primary)``: ``var_of[(edition id, key)]`` is the
    cell's variable; ``primary`` the variables of the new edition below the
    threshold.
    """
    system = LinkedSystem()
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
        _link_periods(system)
    primary -= system.fixed
    return system, var_of, primary


# Measures whose categories depend on the period itself (visits per person
# in the period, how people came at their first encounter of the period,
# orientations of people seen in the period): no relation across periods.
PERIOD_BOUND = ("rec:", "channel:", "structure:", "partner", "oriented", "health")


def _link_periods(system):
    """Relate the same measure over different periods, through latent
    segments (the pieces the editions' bounds cut the calendar into):
    encounters and orientations add up over segments; people over a
    period count at least the people of each of its segments and at most
    their sum (a person may come back)."""
    groups = {}
    for var in system.values:
        if var[0] != "F":
            continue
        try:
            unit, measure, territory, location, start, stop = json.loads(var[1])
        except ValueError:
            continue  # a fact of another shape (tests, other origins): no period
        if measure.startswith(PERIOD_BOUND):
            continue
        key = (unit, measure, json.dumps(territory), location)
        groups.setdefault(key, []).append((start, stop, var))
    for key, members in groups.items():
        periods = {(start, stop) for start, stop, _var in members}
        if len(periods) < 2:
            continue
        bounds = sorted(
            {date.fromisoformat(start) for start, _stop in periods}
            | {date.fromisoformat(stop) + timedelta(days=1) for _start, stop in periods}
        )
        segments = list(pairwise(bounds))
        for start, stop, var in members:
            first, last = date.fromisoformat(start), date.fromisoformat(stop) + timedelta(days=1)
            pieces = [("S", key, begin.isoformat()) for begin, end in segments if begin >= first and end <= last]
            for piece in pieces:
                if piece not in system.values:
                    system.add(piece, None, "latent")
            if key[0] == PEOPLE and len(pieces) > 1:
                for piece in pieces:
                    system.add_inequality({piece: 1.0, var: -1.0})
                terms = dict.fromkeys(pieces, -1.0)
                terms[var] = 1.0
                system.add_inequality(terms)
            else:
                system.add_equation(var, pieces)
