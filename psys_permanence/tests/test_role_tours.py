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
                "attendance_ids": [(0, 0, {"dayofweek": str(day), "hour_from": 0, "hour_to": 24}) for day in range(7)],
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
        user = self._user(
            "psys_tour_desk", "psys_base.group_psys_reception,psys_permanence.group_psys_volunteer", "Desk Tour"
        )
        user.write({"action_id": self.env.ref("psys_base.action_psys_home").id})
        self.env["psys.shift"].create({"session_id": self.rota_session.id, "role": "reception", "user_id": user.id})
        person = self.env["psys.beneficiary"].create({"code": "TOUR-CODE-1"})
        self.start_tour("/odoo", "psys_permanence_reception_code_tour", login=user.login)
        visit = self.env["psys.desk.visit"].search([("session_id", "=", self.rota_session.id)])
        self.assertEqual(visit.beneficiary_id, person)

    def test_therapist_writes_a_note_on_the_encounter(self):
        """From her home: today's queue, the person received, the note written
        on the encounter itself (the therapist's workspace)."""
        user = self._user(
            "psys_tour_therapist",
            "psys_base.group_psys_therapist,psys_permanence.group_psys_volunteer",
            "Therapist Tour",
        )
        user.write({"action_id": self.env.ref("psys_base.action_psys_home").id})
        self.env["psys.shift"].create({"session_id": self.rota_session.id, "role": "interview", "user_id": user.id})
        person = self.env["psys.beneficiary"].create({"code": "TOUR-NOTE-1"})
        visit = self.env["psys.desk.visit"].create({"session_id": self.rota_session.id, "beneficiary_id": person.id})
        self.start_tour("/odoo", "psys_permanence_therapist_note_tour", login=user.login)
        self.assertEqual(visit.state, "in_interview")
        self.assertEqual(visit.therapist_id, user)
        note = self.env["psys.note"].search([("encounter_id", "=", visit.encounter_id.id)])
        self.assertEqual(len(note), 1)
        self.assertEqual(note.body, "Angoisses au travail, revient dans quinze jours.")
        self.assertEqual(note.beneficiary_id, person)
        self.assertEqual(note.author_id, user)

    def test_coordinator_fills_a_gap_in_the_grid(self):
        """The rota grid: an open shift filled in place with a volunteer."""
        user = self._user("psys_tour_coordinator", "psys_base.group_psys_coordinator", "Coordinator Tour")
        user.write({"action_id": self.env.ref("psys_base.action_psys_home").id})
        volunteer = self._user(
            "psys_tour_volunteer",
            "psys_base.group_psys_therapist,psys_permanence.group_psys_volunteer",
            "Grille Volontaire",
        )
        gap = self.env["psys.shift"].create({"session_id": self.rota_session.id, "role": "interview"})
        self.assertEqual(gap.state, "open")
        self.start_tour("/odoo", "psys_permanence_coordinator_grid_tour", login=user.login)
        self.assertEqual(gap.user_id, volunteer)
        self.assertEqual(gap.state, "filled")
        self.assertIn(volunteer.partner_id, gap.calendar_event_id.partner_ids)
