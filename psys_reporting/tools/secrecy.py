"""Statistical secrecy for published tables, in pure Python.

A published bilan is a set of *cells*, each identified by a hashable key and
carrying ``(value, people)``: the number shown and how many distinct people it
is computed from. The same key may appear in several tables (a town's total in
the towns table and in the neighbourhoods table): it is one cell.

Additive equations are *groups* ``(total_key, member_keys)`` meaning
``value(total) == sum(value(members))``. Every published equation must be a
group, or a masked value could be recomputed from what is shown.

1. Primary secrecy: a cell counting more than 0 and fewer than ``threshold``
   people is masked.
2. Secondary secrecy: while a group has exactly one masked cell (member or
   total), the smallest non-zero unmasked member of that group is masked too
   (its total when no member is left), until nothing changes.
"""


def primary_masked(cells, threshold):
    """Keys of the cells counting more than 0 and fewer than ``threshold`` people."""
    return {key for key, (_value, people) in cells.items() if people is not None and 0 < people < threshold}


def apply_secrecy(cells, groups, threshold):
    """Return the set of keys to mask.

    :param cells: dict ``key -> (value, people)``; ``people`` None means the
        cell counts no people (it is never masked on its own).
    :param groups: iterable of ``(total_key, [member_keys])``.
    :param threshold: smallest number of people a published cell may count.
    """
    masked = primary_masked(cells, threshold)
    groups = [(total, [key for key in members if key in cells]) for total, members in groups if total in cells]
    changed = True
    while changed:
        changed = False
        for total, members in groups:
            hidden = [key for key in (*members, total) if key in masked]
            if len(hidden) != 1:
                continue
            candidates = [key for key in members if key not in masked and cells[key][0]]
            if candidates:
                pick = min(candidates, key=lambda key: (cells[key][0], repr(key)))
            elif total not in masked:
                pick = total
            else:
                # The total is the only masked cell and every member is zero:
                # then the total is zero too, and nothing is left to protect.
                continue
            masked.add(pick)
            changed = True
    return masked
