from datetime import date, datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestGeneration(PermanenceCase):
    def _local(self, utc_naive):
        return pytz.utc.localize(utc_naive).astimezone(pytz.timezone("Europe/Paris"))

    def test_generation_idempotent(self):
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31))
        self.assertEqual(sessions.mapped("date"), [date(2027, 3, d) for d in (5, 12, 19, 26)])
        self.assertEqual(len(sessions.shift_ids), 8)
        self.assertEqual(sorted(sessions.shift_ids.mapped("role")), ["interview"] * 4 + ["reception"] * 4)
        again = self._sessions(self.permanence, date(2027, 2, 20), date(2027, 3, 31))
        self.assertEqual(again.mapped("date"), [date(2027, 2, 26)], "only the day not generated yet is created")
        # A cancelled session is not generated again either.
        sessions[0]._cancel("Travaux")
        self.assertFalse(self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31)))
        self.assertEqual(self.env["psys.session"].search_count([("permanence_id", "=", self.permanence.id)]), 5)

    def test_role_counts_configurable(self):
        self.permanence.need_ids.filtered(lambda need: need.role == "interview").count = 2
        session = self._sessions(self.permanence, date(2027, 3, 5), date(2027, 3, 5))
        self.assertEqual(sorted(session.shift_ids.mapped("role")), ["interview", "interview", "reception"])

    def test_public_holidays_skipped(self):
        # Christmas 2026 and New Year 2027 fall on Fridays.
        fridays = self._sessions(self.permanence, date(2026, 12, 18), date(2027, 1, 8)).mapped("date")
        self.assertEqual(fridays, [date(2026, 12, 18), date(2027, 1, 8)])
        monday = self._permanence("Lundi", self.location, mon=True, thu=True, hour_from=9, hour_to=10)
        days = self._sessions(monday, date(2027, 3, 25), date(2027, 5, 20)).mapped("date")
        for holiday in (date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)):
            self.assertNotIn(holiday, days)
        self.assertIn(date(2027, 3, 25), days)
        self.assertIn(date(2027, 5, 10), days)

    def test_closures_skipped(self):
        """An antenna's leave closes it, a company-wide leave every antenna;
        a leave of another company or of a person closes nothing."""
        self._close("Travaux", date(2027, 3, 10), date(2027, 3, 14), self.location)
        self._close("Fermeture d'été", date(2027, 3, 26), date(2027, 3, 26))
        other_company = self.env["res.company"].create({"name": "Association voisine (fermetures)"})
        self.env["resource.calendar.leaves"].with_company(other_company).create(
            {
                "name": "Ailleurs",
                "calendar_id": False,
                "date_from": datetime(2027, 3, 18, 23, 0),
                "date_to": datetime(2027, 3, 19, 22, 59, 59),
            }
        )
        days = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31)).mapped("date")
        self.assertEqual(days, [date(2027, 3, 5), date(2027, 3, 19)])
        other = self._sessions(self.permanence_2, date(2027, 3, 1), date(2027, 3, 31)).mapped("date")
        self.assertEqual(other, [date(2027, 3, 5), date(2027, 3, 12), date(2027, 3, 19)])

    def test_partial_closure_closes_the_sessions_it_covers(self):
        """A leave of a few hours closes the sessions it overlaps only: the
        Friday afternoon closure takes the 11:00–17:00 session, not the
        evening one."""
        evening = self._permanence("Vendredi soir", self.location, fri=True, hour_from=18, hour_to=20)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Réunion d'équipe",
                "calendar_id": self.location.resource_calendar_id.id,
                "date_from": datetime(2027, 3, 12, 13, 0),  # 14:00 in Paris
                "date_to": datetime(2027, 3, 12, 15, 0),
            }
        )
        days = self._sessions(self.permanence, date(2027, 3, 8), date(2027, 3, 14)).mapped("date")
        self.assertFalse(days)
        self.assertEqual(
            self._sessions(evening, date(2027, 3, 8), date(2027, 3, 14)).mapped("date"), [date(2027, 3, 12)]
        )

    def test_new_closure_cancels_planned_sessions(self):
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31))
        other = self._sessions(self.permanence_2, date(2027, 3, 1), date(2027, 3, 31))
        leave = self._close("Dégât des eaux", date(2027, 3, 12), date(2027, 3, 12), self.location)
        cancelled = sessions.filtered(lambda session: session.state == "cancelled")
        self.assertEqual(cancelled.mapped("date"), [date(2027, 3, 12)])
        self.assertIn("Dégât des eaux", cancelled.cancel_reason)
        self.assertEqual(set(other.mapped("state")), {"planned"}, "the other antenna stays open")
        # Moved a week later, the leave takes that week's session too.
        leave.write({"date_from": leave.date_from + timedelta(days=7), "date_to": leave.date_to + timedelta(days=7)})
        cancelled = sessions.filtered(lambda session: session.state == "cancelled")
        self.assertEqual(cancelled.mapped("date"), [date(2027, 3, 12), date(2027, 3, 19)])
        # Every antenna closed: a company-wide leave.
        self._close("Fermeture de l'association", date(2027, 3, 26), date(2027, 3, 26))
        self.assertEqual(
            (sessions | other).filtered(lambda session: session.date == date(2027, 3, 26)).mapped("state"),
            ["cancelled", "cancelled"],
        )
        # A person's time off closes no antenna.
        resource = self.env["resource.resource"].create({"name": "Bénévole", "calendar_id": False})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Congé",
                "resource_id": resource.id,
                "date_from": datetime(2027, 3, 4, 23, 0),
                "date_to": datetime(2027, 3, 5, 22, 59, 59),
            }
        )
        self.assertEqual(sessions.filtered(lambda session: session.date == date(2027, 3, 5)).state, "planned")

    def test_local_hours_across_dst(self):
        # Summer time starts on 28 March 2027 and ends on 31 October 2027 in Paris.
        sessions = self._sessions(self.permanence, date(2027, 3, 19), date(2027, 4, 2))
        sessions |= self._sessions(self.permanence, date(2027, 10, 29), date(2027, 11, 5))
        by_day = {session.date: session for session in sessions}
        self.assertEqual(by_day[date(2027, 3, 26)].start.hour, 10, "winter: 11:00 in Paris is 10:00 UTC")
        self.assertEqual(by_day[date(2027, 4, 2)].start.hour, 9, "summer: 11:00 in Paris is 09:00 UTC")
        self.assertEqual(by_day[date(2027, 10, 29)].start.hour, 9)
        self.assertEqual(by_day[date(2027, 11, 5)].start.hour, 10)
        for session in sessions:
            self.assertEqual((self._local(session.start).hour, self._local(session.stop).hour), (11, 17))
            self.assertEqual(self._local(session.start).date(), session.date)
            self.assertEqual(session.duration, 6)

    def test_horizon_and_cron(self):
        self.env.company.psys_session_horizon_days = 21
        with freeze_time("2027-03-01 08:00:00"):
            self.permanence._cron_generate_sessions()
            sessions = self.env["psys.session"].search([("permanence_id", "=", self.permanence.id)])
            self.assertEqual(sessions.mapped("date"), [date(2027, 3, 5), date(2027, 3, 12), date(2027, 3, 19)])
            self.permanence.action_generate_sessions()
            self.assertEqual(self.env["psys.session"].search_count([("permanence_id", "=", self.permanence.id)]), 3)

    def test_validity_dates(self):
        self.permanence.date_end = date(2027, 3, 15)
        days = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31)).mapped("date")
        self.assertEqual(days, [date(2027, 3, 5), date(2027, 3, 12)])
        self.assertTrue(all(day <= date(2027, 3, 15) for day in days))
        self.assertFalse(self._sessions(self.permanence, date(2027, 4, 1), date(2027, 4, 1) + timedelta(days=30)))
