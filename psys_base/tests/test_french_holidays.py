from datetime import date

from odoo.tests import BaseCase, tagged

from ..tools.french_holidays import (
    easter_sunday,
    french_public_holidays,
    french_public_holidays_between,
    is_french_public_holiday,
)
from .common import PsysClock


@tagged("post_install", "-at_install", "psys")
class TestFrenchHolidays(PsysClock, BaseCase):
    def test_easter(self):
        known = {2024: date(2024, 3, 31), 2025: date(2025, 4, 20), 2026: date(2026, 4, 5), 2038: date(2038, 4, 25)}
        for year, sunday in known.items():
            self.assertEqual(easter_sunday(year), sunday)

    def test_the_eleven_days_of_2025(self):
        days = french_public_holidays(2025)
        self.assertEqual(len(days), 11)
        for day in (
            "2025-01-01",
            "2025-04-21",
            "2025-05-01",
            "2025-05-08",
            "2025-05-29",
            "2025-06-09",
            "2025-07-14",
            "2025-08-15",
            "2025-11-01",
            "2025-11-11",
            "2025-12-25",
        ):
            self.assertTrue(is_french_public_holiday(date.fromisoformat(day)), day)
        self.assertFalse(is_french_public_holiday(date(2025, 4, 18)))
        self.assertTrue(is_french_public_holiday(date(2025, 4, 18), alsace_moselle=True))

    def test_between_spans_years(self):
        days = french_public_holidays_between(date(2025, 12, 20), date(2026, 1, 5))
        self.assertEqual(days, {date(2025, 12, 25), date(2026, 1, 1)})
