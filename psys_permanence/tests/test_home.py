from datetime import date

from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestHome(PermanenceCase):
    """Each role lands on its own screen (the app's action and the users' home)."""

    def _home(self, user):
        action = self.env.ref("psys_base.action_psys_home").with_user(user).run()
        return action

    def _dashboard(self, user):
        # As the web client does: save, then read the computed sections.
        dashboard = self.env["psys.dashboard"].with_user(user).create({})
        dashboard.invalidate_recordset()
        return dashboard

    def test_reception_lands_on_todays_desk(self):
        action = self._home(self.user_reception)
        self.assertEqual(action["res_model"], "psys.desk.visit")
        self.assertIn("search_default_today", action["context"])

    def test_therapist_lands_on_shifts_and_queue(self):
        session = self._sessions(self.permanence, date(2026, 11, 6), date(2026, 11, 6))
        shift = session.shift_ids.filtered(lambda shift: shift.role == "interview")
        shift.user_id = self.user_therapist
        # A session today (a Wednesday), out of the permanence's weekdays.
        today = self.env["psys.session"].create(
            {
                "permanence_id": self.permanence_2.id,
                "date": date(2026, 11, 4),
                "start": "2026-11-04 08:00:00",
                "stop": "2026-11-04 17:00:00",
            }
        )
        visit = self.env["psys.desk.visit"].create({"session_id": today.id, "arrival_note": "Parle anglais"})
        action = self._home(self.user_therapist)
        self.assertEqual(action["res_model"], "psys.dashboard")
        dashboard = self._dashboard(self.user_therapist)
        self.assertIn(shift, dashboard.my_shift_ids)
        self.assertIn(visit, dashboard.queue_visit_ids)
        self.assertFalse(dashboard.understaffed_session_ids, "coverage is the coordinator's section")

    def test_coordinator_lands_on_the_dashboard(self):
        sessions = self._sessions(self.permanence, date(2026, 11, 5), date(2026, 12, 31))
        action = self._home(self.user_coordinator)
        self.assertEqual(action["res_model"], "psys.dashboard")
        dashboard = self._dashboard(self.user_coordinator)
        within = sessions.filtered(lambda session: session.date < date(2026, 12, 2))
        self.assertTrue(within)
        self.assertGreaterEqual(dashboard.coverage_uncovered_count, len(within))
        listed = dashboard.understaffed_session_ids
        self.assertTrue(listed)
        self.assertTrue(all(date(2026, 11, 4) <= day < date(2026, 12, 2) for day in listed.mapped("date")))
        self.assertNotIn("covered", listed.mapped("coverage"))
        coverage = dashboard.action_open_coverage()
        self.assertEqual(coverage["res_model"], "psys.session")

    def test_demo_users_home(self):
        for login in ("accueil", "therapeute", "coordination"):
            user = self.env["res.users"].search([("login", "=", login)])
            if user:
                self.assertEqual(user.action_id.id, self.env.ref("psys_base.action_psys_home").id)
