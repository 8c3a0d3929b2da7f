"""Statistical secrecy of linked tables, audited with a real solver (HiGHS).

The register of a company's publications is one linear system:

* a *variable* is one figure of the world (e.g. "people living in Nord in
  2020"); cells of several editions that show the same figure share it;
* a variable is *published* (its value is known to everyone), *masked* (its
  true value is known to us, not to the reader) or *latent* (never shown,
  e.g. people by exact territory, or a period no edition covers);
* a latent variable may be *guarded*: a difference between editions (the
  October of November and October-November), which no edition prints but
  which must stay out of reach like a masked figure, unless the register
  shows it is zero or at least the threshold;
* ``equations`` say ``sum(coef * var) == 0`` (a total and its members) and
  ``inequalities`` ``sum(coef * var) <= 0``; every variable is ``>= 0``.

:func:`audit` computes, for each masked variable, the smallest and largest
value consistent with everything published (``scipy.optimize.linprog`` and,
to confirm integer bounds, ``scipy.optimize.milp``, both HiGHS). The variable
is protected when that interval is at least ``margin`` wide or pinned at 0
(zeros are printed anyway); a guarded difference also when the interval is
at or above the threshold.

:func:`protect` masks the primary cells and then, while the audit fails,
complementary cells (the smallest ones first) among those the caller allows.
"""

import math
from collections import defaultdict

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array


class InconsistentSystem(Exception):
    """The published figures contradict the equations (no table fits them)."""


class LinkedSystem:
    """Variables, their values and states, and the linear relations between them."""

    def __init__(self):
        self.values = {}  # var -> true value (None for latent)
        self.published = set()
        self.masked = set()
        self.latent = set()
        self.fixed = set()  # published by an earlier edition: cannot be masked
        self.candidates = set()  # may be masked by this publication
        # latent differences between editions, audited like masked figures;
        # each with the facts it lies in
        self.guarded = set()
        self.differences = {}
        self.threshold = math.inf  # a guarded difference at or above it is no secret
        self.equations = []  # [{var: coef}], sum == 0
        self.inequalities = []  # [{var: coef}], sum <= 0
        # variables of the edition being published: the rest of the register
        # passed its audit, and only what links to these can change it
        self.new_vars = None

    def add(self, var, value, state, fixed=False, candidate=False):
        """Declare ``var``; a variable seen twice keeps its most public state:
        published beats masked beats latent."""
        rank = {"latent": 0, "masked": 1, "published": 2}
        current = (
            "published"
            if var in self.published
            else "masked"
            if var in self.masked
            else "latent"
            if var in self.latent
            else None
        )
        if current is None or rank[state] > rank[current]:
            for bucket in (self.published, self.masked, self.latent):
                bucket.discard(var)
            {"published": self.published, "masked": self.masked, "latent": self.latent}[state].add(var)
        if value is not None and self.values.get(var) is None:
            self.values[var] = value
        else:
            self.values.setdefault(var, value)
        if fixed:
            self.fixed.add(var)
            self.candidates.discard(var)
        elif candidate and var not in self.fixed:
            self.candidates.add(var)

    def add_equation(self, total, members):
        """``total == sum(members)``."""
        terms = defaultdict(float)
        terms[total] -= 1.0
        for member in members:
            terms[member] += 1.0
        terms = {var: coef for var, coef in terms.items() if coef}
        if terms:
            self.equations.append(terms)

    def add_inequality(self, terms):
        """``sum(coef * var) <= 0``."""
        if terms:
            self.inequalities.append(dict(terms))

    def mask(self, var):
        self.published.discard(var)
        self.masked.add(var)

    def unknown(self):
        return self.masked | self.latent


def _components(rows, unknown):
    """Groups of unknown variables linked by rows (union-find)."""
    parent = {var: var for var in unknown}

    def find(var):
        while parent[var] != var:
            parent[var] = parent[parent[var]]
            var = parent[var]
        return var

    for row in rows:
        present = [var for var in row if var in parent]
        for var in present[1:]:
            root_a, root_b = find(present[0]), find(var)
            if root_a != root_b:
                parent[root_b] = root_a
    groups = defaultdict(set)
    for var in unknown:
        groups[find(var)].add(var)
    return list(groups.values())


