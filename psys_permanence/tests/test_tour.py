from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_base.tests.common import PsysClock


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestDeskTour(PsysClock, HttpCase):
    def test_desk_tour(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True, no_reset_password=True))
        user = mail_new_test_user(
            env,
            login="psys_tour_reception",
            groups="psys_base.group_psys_reception,psys_permanence.group_psys_volunteer",
            name="Accueil Tour",
            lang="en_US",  # the tour reads English labels
            tz="Europe/Paris",
        )
        location = env["psys.location"].create({"name": "Antenne de la visite guidée"})
        permanence = env["psys.permanence"].create(
            {
                "name": "Permanence de la visite",
                "location_id": location.id,
                "attendance_ids": [(0, 0, {"dayofweek": str(day), "hour_from": 0, "hour_to": 24}) for day in range(7)],
            }
        )
        # Today's session, even on a public holiday.
        today = fields.Date.context_today(permanence.with_context(tz="Europe/Paris"))
        start, stop = permanence._get_session_interval(today)
        session = env["psys.session"].create(
            {
                "permanence_id": permanence.id,
                "date": today,
                "start": start,
                "stop": stop,
                "shift_ids": [(0, 0, {"role": "reception", "user_id": user.id})],
            }
        )
        self.start_tour("/odoo", "psys_permanence_desk_tour", login="psys_tour_reception")
        visit = env["psys.desk.visit"].search([("session_id", "=", session.id)])
        self.assertEqual(visit.arrival_note, "Parle anglais")
        self.assertEqual(visit.state, "arrived")
        self.assertTrue(visit.beneficiary_id.code)


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestDeskButtonTour(PsysClock, HttpCase):
    """Issue 27, point 11: the desk's own « Register a walk-in » button, the
    session of the user's own antenna, « Back to the desk » onto the same
    desk (one breadcrumb, « Today » kept)."""

    def _session(self, name, location, modality, hour_from):
        permanence = self.env["psys.permanence"].create(
            {
                "name": name,
                "location_id": location.id,
                "modality": modality,
                "attendance_ids": [
                    (0, 0, {"dayofweek": str(day), "hour_from": hour_from, "hour_to": 24}) for day in range(7)
                ],
                "date_start": "2026-01-01",
            }
        )
        today = fields.Date.context_today(permanence.with_context(tz="Europe/Paris"))
        start, stop = permanence._get_session_interval(today)
        return self.env["psys.session"].create(
            {"permanence_id": permanence.id, "date": today, "start": start, "stop": stop}
        )

    def test_register_from_the_desk_and_back(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=True, no_reset_password=True))
        user = mail_new_test_user(
            self.env,
            login="psys_tour_desk_button",
            groups="psys_base.group_psys_reception,psys_permanence.group_psys_volunteer",
            name="Accueil Bouton",
            lang="en_US",  # the tour reads English labels
            tz="Europe/Paris",
        )
        user.write({"action_id": self.env.ref("psys_base.action_psys_home").id})
        own = self.env["psys.location"].create({"name": "Antenne de l'accueil"})
        elsewhere = self.env["psys.location"].create({"name": "Ligne d'ailleurs", "kind": "phone"})
        # Another antenna's phone line opens first today; her antenna's
        # session a little later. She holds no shift today: she volunteers
        # at her antenna.
        self._session("Ligne d'écoute d'ailleurs", elsewhere, "phone", 0)
        session = self._session("Permanence de l'accueil", own, "on_site", 0.5)
        self.env["psys.volunteer.availability"].create({"user_id": user.id, "location_ids": [(6, 0, own.ids)]})
        person = self.env["psys.beneficiary"].create({"code": "TOUR-BUTTON-1"})
        self.start_tour("/odoo", "psys_permanence_desk_button_tour", login=user.login)
        visits = self.env["psys.desk.visit"].search([("session_id", "=", session.id)])
        self.assertEqual(len(visits), 2)
        self.assertEqual(visits.filtered("arrival_note").arrival_note, "Parle anglais")
        self.assertIn(person, visits.beneficiary_id)
