from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.psys_base.tests.common import stored_row

from .common import PermanenceCase

TODAY = "2027-03-05 10:30:00"  # a Friday, 11:30 in Paris


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestDesk(PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._sessions(cls.permanence, date(2027, 3, 5), date(2027, 3, 5))
        cls.session.shift_ids.filtered(lambda shift: shift.role == "reception").user_id = cls.user_reception
        cls.session.shift_ids.filtered(lambda shift: shift.role == "interview").user_id = cls.user_therapist
        cls.partner_structure = cls.structure

    def _register_visit(self, user=None, **values):
        wizard = self.env["psys.desk.register"].with_user(user or self.user_reception).create(values)
        return wizard._register_visit()

    @freeze_time(TODAY)
    def test_reception_flow(self):
        Register = self.env["psys.desk.register"].with_user(self.user_reception)
        self.assertEqual(Register.create({"mode": "new"}).session_id, self.session, "today's session by default")
        visit = self._register_visit(
            mode="new",
            link_initials="AB",
            link_birth_year=1990,
            link_sex="f",
            gender="female",
            territory_id=self.territory.id,
            referral_source="structure",
            referral_partner_id=self.partner_structure.id,
        )
        beneficiary = visit.beneficiary_id
        self.assertEqual(visit.session_id, self.session)
        self.assertEqual(visit.state, "arrived")
        self.assertEqual(visit.queue_position, 1)
        self.assertEqual(beneficiary.age_bracket, "26_39", "derived from the birth year, which is not stored")
        self.assertEqual(beneficiary.first_referrer_id, self.partner_structure)
        self.assertTrue(beneficiary.has_linking_key)
        # Neither the stub nor the desk form kept the inputs, only their key.
        self.env.flush_all()
        for table in ("psys_beneficiary", "psys_desk_register"):
            self.assertNotIn("1990", stored_row(self.cr, table), table)
        # A returning person, found by re-typed inputs then by code: no new stub.
        # (Gone in between: a person waits once at a time.)
        visit.with_user(self.user_reception).action_left()
        again = self._register_visit(mode="linking", link_initials="a.b.", link_birth_year=1990, link_sex="f")
        self.assertEqual(again.beneficiary_id, beneficiary)
        self.assertEqual(again.queue_position, 1)
        again.with_user(self.user_reception).action_left()
        by_code = self._register_visit(mode="code", code=beneficiary.code)
        self.assertEqual(by_code.beneficiary_id, beneficiary)
        by_code.with_user(self.user_reception).action_left()
        anonymous = self._register_visit(mode="anonymous")
        self.assertFalse(anonymous.beneficiary_id)
        self.assertEqual(self.env["psys.beneficiary"]._find_by_linking_inputs("AB", 1990, "f"), beneficiary)
        # A "first visit" typed with the inputs of a known person finds that person.
        first = self._register_visit(mode="new", link_initials="A-B", link_birth_year=1990, link_sex="f")
        self.assertEqual(first.beneficiary_id, beneficiary)
        first.with_user(self.user_reception).action_left()
        self.assertEqual(self.env["psys.beneficiary"]._find_by_linking_inputs("AB", 1990, "f"), beneficiary)
        audits = self.env["psys.linking.audit"].search([("user_id", "=", self.user_reception.id)], order="id")
        self.assertEqual(audits.mapped("origin"), ["desk", "desk", "desk"])
        self.assertEqual(audits.mapped("found"), [False, True, True])
        with self.assertRaises(UserError):
            self._register_visit(mode="code", code="INCONNU-999")
        with self.assertRaises(UserError):
            self._register_visit(mode="linking", link_initials="ZZ", link_birth_year=1950, link_sex="m")
        # (The failed lookup's audit row is committed in its own transaction on
        # a server; here assertRaises rolls back its savepoint with it.)
        # The person leaves without being seen, comes back in the queue.
        back = self._register_visit(mode="code", code=beneficiary.code)
        back.with_user(self.user_reception).action_left()
        self.assertEqual(back.state, "left")
        back.with_user(self.user_reception).action_back_to_queue()
        self.assertEqual(back.state, "arrived")
        # Reception cannot receive in interview.
        with self.assertRaises(UserError):
            back.with_user(self.user_reception).action_start_interview()
        self.assertEqual(back.state, "arrived")

    @freeze_time(TODAY)
    def test_therapist_flow_and_reception_blind_to_clinical(self):
        visit = self._register_visit(mode="new", referral_source="self")
        action = visit.with_user(self.user_therapist).action_start_interview()
        encounter = visit.encounter_id
        self.assertEqual(action["res_id"], encounter.id)
        self.assertEqual(visit.state, "in_interview")
        self.assertEqual(visit.therapist_id, self.user_therapist)
        self.assertEqual(encounter.kind, "permanence")
        self.assertEqual(encounter.session_id, self.session)
        self.assertEqual(encounter.practitioner_ids, self.user_therapist)
        self.assertEqual(encounter.beneficiary_id, visit.beneficiary_id)
        self.assertEqual(encounter.referral_source, "self")
        as_therapist = encounter.with_user(self.user_therapist)
        as_therapist.write(
            {
                "duration": 0.75,
                "theme_ids": [(6, 0, self.theme.ids)],
                "contribution_amount": 5,
                "orientation_ids": [
                    (0, 0, {"target_id": self.target_cmp.id, "beneficiary_id": visit.beneficiary_id.id})
                ],
            }
        )
        note = (
            self.env["psys.note"]
            .with_user(self.user_therapist)
            .create(
                {
                    "beneficiary_id": visit.beneficiary_id.id,
                    "encounter_id": encounter.id,
                    "body": "Angoisse au travail.",
                }
            )
        )
        visit.with_user(self.user_therapist).action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(as_therapist.theme_ids, self.theme)
        self.assertEqual(encounter.orientation_ids.target_id, self.target_cmp)
        # Reception sees the visit and the encounter's non-clinical fields, never themes or notes.
        as_reception = encounter.with_user(self.user_reception)
        self.assertEqual(as_reception.duration, 0.75)
        self.assertEqual(visit.with_user(self.user_reception).read(["state"])[0]["state"], "done")
        with self.assertRaises(AccessError):
            as_reception.read(["theme_ids"])
        with self.assertRaises(AccessError):
            self.env["psys.encounter"].with_user(self.user_reception).search([("theme_ids", "in", self.theme.ids)])
        with self.assertRaises(AccessError):
            self.env["psys.note"].with_user(self.user_reception).browse(note.id).read(["body"])
        with self.assertRaises(AccessError):
            self.env["psys.note"].with_user(self.user_reception).search([("encounter_id", "=", encounter.id)])
        with self.assertRaises(AccessError):
            as_reception.write({"theme_ids": [(6, 0, [])]})

    @freeze_time(TODAY)
    def test_visit_states_and_cancelled_session(self):
        visit = self._register_visit(mode="anonymous")
        with self.assertRaises(UserError):
            visit.action_done()
        visit.action_left()
        with self.assertRaises(UserError):
            visit.with_user(self.user_therapist).action_start_interview()
        self.session._cancel("Fermeture exceptionnelle")
        with self.assertRaises(UserError):
            self._register_visit(mode="anonymous", session_id=self.session.id)

    @freeze_time(TODAY)
    def test_group_and_phone_encounters(self):
        group_permanence = self._permanence(
            "Groupe de soutien des femmes", self.location_2, modality="group", mon=True, hour_from=18, hour_to=20
        )
        group_session = self._sessions(group_permanence, date(2027, 3, 1), date(2027, 3, 1))
        context = group_session.action_new_encounter()["context"]
        self.assertEqual(context["default_kind"], "group")
        Encounter = self.env["psys.encounter"].with_user(self.user_therapist)
        group = Encounter.create(
            {
                "kind": "group",
                "session_id": group_session.id,
                "date_start": group_session.start,
                "duration": 2,
                "location_id": self.location_2.id,
                "audience_ids": [
                    (0, 0, {"audience": "women", "count": 7}),
                    (0, 0, {"audience": "residents", "count": 2}),
                ],
            }
        )
        self.assertEqual(group.participant_count, 9)
        self.assertFalse(group.beneficiary_id, "no stub for group participants")
        self.assertEqual(group.visit_type, "unknown")
        group.audience_ids.filtered(lambda line: line.audience == "residents").count = 4
        self.assertEqual(group.participant_count, 11)
        with self.assertRaises(ValidationError):
            Encounter.create({"kind": "permanence", "audience_ids": [(0, 0, {"audience": "women", "count": 3})]})
        with self.assertRaises(ValidationError):
            group.audience_ids[0].count = 0
        phone_permanence = self._permanence("Permanence téléphonique", self.location_2, modality="phone", tue=True)
        phone_session = self._sessions(phone_permanence, date(2027, 3, 2), date(2027, 3, 2))
        self.assertEqual(phone_session.action_new_encounter()["context"]["default_kind"], "phone")
        call = Encounter.create(
            {"kind": "phone", "session_id": phone_session.id, "beneficiary_id": self._beneficiary().id, "duration": 0.5}
        )
        self.assertEqual(call.participant_count, 1)
        self.assertEqual(phone_session.encounter_ids, call)

    @freeze_time(TODAY)
    def test_purge_wipes_desk_remarks(self):
        visit = self._register_visit(mode="new", arrival_note="Parle surtout arabe")
        visit.beneficiary_id._psys_anonymise()
        self.assertFalse(visit.arrival_note)
        self.assertEqual(visit.state, "arrived", "the statistics stay")
        self.assertEqual(visit.beneficiary_id.state, "anonymised")

    def test_volunteer_hours_indicator(self):
        # The rota indicators count the whole company, whose demo rota may fall
        # in March 2027 too (it follows the day the database was installed):
        # the other permanences' sessions of the month are set aside.
        self.env["psys.session"].search(
            [
                ("permanence_id", "!=", self.permanence.id),
                ("date", ">=", date(2027, 3, 1)),
                ("date", "<=", date(2027, 3, 31)),
            ]
        ).write({"state": "cancelled"})
        sessions = self._sessions(self.permanence, date(2027, 3, 12), date(2027, 3, 19))
        sessions.shift_ids.filtered(lambda shift: shift.role == "interview").user_id = self.user_therapist_2
        sessions[1]._cancel("Grève")
        indicators = {
            item["code"]: item
            for item in self.env["psys.report.hook"]._get_indicator_lines(
                date(2027, 3, 1), date(2027, 3, 31), self.env.company
            )
        }
        # 5 March: reception + interview, 12 March: interview; 19 March cancelled. 6 hours each.
        self.assertEqual(indicators["permanence_volunteer_hours"]["value"], 18)
        self.assertEqual(indicators["permanence_volunteer_hours_interview"]["value"], 12)
        self.assertEqual(indicators["permanence_volunteer_hours_reception"]["value"], 6)
        key = f"permanence_volunteer_hours_interview_user_{self.user_therapist_2.id}"
        self.assertEqual(indicators[key]["value"], 6)
        self.assertEqual(indicators[key]["unit"], "hours")
        self.assertEqual(indicators[key]["family"], "rota")
        self.assertTrue(indicators[key]["internal"], "a volunteer's name stays out of published bilans")
        self.assertFalse(indicators["permanence_volunteer_hours"].get("internal"))
        # 5 March fully staffed; 12 March lacks its reception; 19 March cancelled (not counted).
        self.assertEqual(indicators["permanence_coverage_rate"]["value"], 0.5)
        self.assertEqual(indicators["permanence_coverage_rate"]["unit"], "rate")
        # an association that holds no permanence gets no rota line
        other = self.env["psys.report.hook"]._get_indicator_values(date(2027, 3, 1), date(2027, 3, 31), self.company_b)
        self.assertFalse([line for line in other if line["indicator"].startswith("permanence_")])
        # the total of the hours is the line the bilan values, not its breakdowns
        self.assertEqual(
            [code for code, item in indicators.items() if item.get("role") == "volunteer_hours"],
            ["permanence_volunteer_hours"],
        )


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestDeskQueue(PermanenceCase):
    """Issue 27: the queue runs oldest first with each person's waiting time,
    at the user's own antenna; nobody waits twice; the desk reads French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._sessions(cls.permanence, date(2027, 3, 5), date(2027, 3, 5))
        cls.session_2 = cls._sessions(cls.permanence_2, date(2027, 3, 5), date(2027, 3, 5))
        cls.session.shift_ids.filtered(lambda shift: shift.role == "reception").user_id = cls.user_reception
        cls.session.shift_ids.filtered(lambda shift: shift.role == "interview")[:1].user_id = cls.user_therapist
        cls.Visit = cls.env["psys.desk.visit"]

    def _visit(self, session, arrival, beneficiary=None):
        return self.Visit.with_user(self.user_reception).create(
            {"session_id": session.id, "arrival": arrival, "beneficiary_id": beneficiary and beneficiary.id}
        )

    @freeze_time(TODAY)
    def test_queue_oldest_first_at_my_antenna(self):
        """Point 2: « Recevoir » on the top row takes the first to arrive."""
        first = self._visit(self.session, "2027-03-05 10:00:00", self._beneficiary())
        second = self._visit(self.session, "2027-03-05 10:20:00", self._beneficiary())
        elsewhere = self._visit(self.session_2, "2027-03-05 09:50:00", self._beneficiary())
        mine = (first | second | elsewhere).ids
        # The therapist's « File d'attente du jour »: her antenna, oldest first, with the waiting time.
        dashboard = self.env["psys.dashboard"].with_user(self.user_therapist).create({})
        dashboard.invalidate_recordset()
        self.assertEqual(dashboard.queue_visit_ids.ids, [first.id, second.id])
        self.assertEqual(dashboard.queue_visit_ids.mapped("waiting_minutes"), [30, 10])
        self.assertEqual(dashboard.waiting_count, 2)
        # The desk, as reception: the same order, its own antenna by default.
        action = self.env.ref("psys_permanence.psys_desk_visit_action")
        self.assertIn("'search_default_my_antenna': 1", action.context)
        Visit = self.Visit.with_user(self.user_reception)
        self.assertEqual(Visit.search([("id", "in", mine), ("is_my_antenna", "=", True)]), first | second)
        self.assertEqual(Visit.search([("id", "in", mine)]).ids, [elsewhere.id, first.id, second.id])
        self.assertEqual(Visit.search([("id", "in", mine), ("is_my_antenna", "=", False)]), elsewhere)
        # A coordinator holding no shift today sees every antenna.
        coordinator = self.Visit.with_user(self.user_coordinator)
        self.assertEqual(
            coordinator.search([("id", "in", mine), ("is_my_antenna", "=", True)]).ids,
            [elsewhere.id, first.id, second.id],
        )
        # The cards and rows show the waiting time.
        for view in ("kanban", "list"):
            arch = self.Visit.with_user(self.user_reception).get_view(view_type=view)["arch"]
            self.assertIn('name="waiting_minutes"', arch, view)
        home = (
            self.env["psys.dashboard"]
            .with_user(self.user_therapist)
            .get_view(self.env.ref("psys_base.psys_dashboard_view_form").id)["arch"]
        )
        self.assertIn('name="waiting_minutes"', home)

    @freeze_time(TODAY)
    def test_the_same_person_waits_once(self):
        """Point 5: retyping the initials of someone already waiting says so
        and adds nobody."""
        wizard = self.env["psys.desk.register"].with_user(self.user_reception)
        visit = wizard.create(
            {"mode": "new", "link_initials": "CD", "link_birth_year": 1985, "link_sex": "m", "gender": "male"}
        )._register_visit()
        person = visit.beneficiary_id
        again = wizard.create({"mode": "linking", "link_initials": "C.D.", "link_birth_year": 1985, "link_sex": "m"})
        with self.assertRaises(ValidationError) as caught:
            again._register_visit()
        self.assertIn(f"{person.code} is already in the queue: arrived at 11:30", str(caught.exception))
        self.assertEqual(self.Visit.search_count([("beneficiary_id", "=", person.id)]), 1)
        # By code too, and at the other antenna the same day, and in French.
        by_code = wizard.with_context(lang="fr_FR").create({"mode": "code", "code": person.code})
        with self.assertRaises(ValidationError) as caught:
            by_code._register_visit()
        self.assertIn("est déjà dans la file d'attente : arrivé·e à 11:30", str(caught.exception))
        with self.assertRaises(ValidationError):
            self._visit(self.session_2, "2027-03-05 10:40:00", person)
        # In interview: still here.
        visit.with_user(self.user_therapist).action_start_interview()
        with self.assertRaises(ValidationError) as caught:
            wizard.create({"mode": "code", "code": person.code})._register_visit()
        self.assertIn("already here today: in interview", str(caught.exception))
        # Seen, then back later in the day: a new visit.
        visit.with_user(self.user_reception).action_done()
        later = wizard.create({"mode": "code", "code": person.code})._register_visit()
        self.assertEqual(later.state, "arrived")
        # Left without being seen, then back in the queue while a newer visit waits: refused.
        later.with_user(self.user_reception).action_left()
        newer = self._visit(self.session, "2027-03-05 10:45:00", person)
        with self.assertRaises(ValidationError):
            later.with_user(self.user_reception).action_back_to_queue()
        self.assertEqual((later.state, newer.state), ("left", "arrived"))
        # Anonymous walk-ins are never "the same person".
        self._visit(self.session, "2027-03-05 10:50:00")
        self._visit(self.session, "2027-03-05 10:51:00")

    def test_desk_reads_french(self):
        """Point 4: « Came on their own »… in French at the desk (the walk-in
        form, the queue cards and lists)."""
        for model in ("psys.desk.visit", "psys.desk.register"):
            labels = dict(
                self.env[model]
                .with_context(lang="fr_FR")
                .fields_get(["referral_source"])["referral_source"]["selection"]
            )
            with self.subTest(model=model):
                self.assertEqual(labels["self"], "Venu·e de sa propre initiative")
                self.assertEqual(labels["structure"], "Orienté·e par une structure")
                self.assertNotIn("Came on their own", labels.values())
