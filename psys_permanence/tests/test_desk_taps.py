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

    @freeze_time(TODAY)
    def test_default_session_is_at_my_own_antenna(self):
        """Issue 27, point 11: with no shift today, the desk proposes today's
        session of her own antenna, never another antenna's phone line that
        opens earlier; with nothing to tell her antenna, an on-site session
        before a phone line."""
        line = self.env["psys.location"].create({"name": "Ligne d'écoute d'ailleurs", "kind": "phone"})
        phone = self._permanence("Ligne d'écoute", line, fri=True, hour_from=9, hour_to=20, modality="phone")
        self._sessions(phone, date(2027, 3, 5), date(2027, 3, 5))
        session_2 = self._sessions(self.permanence_2, date(2027, 3, 5), date(2027, 3, 5))
        # She volunteers at the second antenna (her availabilities).
        volunteer = self._volunteer("psys_desk_antenna_2", role="reception")
        self._availability(volunteer, location_ids=[(6, 0, self.location_2.ids)])

        def proposed(user):
            session_id = self.env["psys.desk.register"].with_user(user).default_get(["session_id"]).get("session_id")
            return self.env["psys.session"].browse(session_id)

        self.assertEqual(proposed(volunteer), session_2)
        # Her shifts of the weeks before say it too.
        regular = self._volunteer("psys_desk_regular", role="reception")
        earlier = self._sessions(self.permanence_2, date(2027, 2, 26), date(2027, 2, 26))
        earlier.shift_ids.filtered(lambda shift: shift.role == "reception").user_id = regular
        self.assertEqual(proposed(regular), session_2)
        # Her antenna has no session today: nothing proposed rather than another's.
        session_2._cancel("Salle prise")
        self.assertFalse(proposed(volunteer))
        # Nothing tells the coordinator's antenna: an on-site session first.
        self.assertEqual(proposed(self.user_coordinator), self.session)
        # Holding a shift today decides (the reception shift of setUpClass).
        self.assertEqual(proposed(self.user_reception), self.session)

    @freeze_time(TODAY)
    def test_register_from_the_desk_and_back_onto_it(self):
        """Issue 27, point 11: the desk's button opens the form over the desk
        (on the desk's session when it shows one); « Back to the desk »
        closes it onto that desk; from the menu, the desk of today is the
        first breadcrumb with its default filters."""
        Visit = self.env["psys.desk.visit"].with_user(self.user_reception)
        for view in ("kanban", "list"):
            arch = Visit.get_view(view_type=view)["arch"]
            self.assertIn('name="action_open_register"', arch, view)
        action = Visit.action_open_register()
        self.assertEqual((action["res_model"], action["target"]), ("psys.desk.register", "new"))
        self.assertEqual(action["context"], {})
        action = Visit.with_context(default_session_id=self.session.id).action_open_register()
        self.assertEqual(action["context"], {"default_session_id": self.session.id})
        # Opened over the desk: the form closes, the desk reloads as it was.
        Register = self.env["psys.desk.register"].with_user(self.user_reception)
        from_desk = Register.with_context(active_model="psys.desk.visit")
        wizard = from_desk.create({"mode": "new"})
        code_step = wizard.action_register()
        self.assertEqual(code_step["context"], {"active_model": "psys.desk.visit"})
        self.assertEqual(
            wizard.with_context(**code_step["context"]).action_back_to_desk()["type"], "ir.actions.act_window_close"
        )
        person = wizard.visit_id.beneficiary_id
        wizard.visit_id.action_left()
        self.assertEqual(
            from_desk.create({"mode": "code", "code": person.code}).action_register()["type"],
            "ir.actions.act_window_close",
        )
        # Opened from the menu: today's desk, first breadcrumb, filters kept.
        wizard = Register.create({"mode": "anonymous"})
        action = wizard.action_register()
        self.assertEqual((action["res_model"], action["target"]), ("psys.desk.visit", "main"))
        self.assertIn("'search_default_today': 1", action["context"])
        self.assertNotIn("domain", {key for key, value in action.items() if value})

    @freeze_time(TODAY)
    def test_today_and_my_antenna_together(self):
        """« Today » and « My antenna » are two filters: their visits are
        today's at my antenna (not today's anywhere, or any day's here);
        « Today » is the desk's local day, not the browser's."""
        here_today = self.env["psys.desk.visit"].create({"session_id": self.session.id})
        here_before = self.env["psys.desk.visit"].create({"session_id": self.old_session.id})
        elsewhere = self.env["psys.desk.visit"].create(
            {"session_id": self._sessions(self.permanence_2, date(2027, 3, 5), date(2027, 3, 5)).id}
        )
        search = self.env["psys.desk.visit"].get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("is_today", search)
        self.assertRegex(search, r'name="today"[^>]*/>\s*<separator/>')
        Visit = self.env["psys.desk.visit"].with_user(self.user_reception)
        ids = (here_today | here_before | elsewhere).ids
        self.assertEqual(
            Visit.search([("id", "in", ids), ("is_today", "=", True), ("is_my_antenna", "=", True)]), here_today
        )
        self.assertEqual(Visit.search([("id", "in", ids), ("is_today", "=", False)]), here_before)