def _reduce(system):
    """Substitute the published values: rows over the unknowns only, each with
    its constant. Raise InconsistentSystem when a row without unknowns fails."""
    unknown = system.unknown()
    rows = []
    for kind, source in (("eq", system.equations), ("ub", system.inequalities)):
        for terms in source:
            constant = 0.0
            unknown_terms = {}
            for var, coef in terms.items():
                if var in unknown:
                    unknown_terms[var] = coef
                else:
                    constant += coef * (system.values.get(var) or 0)
            if unknown_terms:
                rows.append((kind, unknown_terms, constant))
            elif (kind == "eq" and abs(constant) > 1e-6) or (kind == "ub" and constant > 1e-6):
                raise InconsistentSystem(terms)
    return rows


def _matrices(variables, rows):
    """``(index, a_eq, b_eq, a_ub, b_ub)`` of the rows over ``variables``
    (None for a kind of row absent)."""
    index = {var: position for position, var in enumerate(sorted(variables, key=repr))}
    size = len(index)

    def matrix(selected):
        data, cols, pointers = [], [], [0]
        for terms, _constant in selected:
            for var, coef in terms.items():
                data.append(coef)
                cols.append(index[var])
            pointers.append(len(data))
        return csr_array((data, cols, pointers), shape=(len(selected), size))

    matrices = [index]
    for wanted in ("eq", "ub"):
        selected = [(terms, constant) for kind, terms, constant in rows if kind == wanted]
        matrices.append(matrix(selected) if selected else None)
        matrices.append(np.array([-constant for _terms, constant in selected]) if selected else None)
    return tuple(matrices)


def _solve_bounds(variables, rows, targets, integer, enough=None):
    """For each target: (min, max) over ``variables >= 0`` satisfying rows;
    ``(min, inf)`` without solving the max when ``enough(var, min)``."""
    index, a_eq, b_eq, a_ub, b_ub = _matrices(variables, rows)
    size = len(index)
    result = {}
    for var in targets:
        bounds = []
        for sign in (1.0, -1.0):
            if sign < 0 and enough and enough(var, bounds[0]):
                bounds.append(math.inf)
                break
            cost = np.zeros(size)
            cost[index[var]] = sign
            if integer:
                constraints = []
                if a_eq is not None:
                    constraints.append(LinearConstraint(a_eq, b_eq, b_eq))
                if a_ub is not None:
                    constraints.append(LinearConstraint(a_ub, -np.inf, b_ub))
                answer = milp(
                    cost,
                    constraints=constraints,
                    integrality=np.ones(size),
                    bounds=Bounds(np.zeros(size), np.full(size, np.inf)),
                )
            else:
                answer = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            if answer.status == 2:
                raise InconsistentSystem(var)
            if answer.status == 3 or answer.x is None:
                # unbounded (only ever upwards: every variable is >= 0)
                bounds.append(math.inf if sign < 0 else 0.0)
            else:
                bounds.append(sign * answer.fun)
        result[var] = (bounds[0], bounds[1])
    return result


def _spread(system, variables, rows, guarded, margin):
    """The guarded differences that a few feasible points of the system (the
    smallest and the largest sum of the differences, and of half of them
    against the other half, within a box wide enough for the true figures)
    already set at least ``margin`` apart:
    ``{var: (low seen, high seen)}``. Their intervals are at least that wide,
    without solving two problems for each of them."""
    index, a_eq, b_eq, a_ub, b_ub = _matrices(variables, rows)
    known = [abs(value) for value in system.values.values() if value is not None]
    box = (max(known, default=0.0) + margin + 1.0) * 2
    points = []
    ordered = sorted(guarded, key=repr)
    # the smallest and largest sum, then half of them up and half down
    for signs in ((1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)):
        cost = np.zeros(len(index))
        for position, var in enumerate(ordered):
            cost[index[var]] = signs[position % 2]
        answer = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, box), method="highs")
        if answer.status != 0 or answer.x is None:
            return {}
        points.append(answer.x)
    seen = {}
    for var in guarded:
        values = [point[index[var]] for point in points]
        low, high = min(values), max(values)
        if high - low >= margin - 1e-6:
            seen[var] = (low, high)
    return seen


