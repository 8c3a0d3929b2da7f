from odoo.tests import BaseCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock
from odoo.addons.psys_reporting.tools.secrecy import apply_secrecy


def table(rows, prefix="c"):
    """Cells and groups of a table of people with row and column totals.

    ``rows`` is a list of lists of counts; returns ``cells, groups`` with
    keys (prefix, i, j), (prefix, i, None), (prefix, None, j), (prefix, None, None).
    """
    cells, groups = {}, []
    width = len(rows[0])
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cells[(prefix, i, j)] = (value, value)
        cells[(prefix, i, None)] = (sum(row), sum(row))
        groups.append(((prefix, i, None), [(prefix, i, j) for j in range(width)]))
    for j in range(width):
        total = sum(row[j] for row in rows)
        cells[(prefix, None, j)] = (total, total)
        groups.append(((prefix, None, j), [(prefix, i, j) for i in range(len(rows))]))
    grand = sum(map(sum, rows))
    cells[(prefix, None, None)] = (grand, grand)
    groups.append(((prefix, None, None), [(prefix, i, None) for i in range(len(rows))]))
    groups.append(((prefix, None, None), [(prefix, None, j) for j in range(width)]))
    return cells, groups


@tagged("psys", "psys_reporting", "at_install")
class TestSecrecy(PsysClock, BaseCase):
    def assertNoSingleMasked(self, groups, masked):
        for total, members in groups:
            hidden = [key for key in (*members, total) if key in masked]
            self.assertNotEqual(len(hidden), 1, f"{total} = {members}: {hidden} can be recomputed")

    def test_single_small_cell_without_equation(self):
        cells = {"a": (5, 5), "b": (20, 20), "c": (0, 0), "d": (11, 11)}
        self.assertEqual(apply_secrecy(cells, [], 11), {"a"})

    def test_zero_and_threshold_are_published(self):
        cells = {"zero": (0, 0), "eleven": (11, 11), "ten": (10, 10), "one": (1, 1)}
        self.assertEqual(apply_secrecy(cells, [], 11), {"ten", "one"})

    def test_cells_without_people_are_not_masked(self):
        cells = {"hours": (3.5, None), "small": (2, 2)}
        self.assertEqual(apply_secrecy(cells, [], 11), {"small"})

    def test_row_with_one_small_cell_and_its_total(self):
        # One row: 4 + 30 + 50 = 84. Masking 4 alone lets 84 - 30 - 50 reveal it:
        # the smallest other cell of the row (30) is masked too.
        cells, groups = table([[4, 30, 50]])
        masked = apply_secrecy(cells, groups, 11)
        self.assertIn(("c", 0, 0), masked)
        self.assertIn(("c", 0, 1), masked)
        self.assertNotIn(("c", 0, 2), masked)
        self.assertNotIn(("c", 0, None), masked)
        self.assertNoSingleMasked(groups, masked)

    def test_two_by_three_table_secondary_suppression(self):
        #        A   B   C  | total
        # r0     3  20  40  |  63
        # r1    25  30  45  | 100
        cells, groups = table([[3, 20, 40], [25, 30, 45]])
        masked = apply_secrecy(cells, groups, 11)
        # primary
        self.assertIn(("c", 0, 0), masked)
        # row 0: smallest other cell; column A: the other cell of the column
        self.assertIn(("c", 0, 1), masked)
        self.assertIn(("c", 1, 0), masked)
        # then row 1 and column B each had one masked cell: they get a second one
        self.assertIn(("c", 1, 1), masked)
        self.assertNoSingleMasked(groups, masked)
        # the grand total and the big cells stay published
        self.assertNotIn(("c", None, None), masked)
        self.assertNotIn(("c", 0, 2), masked)

    def test_total_masked_when_no_other_member(self):
        # A single-member equation: the total equals the small cell, both masked.
        cells = {"town": (4, 4), "direct": (4, 4), "all": (50, 50), "other": (46, 46)}
        groups = [("town", ["direct"]), ("all", ["town", "other"])]
        masked = apply_secrecy(cells, groups, 11)
        self.assertEqual(masked, {"town", "direct", "other"})
        self.assertNoSingleMasked(groups, masked)

    def test_two_tables_differing_by_one_territory(self):
        # Towns table: Villeneuve 40, Bourg 30, total 70.
        # Neighbourhoods table: Villeneuve = Nord 36 + Sud 0 + attached to the town 4.
        # The 4 people attached directly to the town are secret; publishing
        # Nord (36) next to Villeneuve (40) would reveal them: Nord is masked.
        cells = {
            ("terr", "villeneuve"): (40, 40),
            ("terr", "bourg"): (30, 30),
            ("people",): (70, 70),
            ("terr", "nord"): (36, 36),
            ("terr", "sud"): (0, 0),
            ("direct", "villeneuve"): (4, 4),
        }
        groups = [
            (("people",), [("terr", "villeneuve"), ("terr", "bourg")]),
            (("terr", "villeneuve"), [("terr", "nord"), ("terr", "sud"), ("direct", "villeneuve")]),
        ]
        masked = apply_secrecy(cells, groups, 11)
        self.assertEqual(masked, {("direct", "villeneuve"), ("terr", "nord")})
        self.assertNoSingleMasked(groups, masked)

    def test_secret_town_propagates_to_the_other_table(self):
        # Bourg (5 people) is secret in the towns table; its neighbourhood
        # table shows Bourg = Centre 5: the same cell keys share the mask, and
        # the towns table masks a second town so the total reveals nothing.
        cells = {
            ("terr", "villeneuve"): (40, 40),
            ("terr", "bourg"): (5, 5),
            ("terr", "lac"): (20, 20),
            ("people",): (65, 65),
            ("terr", "centre"): (5, 5),
            ("terr", "nord"): (40, 40),
        }
        groups = [
            (("people",), [("terr", "villeneuve"), ("terr", "bourg"), ("terr", "lac")]),
            (("terr", "bourg"), [("terr", "centre")]),
            (("terr", "villeneuve"), [("terr", "nord")]),
        ]
        masked = apply_secrecy(cells, groups, 11)
        self.assertEqual(masked, {("terr", "bourg"), ("terr", "centre"), ("terr", "lac")})
        self.assertNoSingleMasked(groups, masked)

    def test_fixed_point_is_deterministic(self):
        cells, groups = table([[2, 15, 15, 30], [12, 3, 40, 50], [60, 70, 80, 90]])
        first = apply_secrecy(cells, groups, 11)
        self.assertEqual(first, apply_secrecy(cells, groups, 11))
        self.assertNoSingleMasked(groups, first)
        self.assertTrue({("c", 0, 0), ("c", 1, 1)} <= first)
