from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import PermanenceCase

TODAY = "2027-03-05 10:30:00"  # a Friday, 11:30 in Paris


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestDeskTaps(PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._sessions(cls.permanence, date(2027, 3, 5), date(2027, 3, 5))
        # The volunteer at the desk holds its reception shift: the desk opens on
        # that session, whatever other sessions (the demo's) fall on that day.
        cls.session.shift_ids.filtered(lambda shift: shift.role == "reception").user_id = cls.user_reception
        cls.old_session = cls._sessions(cls.permanence, date(2027, 1, 8), date(2027, 1, 8))

    @freeze_time(TODAY)
    def test_new_person_gets_code_and_card(self):
        Register = self.env["psys.desk.register"].with_user(self.user_reception)
        with Form(Register) as form:
            self.assertEqual(form.session_id, self.session, "today's session preselected")
            form.mode = "new"
            form.link_initials = "CD"
            form.link_birth_year = "1950"
            self.assertEqual(form.age_bracket, "75_plus", "derived from the birth year just typed")
            form.gender = "female"
        wizard = form.record
        action = wizard.action_register()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id), "the code is shown")
        self.assertEqual(wizard.state, "done")
        person = wizard.visit_id.beneficiary_id
        self.assertEqual(wizard.registered_code, person.code)
        self.assertRegex(person.code, r"^P\d{2}-\d{5}$", "the placeholder e.g. P26-00042 looks like a real code")
        self.assertEqual(person.gender, "female")
        self.assertEqual(person.age_bracket, "75_plus")
        self.assertTrue(person.has_linking_key, "one sex/gender input feeds the linking key too")
        # The same person, found again with the same single input (once gone:
        # a person waits once at a time).
        wizard.visit_id.with_user(self.user_reception).action_left()
        again = Register.create(
            {"mode": "linking", "link_initials": "CD", "link_birth_year": "1950", "gender": "female"}
        )._register_visit()
        self.assertEqual(again.beneficiary_id, person)
        card = wizard.action_print_card()
        self.assertEqual(card["report_name"], "psys_base.report_psys_beneficiary_card")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("psys_base.report_psys_beneficiary_card", person.ids)[0]
            .decode()
        )
        self.assertIn(person.code, html)
        self.assertEqual(wizard.action_back_to_desk()["res_model"], "psys.desk.visit")

    @freeze_time(TODAY)
    def test_returning_person_goes_straight_to_the_desk(self):
        person = self._beneficiary()
        wizard = (
            self.env["psys.desk.register"].with_user(self.user_reception).create({"mode": "code", "code": person.code})
        )
        self.assertEqual(wizard.action_register()["res_model"], "psys.desk.visit")

    @freeze_time(TODAY)
    def test_undisclosed_sex_cannot_link(self):
        with self.assertRaisesRegex(ValidationError, "sex"):
            self.env["psys.desk.register"].with_user(self.user_reception).create(
                {"mode": "linking", "link_initials": "CD", "link_birth_year": "1950", "gender": "undisclosed"}
            )

    @freeze_time(TODAY)
    def test_session_choices_are_recent(self):
        domain = self.env["psys.desk.register"]._get_session_domain()
        sessions = self.env["psys.session"].search(domain)
        self.assertIn(self.session, sessions)
        self.assertNotIn(self.old_session, sessions)

    @freeze_time(TODAY)
    def test_queue_card_shows_remark_and_wait(self):
        visit = self.env["psys.desk.visit"].create(
            {"session_id": self.session.id, "arrival": "2027-03-05 10:05:00", "arrival_note": "Parle anglais"}
        )
        self.assertEqual(visit.waiting_minutes, 25)
        arch = self.env["psys.desk.visit"].get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn("waiting_minutes", arch)
        self.assertIn("arrival_note", arch)

    @freeze_time(TODAY)
    def test_encounter_shows_the_reception_remark(self):
        visit = self.env["psys.desk.visit"].create(
            {"session_id": self.session.id, "beneficiary_id": self._beneficiary().id, "arrival_note": "Parle anglais"}
        )
        visit.with_user(self.user_therapist).action_start_interview()
        self.assertEqual(visit.encounter_id.with_user(self.user_therapist).desk_arrival_note, "Parle anglais")
