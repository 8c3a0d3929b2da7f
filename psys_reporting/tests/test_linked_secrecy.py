"""Secrecy of linked tables and of the register, audited with HiGHS.

The leaks of issue 11 are rebuilt here with the equations the bilan knows:
the one-table rule (``apply_secrecy``) leaves a masked cell whose interval
of consistent values is a single point; the linked solver does not.
"""

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock
from odoo.addons.psys_reporting.tools.linked_secrecy import LinkedSystem, audit, protect
from odoo.addons.psys_reporting.tools.register import Scope, build_system, cell_fact, key_str
from odoo.addons.psys_reporting.tools.secrecy import apply_secrecy

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def edition(edition_id, cells, groups, facts=None, hidden=(), masked=(), new=False, inequalities=()):
    """An edition for :func:`build_system`; ``cells``: key -> value (people = value)."""
    facts = facts or {}
    return {
        "id": edition_id,
        "new": new,
        "cells": [
            {
                "key": key,
                "value": value,
                "people": value,
                "fact": facts.get(key),
                "hidden": key in hidden,
                "masked": key in masked,
            }
            for key, value in cells.items()
        ],
        "groups": list(groups),
        "inequalities": list(inequalities),
    }


def old_rule_leaks(cells, groups, threshold, hidden=(), audit_groups=None):
    """Mask with the one-table rule (over ``groups``), then audit with every
    equation (``audit_groups``): the masked cells recomputable exactly."""
    masked = apply_secrecy({key: (value, value) for key, value in cells.items()}, groups, threshold)
    masked -= set(hidden)
    system = LinkedSystem()
    for key, value in cells.items():
        system.add(key, value, "latent" if key in hidden else "masked" if key in masked else "published")
    for total, members in audit_groups or groups:
        system.add_equation(total, members)
    return {key for key, (low, high, _ok) in audit(system, 1).items() if high - low < 0.5}


def publish(editions, threshold, margin=None, parents=None):
    """Publish the last edition of ``editions`` over the others (the register)."""
    system, var_of, primary = build_system(editions, threshold, parents=parents)
    result, unprotected = protect(system, primary, margin or threshold)
    return system, var_of, result, unprotected


