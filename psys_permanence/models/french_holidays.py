"""French public holidays (metropolitan France), computed without any package."""

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


@lru_cache(maxsize=64)
def french_public_holidays(year):
    """The eleven public holidays of metropolitan France for ``year``."""
    easter = easter_sunday(year)
    days = {date(year, month, day) for month, day in FIXED_HOLIDAYS}
    days |= {
        easter + timedelta(days=1),  # Lundi de Pâques
        easter + timedelta(days=39),  # Ascension
        easter + timedelta(days=50),  # Lundi de Pentecôte
    }
    return frozenset(days)


def is_french_public_holiday(day):
    return day in french_public_holidays(day.year)
