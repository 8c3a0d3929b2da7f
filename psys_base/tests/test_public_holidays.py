from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysCase

EASTER_MONDAY_2027 = date(2027, 3, 29)
GOOD_FRIDAY_2027 = date(2027, 3, 26)
SAINT_STEPHEN_2027 = date(2027, 12, 26)


@tagged("post_install", "-at_install", "psys")
class TestPublicHolidays(PsysCase):
    """The public holidays are company-wide leaves written by a yearly job
    (this year and the next two, from Wednesday 4 November 2026)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A new association gets its holidays with it, in its language.
        partner = cls.env["res.partner"].create({"name": "Association des fériés", "lang": "en_US"})
        cls.association = cls.env["res.company"].create({"name": partner.name, "partner_id": partner.id})

    def _holidays(self, company=None):
        """{date: leave} of the public holidays of ``company`` (the test's association)."""
        leaves = self.env["resource.calendar.leaves"].search(
            [("company_id", "=", (company or self.association).id), ("psys_holiday_date", "!=", False)]
        )
        return {leave.psys_holiday_date: leave for leave in leaves}

    def test_the_job_writes_three_years_of_holidays(self):
        holidays = self._holidays()
        self.assertEqual(len(holidays), 33, "eleven a year, from 2026 to 2028")
        self.assertEqual(min(holidays), date(2026, 1, 1))
        self.assertEqual(max(holidays), date(2028, 12, 25))
        easter_monday = holidays[EASTER_MONDAY_2027]
        self.assertEqual(easter_monday.name, "Public holiday: Easter Monday")
        self.assertFalse(easter_monday.calendar_id)
        self.assertFalse(easter_monday.resource_id)
        self.assertEqual(easter_monday.time_type, "leave")
        # The whole local day in Paris (summer time since the day before).
        self.assertEqual(easter_monday.date_from, datetime(2027, 3, 28, 22, 0))
        self.assertEqual(easter_monday.date_to, datetime(2027, 3, 29, 21, 59, 59))
        self.assertNotIn(GOOD_FRIDAY_2027, holidays)
        self.assertNotIn(SAINT_STEPHEN_2027, holidays)

    def test_the_job_is_idempotent(self):
        before = self._holidays()
        self.env["res.company"]._cron_psys_public_holidays()
        self.assertFalse(self.association._psys_sync_public_holidays(), "nothing new")
        self.assertEqual(self._holidays(), before)

    def test_holidays_are_named_in_the_association_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["psys_base"], ["fr_FR"], overwrite=True)
        partner = self.env["res.partner"].create({"name": "Association francophone", "lang": "fr_FR"})
        french = self.env["res.company"].create({"name": partner.name, "partner_id": partner.id})
        self.assertEqual(self._holidays(french)[EASTER_MONDAY_2027].name, "Jour férié : Lundi de Pâques")

    def test_a_dismissed_holiday_does_not_come_back(self):
        """A coordinator removes a holiday (the association stays open); the
        next runs of the job leave it out, until the dismissal goes."""
        holiday = self._holidays(self.company)[EASTER_MONDAY_2027]
        with self.assertRaises(AccessError):
            holiday.with_user(self.user_reception).unlink()
        name = holiday.name
        holiday.with_user(self.user_coordinator).unlink()
        dismissal = self.env["psys.holiday.dismissal"].search([("company_id", "=", self.company.id)])
        self.assertEqual(dismissal.date, EASTER_MONDAY_2027)
        self.assertEqual(dismissal.name, name)
        self.env["res.company"]._cron_psys_public_holidays()
        self.assertNotIn(EASTER_MONDAY_2027, self._holidays(self.company))
        # Another association keeps its own.
        self.assertIn(EASTER_MONDAY_2027, self._holidays())
        # Worked holidays are read by the association only, and undone by a coordinator.
        self.assertFalse(self.env["psys.holiday.dismissal"].with_user(self.user_therapist_b).search([]))
        with self.assertRaises(AccessError):
            dismissal.with_user(self.user_reception).unlink()
        dismissal.with_user(self.user_coordinator).unlink()
        self.assertIn(EASTER_MONDAY_2027, self._holidays(self.company), "a day off again at once")

    def test_alsace_moselle_on_and_off(self):
        """Good Friday and Saint Stephen's Day are holidays where the
        association says it works in Alsace-Moselle; turned off, they go
        (and are not remembered as dismissed)."""
        settings = self.env["res.config.settings"].with_company(self.association)
        settings.create({"psys_alsace_moselle": True}).execute()
        self.assertTrue(self.association.psys_alsace_moselle)
        holidays = self._holidays()
        self.assertEqual(len(holidays), 39)
        self.assertEqual(holidays[GOOD_FRIDAY_2027].name, "Public holiday: Good Friday")
        self.assertIn(SAINT_STEPHEN_2027, holidays)
        self.assertNotIn(GOOD_FRIDAY_2027, self._holidays(self.company_b), "another association's setting")
        settings.create({"psys_alsace_moselle": False}).execute()
        holidays = self._holidays()
        self.assertEqual(len(holidays), 33)
        self.assertNotIn(GOOD_FRIDAY_2027, holidays)
        self.assertFalse(self.env["psys.holiday.dismissal"].search([("company_id", "=", self.association.id)]))
        self.association.psys_alsace_moselle = True
        self.assertIn(GOOD_FRIDAY_2027, self._holidays())

    def test_a_holiday_stays_marked(self):
        """Nobody moves the mark of a public holiday: the job finds its own
        leaves by it (moved to another day, the holiday would come back)."""
        holiday = self._holidays(self.company)[EASTER_MONDAY_2027].with_user(self.user_coordinator)
        with self.assertRaises(AccessError):
            holiday.write({"psys_holiday_date": date(2027, 3, 30)})
        self.assertEqual(holiday.psys_holiday_date, EASTER_MONDAY_2027)

    def test_an_administrator_makes_an_association_with_its_holidays(self):
        """Made or set by an administrator (not a coordinator), written as
        her; an association she does not work in gets them from the job, run
        at once."""
        admin = self._psys_user("psys_admin_holidays", "base.group_system,base.group_partner_manager")
        other = self.env["res.company"].with_user(admin).create({"name": "Association lointaine"})
        self.assertEqual(len(self._holidays(other)), 33)
        cron = self.env.ref("psys_base.ir_cron_psys_public_holidays")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        admin.company_ids -= other
        other.with_user(admin).psys_alsace_moselle = True
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
        self.assertNotIn(GOOD_FRIDAY_2027, self._holidays(other))
        cron.method_direct_trigger()
        self.assertIn(GOOD_FRIDAY_2027, self._holidays(other))