@tagged("psys", "psys_reporting", "at_install")
class TestLinkedSecrecy(PsysClock, BaseCase):
    def assertAllProtected(self, system, margin):
        # the whole register, not only what links to the new edition
        system.new_vars = None
        result = audit(system, margin)
        self.assertEqual(set(result), system.masked)
        for var, (low, high, protected) in result.items():
            self.assertTrue(protected, f"{var}: [{low}, {high}] narrower than {margin}")
        return result

    # The five leaks of issue 11 ----------------------------------------

    def test_leak_qpv_total_minus_known_neighbourhood(self):
        """People in a QPV 19 - neighbourhood Est 14 = neighbourhood Ouest 5."""
        cells = {"town": 33, "est": 14, "ouest": 5, "direct": 14, "qpv": 19, "a_est": 14, "a_ouest": 5, "a_town": 14}
        hidden = {"a_est", "a_ouest", "a_town"}
        table_groups = [("town", ["est", "ouest", "direct"])]
        every = [
            *table_groups,
            ("qpv", ["a_est", "a_ouest"]),
            ("est", ["a_est"]),
            ("ouest", ["a_ouest"]),
            ("direct", ["a_town"]),
        ]
        self.assertIn("ouest", old_rule_leaks(cells, table_groups, 11, hidden, every))
        system, _var_of, _result, unprotected = publish([edition("new", cells, every, hidden=hidden, new=True)], 11)
        self.assertFalse(unprotected)
        self.assertIn(("L", "new", "ouest"), system.masked)
        self.assertAllProtected(system, 11)

    def test_leak_relay_columns(self):
        """People oriented 28 - 13 - 12 - 0 = 3 (masked)."""
        cells = {"oriented": 28, "r1": 13, "r2": 12, "r3": 0, "r4": 3, "r_none": 0, "seen_none": 0}
        groups = [("oriented", ["r1", "r2", "r3", "r4", "r_none"])]
        inequalities = [("r_none", "seen_none")]
        system, *_rest, unprotected = publish(
            [edition("new", cells, groups, hidden={"r_none"}, new=True, inequalities=inequalities)], 11
        )
        self.assertFalse(unprotected)
        self.assertIn(("L", "new", "r4"), system.masked)
        self.assertAllProtected(system, 11)

    def test_leak_health_pathway(self):
        """Health pathway 13 - 11 = 2: the total of the column is an equation."""
        cells = {"health": 13, "h1": 11, "h2": 2, "h_none": 0}
        groups = [("health", ["h1", "h2", "h_none"])]
        system, *_rest, unprotected = publish([edition("new", cells, groups, hidden={"h_none"}, new=True)], 11)
        self.assertFalse(unprotected)
        self.assertAllProtected(system, 11)
        self.assertTrue({("L", "new", "h1"), ("L", "new", "health")} & system.masked)

    def test_leak_town_edition_minus_neighbourhood_edition(self):
        """Town 26 - neighbourhood's own edition 20 = 'no neighbourhood' 6."""
        town_cells = {"town": 26, "est": 20, "direct": 6}
        facts = {"town": "sub:town", "est": "sub:est", "direct": "eq:town"}
        town = edition(1, town_cells, [("town", ["est", "direct"])], facts=facts)
        system, _var_of, _result, unprotected = publish([dict(town, new=True, id="new")], 11)
        self.assertFalse(unprotected)
        masked_town = {var[1] for var in system.masked}
        self.assertEqual(masked_town, {"sub:est", "eq:town"})
        # the town's edition is in the register; the neighbourhood's edition comes
        town = edition(1, town_cells, [("town", ["est", "direct"])], facts=facts, masked={"est", "direct"})
        est = edition("new", {"people": 20, "women": 12, "men": 8}, [("people", ["women", "men"])], new=True)
        est["cells"][0]["fact"] = "sub:est"
        # without the register the neighbourhood's edition shows 20
        alone_system, _v, _r, alone = publish([dict(est)], 11)
        self.assertFalse(alone)
        self.assertNotIn(("F", "sub:est"), alone_system.masked)
        system, var_of, _result, unprotected = publish([town, est], 11)
        self.assertFalse(unprotected)
        self.assertIn(var_of[("new", "people")], system.masked)
        self.assertAllProtected(system, 11)

    def test_leak_october_november_minus_november(self):
        """Oct-Nov's masked October figure comes back from November's edition."""
        scope_on = Scope(date(2020, 10, 1), date(2020, 11, 30), None, None, {})
        scope_n = Scope(date(2020, 11, 1), date(2020, 11, 30), None, None, {})
        oct_, nov = date(2020, 10, 1), date(2020, 11, 1)
        keys = {
            ("mk", oct_, "phone"): 4,
            ("mk", oct_, "individual"): 40,
            ("mk", nov, "phone"): 15,
            ("mk", nov, "individual"): 30,
            ("mk", oct_, None): 44,
            ("mk", nov, None): 45,
            ("mk", None, "phone"): 19,
            ("mk", None, "individual"): 70,
            ("encounters",): 89,
        }
        groups = [
            (("mk", oct_, None), [("mk", oct_, "phone"), ("mk", oct_, "individual")]),
            (("mk", nov, None), [("mk", nov, "phone"), ("mk", nov, "individual")]),
            (("mk", None, "phone"), [("mk", oct_, "phone"), ("mk", nov, "phone")]),
            (("mk", None, "individual"), [("mk", oct_, "individual"), ("mk", nov, "individual")]),
            (("encounters",), [("mk", None, "phone"), ("mk", None, "individual")]),
        ]

        def as_edition(edition_id, scope, values, new=False, masked=()):
            return edition(
                edition_id,
                {key_str(key): value for key, value in values.items()},
                [(key_str(total), [key_str(key) for key in members]) for total, members in groups],
                facts={key_str(key): cell_fact(scope, key) for key in values},
                masked={key_str(key) for key in masked},
                new=new,
            )

        system, var_of, _result, unprotected = publish([as_edition("new", scope_on, keys, new=True)], 11)
        self.assertFalse(unprotected)
        masked = {key for key in keys if var_of[("new", key_str(key))] in system.masked}
        self.assertIn(("mk", oct_, "phone"), masked)
        self.assertIn(("mk", nov, "phone"), masked)
        register = as_edition(1, scope_on, keys, masked=masked)
        november = {
            ("mk", nov, "phone"): 15,
            ("mk", nov, "individual"): 30,
            ("mk", nov, None): 45,
            ("mk", None, "phone"): 15,
            ("mk", None, "individual"): 30,
            ("encounters",): 45,
        }
        nov_groups = [
            (("mk", nov, None), [("mk", nov, "phone"), ("mk", nov, "individual")]),
            (("mk", None, "phone"), [("mk", nov, "phone")]),
            (("mk", None, "individual"), [("mk", nov, "individual")]),
            (("encounters",), [("mk", None, "phone"), ("mk", None, "individual")]),
        ]
        new = edition(
            "new",
            {key_str(key): value for key, value in november.items()},
            [(key_str(total), [key_str(key) for key in members]) for total, members in nov_groups],
            facts={key_str(key): cell_fact(scope_n, key) for key in november},
            new=True,
        )
        # November's edition alone would publish November's phone calls (15)
        system, var_of, _result, unprotected = publish([register, new], 11)
        self.assertFalse(unprotected)
        self.assertIn(var_of[("new", key_str(("mk", nov, "phone")))], system.masked)
        self.assertIn(var_of[("new", key_str(("mk", None, "phone")))], system.masked)
        self.assertAllProtected(system, 11)

    def test_year_minus_first_half_gives_the_second_half(self):
        """Encounters add up over periods: the year's first visits minus the
        first half's give the second half's back (5)."""

        def first_visits(edition_id, start, stop, value, repeat=50, new=False, masked=()):
            scope = Scope(start, stop, None, None, {})
            cells = {
                key_str(("visit", "first")): value,
                key_str(("visit", "repeat")): repeat,
                key_str(("encounters",)): value + repeat,
            }
            facts = {key: cell_fact(scope, tuple(json.loads(key))) for key in cells}
            groups = [(key_str(("encounters",)), [key_str(("visit", "first")), key_str(("visit", "repeat"))])]
            return edition(edition_id, cells, groups, facts=facts, new=new, masked=masked)

        year = first_visits(1, date(2020, 1, 1), date(2020, 12, 31), 40, repeat=100)
        half = first_visits(2, date(2020, 1, 1), date(2020, 6, 30), 35)
        second = first_visits("new", date(2020, 7, 1), date(2020, 12, 31), 5, new=True)
        # seen alone (no relation over periods), masking the second half's
        # first visits with a complement looks safe
        unlinked, var_of, primary = build_system([year, half, second], 11, link=False)
        _result, unprotected = protect(unlinked, primary, 11)
        self.assertFalse(unprotected)
        # but year - first half gives every figure of the second half back:
        # nothing in it can be protected, the publication is refused
        system, var_of, _result, unprotected = publish([year, half, second], 11)
        first = var_of[("new", key_str(("visit", "first")))]
        self.assertIn(first, unprotected)
        low, high, _ok = audit(system, 11)[first]
        self.assertEqual((low, high), (5.0, 5.0))

    # The solver --------------------------------------------------------

    def test_interval_of_a_two_by_two_pattern(self):
        system = LinkedSystem()
        values = {"a": 3, "b": 40, "c": 30, "d": 20, "r1": 43, "r2": 50, "c1": 33, "c2": 60}
        for key, value in values.items():
            system.add(key, value, "masked" if key in "abcd" else "published")
        for total, members in (("r1", "ab"), ("r2", "cd"), ("c1", "ac"), ("c2", "bd")):
            system.add_equation(total, list(members))
        result = audit(system, 11)
        self.assertEqual(result["a"][:2], (0.0, 33.0))
        self.assertEqual(result["b"][:2], (10.0, 43.0))

    def test_integer_bounds_are_confirmed(self):
        # t = 2x + y = 3: the LP lets x range over [0, 1.5], integers over {0, 1}
        system = LinkedSystem()
        system.add("x", 1, "masked")
        system.add("y", 1, "masked")
        system.add("t", 3, "published")
        system.add_equation("t", ["x", "x", "y"])
        low, high, protected = audit(system, 1.2, integer=False)["x"]
        self.assertEqual((low, high, protected), (0.0, 1.5, True))
        self.assertEqual(audit(system, 1.2)["x"], (0.0, 1.0, False))

    def test_threshold_and_zero_cells(self):
        cells = {"zero": 0, "eleven": 11, "ten": 10, "total": 21}
        groups = [("total", ["zero", "eleven", "ten"])]
        system, _v, _r, unprotected = publish([edition("new", cells, groups, new=True)], 11)
        self.assertFalse(unprotected)
        self.assertIn(("L", "new", "ten"), system.masked)
        self.assertIn(("L", "new", "zero"), system.published)
        self.assertIn(("L", "new", "total"), system.published)
        self.assertAllProtected(system, 11)

    # Property-based: random linked tables over 2 and 3 editions ---------

    @HYPOTHESIS
    @given(
        st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=3), min_size=2, max_size=3),
        st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=3), min_size=2, max_size=3),
        st.booleans(),
    )
    def test_random_editions_are_protected(self, first, second, third):
        """Two or three editions sharing cells (a common column of rows):
        after each publication every masked cell of the register has an
        interval at least the margin wide."""
        threshold = 5
        width = min(len(row) for row in (*first, *second))
        first = [row[:width] for row in first]
        second = [row[:width] for row in second]

        def grid(edition_id, rows, shared_rows, new, masked=()):
            """Rows x columns with totals; row i of ``shared_rows`` is shared
            with the other editions (same fact)."""
            cells, groups, facts = {}, [], {}
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    cells[f"{i}:{j}"] = value
                cells[f"{i}:*"] = sum(row)
                groups.append((f"{i}:*", [f"{i}:{j}" for j in range(width)]))
            for j in range(width):
                cells[f"*:{j}"] = sum(row[j] for row in rows)
                groups.append((f"*:{j}", [f"{i}:{j}" for i in range(len(rows))]))
            cells["*:*"] = sum(map(sum, rows))
            groups.append(("*:*", [f"{i}:*" for i in range(len(rows))]))
            for i in shared_rows:
                for j in range(width):
                    facts[f"{i}:{j}"] = f"shared:{i}:{j}"
                facts[f"{i}:*"] = f"shared:{i}:*"
            return edition(edition_id, cells, groups, facts=facts, new=new, masked=masked)

        # the editions share their first row (the same figures)
        second[0] = list(first[0])
        register = []
        tables = [(1, first), (2, second)]
        if third:
            tables.append((3, [list(first[0]), [value + 1 for value in first[0]]]))
        for edition_id, rows in tables:
            new = grid("new", rows, [0], True)
            system, var_of, _result, unprotected = publish([*register, new], threshold)
            if unprotected:
                # an edition that cannot be protected is not published
                continue
            self.assertAllProtected(system, threshold)
            masked = {cell["key"] for cell in new["cells"] if var_of[("new", cell["key"])] in system.masked}
            register.append(grid(edition_id, rows, [0], False, masked=masked))
        if register:
            system, _v, _p = build_system(register, threshold)
            self.assertAllProtected(system, threshold)


