from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.psys_base.tests.common import create_batches

from .common import PsysReferralCase


@tagged("psys_referral")
class TestBackOffice(PsysReferralCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls._beneficiary(first_referrer_id=cls.structure.id)

    def _past_booking(self, days, **values):
        slot = self._slot(self.partnership, datetime.now().replace(microsecond=0) - timedelta(days=days))
        return self.env["psys.booking"].create(
            dict({"slot_id": slot.id, "beneficiary_id": self.person.id, "structure_id": self.structure.id}, **values)
        )

    def test_seen_creates_the_encounter(self):
        referral = self.env["psys.referral"].create(
            {"beneficiary_id": self.person.id, "structure_id": self.structure.id, "partnership_id": self.partnership.id}
        )
        booking = self._past_booking(2, referral_id=referral.id)
        booking.with_user(self.user_therapist).action_mark_seen()
        self.assertEqual(booking.state, "seen")
        encounter = booking.encounter_id
        self.assertEqual(encounter.kind, "appointment")
        self.assertEqual(encounter.beneficiary_id, self.person)
        self.assertEqual(encounter.date_start, booking.start)
        self.assertEqual(encounter.referral_source, "structure")
        self.assertEqual(encounter.referral_partner_id, self.structure)
        self.assertEqual(encounter.practitioner_ids, self.user_therapist)
        self.assertEqual(referral.state, "in_progress")

    def test_seen_in_batch(self):
        """Three sessions marked seen together: their encounters in one create,
        each booking with its own, the referral in progress once."""
        referral = self.env["psys.referral"].create(
            {"beneficiary_id": self.person.id, "structure_id": self.structure.id, "partnership_id": self.partnership.id}
        )
        bookings = self._past_booking(3, referral_id=referral.id) | self._past_booking(2) | self._past_booking(1)
        with create_batches(self.env, "psys.encounter") as calls:
            bookings.with_user(self.user_therapist).action_mark_seen()
        self.assertEqual(calls, [3])
        self.assertEqual(set(bookings.mapped("state")), {"seen"})
        self.assertEqual(len(bookings.encounter_id), 3)
        for booking in bookings:
            with self.subTest(booking=booking.id):
                self.assertEqual(booking.encounter_id.date_start, booking.start)
        self.assertEqual(referral.state, "in_progress")

    def test_statuses(self):
        excused, missed, cancelled = self._past_booking(3), self._past_booking(4), self._past_booking(5)
        excused.action_mark_excused()
        missed.action_mark_no_show()
        cancelled.action_cancel()
        self.assertEqual((excused.state, missed.state, cancelled.state), ("excused", "no_show", "cancelled"))
        self.assertEqual(cancelled.cancelled_by, "service")
        self.assertFalse(excused.encounter_id | missed.encounter_id)
        with self.assertRaisesRegex(UserError, "Only a booked"):
            missed.action_mark_seen()
        future = self.env["psys.booking"].create({"slot_id": self.slot.id, "beneficiary_id": self.person.id})
        with self.assertRaisesRegex(UserError, "before it starts"):
            future.action_mark_seen()
        self.assertFalse(future.encounter_id)

    def test_quota_relay_and_status_for_the_referrer(self):
        referral = self.env["psys.referral"].create(
            {"beneficiary_id": self.person.id, "structure_id": self.structure.id, "partnership_id": self.partnership.id}
        )
        bookings = self.env["psys.booking"]
        for days in (30, 20, 10):
            bookings |= self._past_booking(days, referral_id=referral.id)
        bookings.action_mark_seen()
        self.assertTrue(bookings[-1].quota_reached)
        self.assertEqual(bookings[-1].session_number, 3)
        action = bookings[-1].action_propose_relay()
        self.assertEqual(action["res_model"], "psys.orientation")
        orientation = (
            self.env["psys.orientation"]
            .with_user(self.user_therapist)
            .with_context(**action["context"])
            .create({"target_id": self.target_cmp.id})
        )
        self.assertEqual(orientation.state, "sent")
        self.assertEqual(orientation.referral_id, referral)
        self.assertEqual(referral.state, "handed_over")
        orientation.action_received()
        with self.assertRaisesRegex(ValidationError, "why"):
            orientation.action_refused()
        orientation.action_accepted()
        orientation.action_done()
        self.assertEqual(orientation.state, "done")
        # The referrer reads the relay status, nothing else, through its booking.
        self.assertEqual(
            set(self.env["psys.booking"].with_user(self.user_portal).search([]).mapped("referral_state")),
            {"handed_over"},
        )

    def test_inbound_referral_loop(self):
        referral = (
            self.env["psys.referral"]
            .with_user(self.user_reception)
            .create({"beneficiary_id": self.person.id, "reason_category": "isolation", "follow_up_date": "2030-01-01"})
        )
        self.assertTrue(referral.name.startswith("ORI-"))
        with self.assertRaisesRegex(ValidationError, "why"):
            referral.action_refuse()
        referral.action_accept()
        referral.action_start()
        referral.action_complete()
        self.assertEqual(referral.state, "completed")
        with self.assertRaises(ValidationError):
            referral.reason = "x" * 600

    def test_access(self):
        booking = self._past_booking(1)
        with self.assertRaises(AccessError):
            booking.with_user(self.user_employee).read(["state"])
        with self.assertRaises(AccessError):
            booking.with_user(self.user_reception).unlink()
        with self.assertRaises(AccessError):
            self.partnership.with_user(self.user_reception).write({"session_quota": 9})
        with self.assertRaises(AccessError):
            booking.with_user(self.user_therapist_b).read(["state"])
        with self.assertRaises(AccessError):
            self.partnership.with_user(self.user_therapist_b).read(["name"])

    def test_purge_and_indicators(self):
        # In March 2020, years before any demo history (the demo's records lie
        # within months of the day the database was installed, and the
        # indicators count the whole company): only this test's bookings.
        days = (datetime.now() - datetime(2020, 3, 10, 9, 0)).days
        booking = self._past_booking(days, reason="Très fatiguée")
        booking.action_mark_seen()
        missed = self._past_booking(days + 1)
        missed.action_mark_no_show()
        day = (datetime.now() - timedelta(days=days)).date()
        indicators = {
            indicator["code"]: indicator
            for indicator in self.env["psys.report.hook"]._get_indicator_lines(
                day - timedelta(days=2), day, self.env.company
            )
        }
        self.assertEqual(indicators["referral_sessions"]["value"], 1)
        self.assertEqual(indicators["referral_no_show_rate"]["value"], 0.5)
        self.assertEqual(indicators["referral_referred_sessions"]["value"], 1)
        self.assertEqual(indicators["referral_self_referred_sessions"]["value"], 0)
        self.assertEqual(indicators["referral_no_show_rate"]["unit"], "rate")
        # an association without partnership nor booking gets no practitioner line
        other = self.env["psys.report.hook"]._get_indicator_values(day - timedelta(days=2), day, self.company_b)
        self.assertFalse([line for line in other if line["indicator"].startswith("referral_")])
        self.person._psys_anonymise()
        self.assertFalse(booking.reason)
        self.assertEqual(booking.state, "seen", "Statistics are kept")

    def test_indicators_cut_periods_in_local_time(self):
        """A session at 00:30 in Paris on 1 March (23:30 UTC on 29 February)
        is one of March's, not February's."""
        self.env.company.partner_id.tz = "Europe/Paris"
        slot = self._slot(self.partnership, datetime(2020, 2, 29, 23, 30))
        booking = self.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": self.person.id, "structure_id": self.structure.id}
        )
        booking.action_mark_seen()
        Hook = self.env["psys.report.hook"]

        def sessions(date_from, date_to):
            lines = Hook._get_indicator_lines(date_from, date_to, self.env.company)
            return next((line["value"] for line in lines if line["code"] == "referral_sessions"), 0)

        self.assertEqual(sessions(date(2020, 3, 1), date(2020, 3, 31)), 1)
        self.assertEqual(sessions(date(2020, 2, 1), date(2020, 2, 29)), 0)
        self.assertEqual(
            Hook._get_period_bounds(date(2020, 3, 1), date(2020, 3, 31), self.env.company),
            (datetime(2020, 2, 29, 23, 0), datetime(2020, 3, 31, 22, 0)),
            "CET to CEST on the last Sunday of March",
        )

    def test_views_load_for_the_practitioner(self):
        for model, modes in (
            ("psys.partnership", ["list", "form", "search"]),
            ("psys.slot", ["list", "calendar", "search"]),
            ("psys.booking", ["calendar", "list", "form", "search"]),
            ("psys.referral", ["list", "form", "search"]),
            ("psys.orientation", ["list", "form"]),
        ):
            views = self.env[model].with_user(self.user_therapist).get_views([(False, mode) for mode in modes])
            self.assertEqual(set(views["views"]), set(modes))

    def test_partnership_form(self):
        form = Form(self.env["psys.partnership"].with_user(self.user_therapist))
        form.name = "Convention CAF"
        form.structure_id = self.structure
        form.location_id = self.location
        with form.attendance_ids.new() as line:
            line.dayofweek = "3"
            line.hour_from = 14.0
            line.hour_to = 16.0
        partnership = form.save()
        slots = partnership.action_generate_slots(weeks=3)
        self.assertTrue(slots)
        self.assertTrue(all(slot.partnership_id == partnership for slot in slots))
