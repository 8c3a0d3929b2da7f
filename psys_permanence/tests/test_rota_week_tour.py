from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_base.tests.common import PsysClock


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestRotaWeekTour(PsysClock, HttpCase):
    """Issue 27, point 10: the coordinator's week grid, in the browser."""

    def _user(self, login, groups, name):
        return mail_new_test_user(self.env, login=login, groups=groups, name=name, lang="en_US", tz="Europe/Paris")

    def setUp(self):
        super().setUp()
        self.env = self.env(context=dict(self.env.context, tracking_disable=True, no_reset_password=True))

    def test_coordinator_fills_an_open_shift_from_the_week(self):
        coordinator = self._user("psys_tour_week", "psys_base.group_psys_coordinator", "Semaine Coordination")
        coordinator.write({"action_id": self.env.ref("psys_base.action_psys_home").id})
        volunteers = "psys_base.group_psys_therapist,psys_permanence.group_psys_volunteer"
        free = self._user("psys_tour_week_free", volunteers, "Grille Volontaire")
        busy = self._user("psys_tour_week_busy", volunteers, "Occupé Volontaire")
        away = self._user("psys_tour_week_away", volunteers, "Absente Volontaire")
        location = self.env["psys.location"].create({"name": "Antenne de la semaine"})
        permanence = self.env["psys.permanence"].create(
            {
                "name": "Permanence de la semaine",
                "location_id": location.id,
                "attendance_ids": [(0, 0, {"dayofweek": str(day), "hour_from": 9, "hour_to": 12}) for day in range(7)],
                "date_start": "2026-01-01",
            }
        )
        today = fields.Date.context_today(permanence.with_context(tz="Europe/Paris"))
        start, stop = permanence._get_session_interval(today)
        session = self.env["psys.session"].create(
            {
                "permanence_id": permanence.id,
                "date": today,
                "start": start,
                "stop": stop,
                "shift_ids": [(0, 0, {"role": "reception", "user_id": busy.id}), (0, 0, {"role": "interview"})],
            }
        )
        Availability = self.env["psys.volunteer.availability"]
        for user in (free, busy, away):
            Availability.create(
                {
                    "user_id": user.id,
                    "max_shifts_month": 0,
                    **dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), True),
                }
            )
        Availability.search([("user_id", "=", away.id)]).unavailability_ids = [
            (0, 0, {"date_from": today, "date_to": today, "reason": "Congés"})
        ]
        gap = session.shift_ids.filtered(lambda shift: shift.role == "interview")
        self.assertEqual(gap.state, "open")
        self.start_tour("/odoo", "psys_permanence_rota_week_tour", login=coordinator.login)
        self.assertEqual(gap.user_id, free)
        self.assertEqual(gap.state, "filled")
        self.assertIn(free.partner_id, gap.calendar_event_id.partner_ids)

    def test_session_calendar_has_a_legend(self):
        """Issue 27, point 16: the session calendar's colours explained, its titles whole."""
        coordinator = self._user("psys_tour_legend", "psys_base.group_psys_coordinator", "Légende Coordination")
        permanence = self.env["psys.permanence"].create(
            {
                "name": "Permanence de la semaine – une antenne au nom long",
                "location_id": self.env["psys.location"].create({"name": "Antenne de la légende"}).id,
                "attendance_ids": [(0, 0, {"dayofweek": str(day), "hour_from": 9, "hour_to": 12}) for day in range(7)],
                "date_start": "2026-01-01",
            }
        )
        today = fields.Date.context_today(permanence.with_context(tz="Europe/Paris"))
        start, stop = permanence._get_session_interval(today)
        self.env["psys.session"].create({"permanence_id": permanence.id, "date": today, "start": start, "stop": stop})
        self.start_tour(
            "/odoo/action-psys_permanence.psys_session_action",
            "psys_permanence_session_legend_tour",
            login=coordinator.login,
        )
