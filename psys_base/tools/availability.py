"""What the availability engine (``psys.calendar.owner._psys_availability``)
answers, and how its callers read it."""

from bisect import bisect_left, bisect_right
from typing import NamedTuple

import pytz

from odoo.addons.resource.models.utils import Intervals


class Availability(NamedTuple):
    """When a place, a permanence or a partnership is open, between two
    instants (``Intervals`` of aware datetimes, each interval with the
    calendar lines or leaves it comes from)."""

    hours: Intervals  # its calendar's own hours (the lines of its working hours)
    closed: Intervals  # its days off: its calendar's, its association's (public holidays), its place's
    open: Intervals  # the hours, minus the days off, minus what was busy


def covering(intervals):
    """A test ``covers(start, stop)``: whether [start, stop] lies inside one
    of ``intervals`` (one bisection, however many there are)."""
    items = list(intervals)
    starts = [item[0] for item in items]

    def covers(start, stop):
        index = bisect_right(starts, start) - 1
        return index >= 0 and items[index][1] >= stop

    return covers


def overlapping(intervals):
    """A test ``overlaps(start, stop)``: whether [start, stop) meets one of
    ``intervals`` (sorted and disjoint: only the last one starting before
    ``stop`` can)."""
    items = list(intervals)
    starts = [item[0] for item in items]

    def overlaps(start, stop):
        index = bisect_left(starts, stop) - 1
        return index >= 0 and items[index][1] > start

    return overlaps


def busy_intervals(periods, records):
    """``Intervals`` of ``periods`` ((start, stop) in naive UTC, as stored),
    each with ``records`` (an empty recordset will do)."""
    return Intervals([(pytz.utc.localize(start), pytz.utc.localize(stop), records) for start, stop in periods])
