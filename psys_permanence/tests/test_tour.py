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