# Issue 23, hole 19: editions whose cells relate by nesting (periods,
# territories, antennas) are one system; what no edition prints but their
# difference gives back is audited too.

TOWN, BOURG, NORD = 101, 102, 103
PARENTS = {TOWN: None, BOURG: None, NORD: TOWN}
THEME, CMP, ASSOCIATION = 7, 9, 3  # suicidal ideation, the CMP, an association


def scoped(edition_id, scope, values, groups=(), new=False, masked=(), hidden=(), people=None):
    """An edition of bilan cell keys over ``scope`` (facts from :func:`cell_fact`)."""
    result = edition(
        edition_id,
        {key_str(key): value for key, value in values.items()},
        [(key_str(total), [key_str(key) for key in members]) for total, members in groups],
        facts={key_str(key): cell_fact(scope, key) for key in values},
        masked={key_str(key) for key in masked},
        hidden={key_str(key) for key in hidden},
        new=new,
    )
    for cell in result["cells"]:
        if people and tuple(json.loads(cell["key"])) in people:
            cell["people"] = people[tuple(json.loads(cell["key"]))]
    return result


def publish_in_turn(*editions, threshold=11):
    """Publish ``(scope, values, groups)`` editions one after the other, as
    the register does; return the register (masked cells flagged) and the
    unprotected variables of each publication."""
    register, refused = [], []
    for number, (scope, values, groups) in enumerate(editions, start=1):
        new = scoped("new", scope, values, groups, new=True)
        system, var_of, _result, unprotected = publish([*register, new], threshold, parents=PARENTS)
        refused.append(unprotected)
        masked = {key for key in values if var_of[("new", key_str(key))] in system.masked}
        register.append(scoped(number, scope, values, groups, masked=masked))
    return register, refused


