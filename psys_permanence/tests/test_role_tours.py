from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_base.tests.common import PsysClock


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestRoleTours(PsysClock, HttpCase):
    """Each role's main job, from its home, in the browser."""

    def setUp(self):
        super().setUp()
        self.env = self.env(context=dict(self.env.context, tracking_disable=True, no_reset_password=True))
        self.location = self.env["psys.location"].create({"name": "Antenne de la grille"})
        permanence = self.env["psys.permanence"].create(
            {
                "name": "Permanence des tournées",
                "location_id": self.location.id,
                **dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), True),
                "hour_from": 0,
                "hour_to": 24,
                "date_start": "2026-01-01",
            }
        )
        today = fields.Date.context_today(permanence.with_context(tz="Europe/Paris"))
        start, stop = permanence._get_session_interval(today)
        self.rota_session = self.env["psys.session"].create(
            {"permanence_id": permanence.id, "date": today, "start": start, "stop": stop}
        )

    def _user(self, login, groups, name):
        return mail_new_test_user(self.env, login=login, groups=groups, name=name, lang="en_US", tz="Europe/Paris")

    def test_reception_registers_a_returning_person_by_code(self):
        user = self._user("psys_tour_desk", "psys_base.group_psys_reception", "Desk Tour")
        user.write({"action_id": self.env.ref("psys_base.action_psys_home").id})
        self.env["psys.shift"].create({"session_id": self.rota_session.id, "role": "reception", "user_id": user.id})
        person = self.env["psys.beneficiary"].create({"code": "TOUR-CODE-1"})
        self.start_tour("/odoo", "psys_permanence_reception_code_tour", login=user.login)
        visit = self.env["psys.desk.visit"].search([("session_id", "=", self.rota_session.id)])
        self.assertEqual(visit.beneficiary_id, person)
