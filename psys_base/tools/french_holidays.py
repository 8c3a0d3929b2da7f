"""French public holidays, computed without any package.

Shared by the doors that plan sessions or slots (permanences, partnerships):
``from odoo.addons.psys_base.tools.french_holidays import is_french_public_holiday``.
"""

from datetime import date, timedelta
from functools import lru_cache

FIXED_HOLIDAYS = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]


def easter_sunday(year):
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=128)
def french_public_holidays(year, alsace_moselle=False):
    """The eleven public holidays of France for ``year`` (thirteen in
    Alsace-Moselle, with Good Friday and Saint Stephen's day)."""
    easter = easter_sunday(year)
    days = {date(year, month, day) for month, day in FIXED_HOLIDAYS}
    days |= {
        easter + timedelta(days=1),  # Lundi de Pâques
        easter + timedelta(days=39),  # Ascension
        easter + timedelta(days=50),  # Lundi de Pentecôte
    }
    if alsace_moselle:
        days |= {easter - timedelta(days=2), date(year, 12, 26)}
    return frozenset(days)


def is_french_public_holiday(day, alsace_moselle=False):
    return day in french_public_holidays(day.year, alsace_moselle)


def french_public_holidays_between(date_from, date_to, alsace_moselle=False):
    """The holidays from ``date_from`` to ``date_to``, both included."""
    return {
        day
        for year in range(date_from.year, date_to.year + 1)
        for day in french_public_holidays(year, alsace_moselle)
        if date_from <= day <= date_to
    }