def interval(register, scope, key, value, threshold=11, parents=None):
    """What the register tells of ``key`` over ``scope``, a figure no edition
    prints (a probe edition holds it, never shown)."""
    parents = PARENTS if parents is None else parents
    probe = scoped("probe", scope, {key: value}, hidden={key})
    system, var_of, _primary = build_system([*register, probe], threshold, parents=parents)
    var = var_of[("probe", key_str(key))]
    low, high, _ok = audit(system, threshold, targets={var})[var]
    return low, high


class TestNestedEditions(PsysClock, BaseCase):
    """Hole 19: November and October-November of one town, a town inside
    the association's edition, an antenna inside it."""

    def test_november_then_october_november_of_one_town(self):
        """24 - 20 = 4: October is printed by no edition, but orientations add
        up over months, so the difference gives October's 4 orientations to
        the CMP back. People with a theme do not add up (a person may come in
        both months): the difference only says 'at least 4'."""
        november = Scope(date(2026, 11, 1), date(2026, 11, 30), None, TOWN, PARENTS)
        october_november = Scope(date(2026, 10, 1), date(2026, 11, 30), None, TOWN, PARENTS)
        october = Scope(date(2026, 10, 1), date(2026, 10, 31), None, TOWN, PARENTS)
        groups = [(("orient_total",), [("orient", CMP), ("orient", ASSOCIATION)])]
        register, refused = publish_in_turn(
            (
                november,
                {("theme", THEME): 20, ("orient", CMP): 20, ("orient", ASSOCIATION): 15, ("orient_total",): 35},
                groups,
            ),
            (
                october_november,
                {("theme", THEME): 24, ("orient", CMP): 24, ("orient", ASSOCIATION): 30, ("orient_total",): 54},
                groups,
            ),
        )
        self.assertEqual(refused, [[], []])
        # October's orientations to the CMP: no longer recomputable
        low, high = interval(register, october, ("orient", CMP), 4)
        self.assertGreaterEqual(high - low, 11, (low, high))
        # People with suicidal ideation in October: at least 24 - 20, at most 24
        self.assertEqual(interval(register, october, ("theme", THEME), 4), (4.0, 24.0))

    def test_october_november_then_november(self):
        """The same two editions published the other way round."""
        november = Scope(date(2026, 11, 1), date(2026, 11, 30), None, TOWN, PARENTS)
        october_november = Scope(date(2026, 10, 1), date(2026, 11, 30), None, TOWN, PARENTS)
        october = Scope(date(2026, 10, 1), date(2026, 10, 31), None, TOWN, PARENTS)
        groups = [(("orient_total",), [("orient", CMP), ("orient", ASSOCIATION)])]
        register, refused = publish_in_turn(
            (october_november, {("orient", CMP): 24, ("orient", ASSOCIATION): 30, ("orient_total",): 54}, groups),
            (november, {("orient", CMP): 20, ("orient", ASSOCIATION): 15, ("orient_total",): 35}, groups),
        )
        self.assertEqual(refused, [[], []])
        low, high = interval(register, october, ("orient", CMP), 4)
        self.assertGreaterEqual(high - low, 11, (low, high))

    def test_town_inside_the_association(self):
        """November for the association (30 orientations to the CMP), for
        Bourg (26): Villeneuve's masked 4 are at most 30 - 26."""
        period = (date(2026, 11, 1), date(2026, 11, 30))
        everywhere = Scope(*period, None, None, PARENTS)
        town = Scope(*period, None, TOWN, PARENTS)
        bourg = Scope(*period, None, BOURG, PARENTS)
        groups = [(("orient_total",), [("orient", CMP), ("orient", ASSOCIATION)])]
        register, refused = publish_in_turn(
            (everywhere, {("orient", CMP): 30, ("orient", ASSOCIATION): 40, ("orient_total",): 70}, groups),
            (town, {("orient", CMP): 4, ("orient", ASSOCIATION): 14, ("orient_total",): 18}, groups),
            (bourg, {("orient", CMP): 26, ("orient", ASSOCIATION): 26, ("orient_total",): 52}, groups),
        )
        self.assertEqual(refused, [[], [], []])
        shown = [
            {tuple(json.loads(cell["key"])): cell["value"] for cell in edition["cells"] if not cell["masked"]}
            for edition in register
        ]
        cmp = ("orient", CMP)
        self.assertNotIn(cmp, shown[1])  # Villeneuve's 4: masked
        # whoever subtracts Bourg from the association learns no more than
        # a wide interval for Villeneuve (today: at most 30 - 26 = 4)
        if cmp in shown[0] and cmp in shown[2]:
            self.assertGreaterEqual(shown[0][cmp] - shown[2][cmp], 11)
        low, high = interval(register, town, ("orient", CMP), 4)
        self.assertGreaterEqual(high - low, 11, (low, high))
        # a neighbourhood inside its town: the same containment, one level down
        nord = Scope(*period, None, NORD, PARENTS)
        low, high = interval(register, nord, ("orient", CMP), 1)
        self.assertGreaterEqual(high - low, 11, (low, high))

    def test_antenna_inside_the_association(self):
        """First visits of November: 30 everywhere, 26 at the antenna: the
        other places' 4 come back by difference."""
        period = (date(2026, 11, 1), date(2026, 11, 30))
        everywhere = Scope(*period, None, None, PARENTS)
        antenna = Scope(*period, 55, None, PARENTS)
        groups = [(("encounters",), [("visit", "first"), ("visit", "repeat")])]
        register, refused = publish_in_turn(
            (everywhere, {("visit", "first"): 30, ("visit", "repeat"): 60, ("encounters",): 90}, groups),
            (antenna, {("visit", "first"): 26, ("visit", "repeat"): 50, ("encounters",): 76}, groups),
        )
        self.assertEqual(refused, [[], []])
        # what the register knows of the other places: the antenna's figure
        # subtracted from the whole, as a latent difference
        self.assertTrue(register[1]["cells"][0]["masked"])
        low, high = interval(register, antenna, ("visit", "first"), 26)
        self.assertGreaterEqual(high - low, 11, (low, high))
