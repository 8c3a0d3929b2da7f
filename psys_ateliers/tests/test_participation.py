from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestParticipation(PsysAteliersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workshops = cls._generate(cls.cycle)
        cls.workshop = cls.workshops[0]
        cls.other_territory = cls.env["psys.territory"].create({"name": "Autre quartier"})
        cls.person_a = cls._beneficiary(territory_id=cls.territory.id)
        cls.person_b = cls._beneficiary(territory_id=cls.other_territory.id)
        cls.person_c = cls._beneficiary()

    def _register(self, workshop, beneficiary, user=None):
        registrations = self.env["event.registration"]
        if user:
            registrations = registrations.with_user(user)
        return registrations.create({"event_id": workshop.id, "psys_beneficiary_id": beneficiary.id})

    def test_attendance_creates_workshop_encounter(self):
        registration = self._register(self.workshop, self.person_a, self.user_facilitator)
        self.assertFalse(registration.encounter_id, "A registration alone is not an encounter.")
        registration.action_set_done()
        encounter = registration.encounter_id
        self.assertEqual(encounter.kind, "workshop")
        self.assertEqual(encounter.beneficiary_id, self.person_a)
        self.assertEqual(encounter.date_start, self.workshop.date_begin)
        self.assertEqual(encounter.duration, 2.0)
        self.assertEqual(encounter.location_id, self.location)
        self.assertEqual(encounter.territory_id, self.territory)
        self.assertEqual(encounter.practitioner_ids, self.user_facilitator)
        self.assertEqual(encounter.participant_count, 1)

    def test_person_without_territory_counts_in_the_neighbourhood(self):
        registration = self._register(self.workshop, self.person_c)
        registration.action_set_done()
        self.assertEqual(registration.encounter_id.territory_id, self.territory)
        other = self._register(self.workshop, self.person_b)
        other.action_set_done()
        self.assertEqual(other.encounter_id.territory_id, self.other_territory)

    def test_attendance_taken_back_removes_encounter(self):
        registration = self._register(self.workshop, self.person_a, self.user_facilitator)
        registration.action_set_done()
        encounter = registration.encounter_id
        registration.action_confirm()
        self.assertFalse(registration.encounter_id)
        self.assertFalse(encounter.exists())

    def test_people_reached_counts_people_once(self):
        for workshop in self.workshops[:2]:
            self._register(workshop, self.person_a).action_set_done()
        self._register(self.workshops[0], self.person_b).action_set_done()
        self._register(self.workshops[1], self.person_c)  # registered, did not come
        self.env["psys.workshop.headcount"].create(
            [
                {"event_id": self.workshops[2].id, "audience": "professionals", "count": 7},
                {"event_id": self.workshops[2].id, "audience": "residents", "count": 3},
            ]
        )
        self.assertEqual(self.workshops[0].psys_people_reached, 2)
        self.assertEqual(self.workshops[2].psys_people_reached, 10)
        self.assertEqual(self.cycle.people_reached, 12)
        self.assertEqual(self.cycle.workshop_held_count, 3)
        self.assertEqual(self.cycle.progress, 30.0)
        encounters = self.env["psys.encounter"].search(
            [("kind", "=", "workshop"), ("location_id", "=", self.location.id)]
        )
        self.assertEqual(len(encounters), 5)
        self.assertEqual(sum(encounters.mapped("participant_count")), 13, "3 attendances + 10 counted")

    def test_headcount_is_an_anonymous_encounter(self):
        headcount = (
            self.env["psys.workshop.headcount"]
            .with_user(self.user_facilitator)
            .create({"event_id": self.workshop.id, "audience": "volunteers", "count": 6})
        )
        encounter = headcount.encounter_id
        self.assertFalse(encounter.beneficiary_id)
        self.assertEqual(encounter.kind, "workshop")
        self.assertEqual(encounter.participant_count, 6)
        self.assertEqual(encounter.territory_id, self.territory)
        headcount.count = 8
        self.assertEqual(encounter.participant_count, 8)
        headcount.unlink()
        self.assertFalse(encounter.exists())

    def test_no_attendance_before_the_workshop(self):
        cycle = self._cycle(
            date_start=fields.Date.today() + timedelta(days=10), date_end=fields.Date.today() + timedelta(days=60)
        )
        workshop = self._generate(cycle)[0]
        registration = self._register(workshop, self.person_a)
        with self.assertRaises(UserError):
            registration.action_set_done()
        with self.assertRaises(UserError):
            self.env["psys.workshop.headcount"].create({"event_id": workshop.id, "audience": "residents", "count": 2})
        self.assertNotEqual(registration.state, "done")
        self.assertFalse(registration.encounter_id)
        self.assertFalse(workshop.psys_headcount_ids)
        self.assertFalse(self.env["psys.encounter"].search([("beneficiary_id", "=", self.person_a.id)]))

    def test_interview_booked_then_held(self):
        slot = self.workshop.psys_interview_ids.sorted("date_start")[0].with_user(self.user_facilitator)
        slot.beneficiary_id = self.person_a
        slot.action_book()
        self.assertEqual(slot.state, "booked")
        self.assertEqual(slot.facilitator_id, self.user_facilitator)
        slot.action_mark_held()
        self.assertEqual(slot.state, "held")
        encounter = slot.encounter_id
        self.assertEqual(encounter.kind, "individual")
        self.assertEqual(encounter.duration, 0.5)
        self.assertEqual(encounter.beneficiary_id, self.person_a)
        self.assertEqual(encounter.date_start, self.workshop.date_end)
        with self.assertRaises(UserError):
            slot.action_free()

    def test_interview_needs_a_participant(self):
        slot = self.workshop.psys_interview_ids[0]
        with self.assertRaises(UserError):
            slot.action_mark_held()
        with self.assertRaises(UserError):
            slot.action_book()
        self.assertFalse(slot.encounter_id)

    def test_orientations_counted_per_cycle(self):
        registration = self._register(self.workshop, self.person_a)
        registration.action_set_done()
        slot = self.workshop.psys_interview_ids[0]
        slot.beneficiary_id = self.person_b
        slot.action_mark_held()
        orientations = self.env["psys.orientation"].with_user(self.user_facilitator)
        orientations.create(
            {
                "encounter_id": registration.encounter_id.id,
                "psys_event_id": self.workshop.id,
                "target_id": self.target_cmp.id,
                "date": date(2025, 1, 6),
            }
        )
        orientations.create(
            {
                "encounter_id": slot.encounter_id.id,
                "psys_interview_id": slot.id,
                "target_id": self.env.ref("psys_base.psys_orientation_target_psychologist").id,
                "date": date(2025, 1, 6),
            }
        )
        # The same person oriented twice counts once among the people oriented.
        orientations.create(
            {
                "beneficiary_id": self.person_b.id,
                "psys_event_id": self.workshops[1].id,
                "target_id": self.target_cmp.id,
                "date": date(2025, 1, 27),
            }
        )
        # An orientation outside the cycle does not count.
        self.env["psys.orientation"].create({"beneficiary_id": self.person_c.id, "target_id": self.target_cmp.id})
        self.assertEqual(self.cycle.orientation_count, 3)
        self.assertEqual(self.cycle.people_oriented, 2)
        by_interview = self.cycle.orientation_ids.filtered("psys_interview_id")
        self.assertEqual(by_interview.beneficiary_id, self.person_b)
        self.assertEqual(by_interview.psys_cycle_id, self.cycle)

    def test_workshop_records_closed_to_other_roles(self):
        for user in (self.user_therapist, self.user_reception, self.user_portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.cycle.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.workshop.psys_interview_ids[0].with_user(self.user_reception).read(["beneficiary_id"])
        with self.assertRaises(AccessError):
            self.cycle.with_user(self.user_therapist_b).read(["name"])