def audit(system, margin, integer=True, targets=None):
    """``{masked or guarded var: (low, high, protected)}``.

    With ``system.new_vars`` set, only the unknowns linked to them, or to
    a row with one of them, are audited (the others keep the bounds of the
    audit that published them).

    The LP bounds come first; when they are at least ``margin`` apart the
    integer bounds (narrower or equal) are confirmed with ``milp``. A figure
    pinned at 0 is protected (a zero is printed anyway); a guarded difference
    also when the register shows it at least the threshold (a figure that
    could be printed);
    those a few feasible points show wide are not solved one by one (their
    bounds are then the points', inside the true interval), and their
    linear bounds are not confirmed in integers (they are never printed).
    """
    rows = _reduce(system)
    unknown = system.unknown()
    targets = set(system.masked | system.guarded if targets is None else targets)
    reached = None
    if system.new_vars is not None:
        # the unknowns the new edition reaches: its own, and those of every
        # row with one of its cells (a figure it publishes pins them too)
        reached = set(system.new_vars)
        for terms in (*system.equations, *system.inequalities):
            if not system.new_vars.isdisjoint(terms):
                reached.update(var for var in terms if var in unknown)
    result = {}
    for component in _components([terms for _kind, terms, _constant in rows], unknown):
        if reached is not None and not component & reached:
            continue
        wanted = component & targets
        if not wanted:
            continue
        component_rows = [row for row in rows if next(iter(row[1])) in component]
        guarded = wanted & system.guarded
        if guarded:
            for var, (low, high) in _spread(system, component, component_rows, guarded, margin).items():
                result[var] = (low, high, True)
                wanted.discard(var)
        # a difference at or above the threshold needs no upper bound
        bounds = _solve_bounds(
            component,
            component_rows,
            wanted,
            integer=False,
            enough=lambda var, low: var in system.guarded and low >= system.threshold - 1e-6,
        )
        # differences are never printed: their linear bounds are enough
        confirm = [
            var for var, (low, high) in bounds.items() if high - low >= margin - 1e-6 and var not in system.guarded
        ]
        if integer and confirm:
            bounds.update(_solve_bounds(component, component_rows, confirm, integer=True))
        for var, (low, high) in bounds.items():
            low = 0.0 if abs(low) < 1e-9 else low
            # a figure pinned at 0 is no secret (zeros are printed): the
            # true value lies in the interval, so it is 0
            protected = high - low >= margin - 1e-6 or high < 0.5
            if var in system.guarded:
                protected = protected or low >= system.threshold - 1e-6
            result[var] = (low, high, protected)
    return result


def _rows_with(system, var):
    return [terms for terms in (*system.equations, *system.inequalities) if var in terms]


def _pick_complement(system, var):
    """The cell to mask so that ``var`` gains freedom: the smallest non-zero
    maskable cell of an equation where ``var`` is the only unknown left, else
    of any equation with it, else of its unknown neighbours' equations."""
    unknown = system.unknown()

    def best(candidates):
        return min(candidates, key=lambda other: (system.values.get(other) == 0, system.values.get(other), repr(other)))

    rows = _rows_with(system, var)
    alone = {
        other
        for terms in rows
        if not any(other in unknown for other in terms if other != var)
        for other in terms
        if other in system.candidates and other in system.published
    }
    if alone:
        return best(alone)
    seen_vars, frontier = {var}, [var]
    while frontier:
        candidates = set()
        next_frontier = []
        for current in frontier:
            for terms in _rows_with(system, current):
                for other in terms:
                    if other in system.candidates and other in system.published:
                        candidates.add(other)
                    elif other not in seen_vars and other in unknown:
                        seen_vars.add(other)
                        next_frontier.append(other)
        if candidates:
            return best(candidates)
        frontier = next_frontier
    return None


def protect(system, primary, margin, max_rounds=200):
    """Mask ``primary`` then complementary cells until the audit passes.

    Masking more cells only widens the intervals (a published value becomes
    an unknown), so each round re-audits the failing cells and the newly
    masked ones only; the linear bounds lead, the integer bounds confirm at
    the end. Return ``(audit result, unprotected vars)``; unprotected is
    empty when every masked variable is protected.
    """
    for var in primary:
        system.mask(var)
    result = audit(system, margin, integer=False)
    integer = False
    for _round in range(max_rounds):
        failing = sorted((var for var, (_l, _h, ok) in result.items() if not ok), key=repr)
        if not failing:
            if integer:
                return result, []
            integer = True
            result = audit(system, margin)
            continue
        picked = set()
        stuck = []
        touched = set()
        for var in failing:
            if var in touched:
                # a cell picked this round shares an equation with it: it may
                # be enough, see at the next round
                continue
            choice = _pick_complement(system, var)
            if choice is None:
                stuck.append(var)
                continue
            picked.add(choice)
            for terms in _rows_with(system, choice):
                touched.update(terms)
        if not picked:
            return result, stuck
        for choice in picked:
            system.mask(choice)
        result.update(audit(system, margin, integer=integer, targets=set(failing) | picked))
    result = audit(system, margin)
    return result, sorted((var for var, (_l, _h, ok) in result.items() if not ok), key=repr)
