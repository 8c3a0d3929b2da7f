from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestRotaFlow(PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._sessions(cls.permanence, date(2027, 3, 5), date(2027, 3, 5))
        cls.other_session = cls._sessions(cls.permanence_2, date(2027, 3, 5), date(2027, 3, 5))
        cls.interview = cls.session.shift_ids.filtered(lambda shift: shift.role == "interview")
        cls.reception = cls.session.shift_ids.filtered(lambda shift: shift.role == "reception")

    def test_sign_up_creates_calendar_event(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        self._before_commit()
        self.assertEqual(self.interview.user_id, self.user_therapist)
        event = self.interview.calendar_event_id
        self.assertEqual(event, self.session.calendar_event_id, "the session's event")
        self.assertEqual(event.partner_ids, self.user_therapist.partner_id)
        self.assertEqual(event.attendee_ids.mapped("state"), ["accepted"], "a held shift is a commitment")
        in_french = self.env(context=dict(self.env.context, lang=self.company.partner_id.lang))
        roles = dict(self.env["psys.shift"]._fields["role"]._description_selection(in_french))
        self.assertIn(f"{roles['interview']} : {self.user_therapist.name}", event.description)
        self.assertEqual((event.start, event.stop), (self.session.start, self.session.stop))
        self.assertEqual(event.privacy, "private")
        my_events = (
            self.env["calendar.event"]
            .with_user(self.user_therapist)
            .search([("partner_ids", "in", self.user_therapist.partner_id.id)])
        )
        self.assertIn(event, my_events)
        self.assertEqual(self.interview.with_user(self.user_therapist).state, "filled")

    def test_replacement_flow(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        self._before_commit()
        event = self.interview.calendar_event_id
        with self.assertRaises(UserError):
            self.interview.with_user(self.user_therapist_2).action_sign_up()
        self.interview.with_user(self.user_therapist).action_request_replacement("Malade")
        self.assertEqual(self.interview.state, "replacement")
        self.assertEqual(self.interview.replacement_reason, "Malade")
        open_shifts = self.env["psys.shift"].with_user(self.user_therapist_2).search([("state", "=", "replacement")])
        self.assertIn(self.interview, open_shifts)
        self.assertTrue(self.interview.with_user(self.user_therapist_2).can_take)
        self.interview.with_user(self.user_therapist_2).action_take_over()
        self._before_commit()
        self.assertEqual(self.interview.user_id, self.user_therapist_2)
        self.assertEqual(self.interview.state, "filled")
        self.assertFalse(self.interview.replacement_requested)
        self.assertEqual(self.interview.calendar_event_id, event, "the same event changes hands")
        self.assertEqual(event.partner_ids, self.user_therapist_2.partner_id)
        self.assertIn("replaces", self.interview.message_ids[0].body)

    def test_history_is_tracked(self):
        # The shifts were created in this test transaction: mail does not track
        # records it saw created. Forget that, as a later transaction would.
        self.env.cr.precommit.data.pop("mail.tracking.psys.shift", None)
        interview = self.interview.with_context(tracking_disable=False)
        # Each step is its own transaction in real life: flush the tracking after each.
        for user, action, args in (
            (self.user_therapist, "action_sign_up", ()),
            (self.user_therapist, "action_request_replacement", ("Malade",)),
            (self.user_therapist_2, "action_take_over", ()),
        ):
            getattr(interview.with_user(user), action)(*args)
            self.env.flush_all()
            self.env.cr.flush()
        values = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "psys.shift"),
                ("mail_message_id.res_id", "=", self.interview.id),
                ("field_id.name", "=", "user_id"),
            ]
        )
        self.assertEqual(set(values.mapped("new_value_char")), {self.user_therapist.name, self.user_therapist_2.name})

    def test_volunteers_cannot_rearrange_the_rota(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        as_other = self.interview.with_user(self.user_therapist_2)
        with self.assertRaises(AccessError):
            as_other.write({"user_id": self.user_therapist_2.id})
        with self.assertRaises(AccessError):
            self.reception.with_user(self.user_therapist).write({"user_id": self.user_reception.id})
        with self.assertRaises(AccessError):
            self.reception.with_user(self.user_therapist).write({"role": "interview"})
        with self.assertRaises(UserError):
            as_other.action_request_replacement("Malade")
        self.interview.with_user(self.user_therapist).action_request_replacement("Malade")
        with self.assertRaises(AccessError):
            as_other.write({"replacement_requested": False})
        self.assertTrue(self.interview.replacement_requested)
        self.interview.with_user(self.user_therapist).action_cancel_replacement()
        with self.assertRaises(AccessError):
            self.env["psys.shift"].with_user(self.user_therapist).create(
                {"session_id": self.session.id, "role": "interview"}
            )
        with self.assertRaises(AccessError):
            self.session.with_user(self.user_therapist).write({"state": "cancelled"})
        with self.assertRaises(AccessError):
            self.env["psys.shift"].with_user(self.user_therapist_b).browse(self.interview.id).read(["user_id"])
        self.assertEqual(self.interview.user_id, self.user_therapist)

    def test_reception_volunteer_cannot_interview(self):
        with self.assertRaises(ValidationError) as error:
            self.interview.with_user(self.user_reception).action_sign_up()
        self.assertIn("interviews are for therapists", str(error.exception))
        self.assertFalse(self.interview.user_id)
        self.reception.with_user(self.user_reception).action_sign_up()
        self.assertEqual(self.reception.user_id, self.user_reception)

    def test_overlapping_shift_refused(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        other = self.other_session.shift_ids.filtered(lambda shift: shift.role == "interview")
        with self.assertRaises(ValidationError) as error:
            other.with_user(self.user_therapist).action_sign_up()
        self.assertIn("cannot be in two sessions at once", str(error.exception))
        self._before_commit()
        self.assertFalse(other.user_id)
        self.assertFalse(other.calendar_event_id)
        with self.assertRaises(ValidationError):
            self.reception.with_user(self.user_therapist).action_sign_up()

    def test_cancel_session_notifies_and_drops_events(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        self.reception.with_user(self.user_reception).action_sign_up()
        self._before_commit()
        events = self.session.shift_ids.calendar_event_id
        self.assertEqual(len(events), 1, "one event for the session")
        self.assertEqual(events.partner_ids, self.user_therapist.partner_id | self.user_reception.partner_id)
        with self.assertRaises(UserError):
            self.env["psys.session.cancel"].create({"session_ids": self.session.ids, "reason": " "}).action_confirm()
        self.assertEqual(self.session.state, "planned")
        wizard = (
            self.env["psys.session.cancel"]
            .with_user(self.user_coordinator)
            .create({"session_ids": self.session.ids, "reason": "Local inondé"})
        )
        wizard.action_confirm()
        self._before_commit()
        self.assertEqual(self.session.state, "cancelled")
        self.assertFalse(events.exists())
        self.assertFalse(self.session.shift_ids.calendar_event_id)
        message = self.session.message_ids.filtered(lambda message: "Local inondé" in (message.body or ""))
        self.assertEqual(message.partner_ids, self.user_therapist.partner_id | self.user_reception.partner_id)
        with self.assertRaises(UserError):
            self.reception.with_user(self.user_therapist_2).action_sign_up()
        self.session.action_reopen()
        self._before_commit()
        self.assertEqual(len(self.session.shift_ids.calendar_event_id), 1, "reopening restores the event")

    def test_coordinator_reassigns_and_event_follows(self):
        shift = self.interview.with_user(self.user_coordinator)
        shift.user_id = self.user_therapist
        self._before_commit()
        event = shift.sudo().calendar_event_id  # private: its attendees are not the coordinator's to read
        shift.user_id = self.user_therapist_2
        self._before_commit()
        self.assertEqual(event.partner_ids, self.user_therapist_2.partner_id)
        shift.user_id = False
        self._before_commit()
        self.assertFalse(event.exists())
        self.assertFalse(shift.calendar_event_id)

    def test_new_hours_move_sessions_and_events(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        with freeze_time("2027-03-01 08:00:00"):
            self.permanence.write({"attendance_ids": self._opening(["fri"], 13, 18)})
            self._before_commit()
        self.assertEqual(self.session.start.hour, 12, "13:00 in Paris in winter")
        self.assertEqual(self.session.stop.hour, 17)
        event = self.interview.calendar_event_id
        self.assertEqual((event.start, event.stop), (self.session.start, self.session.stop))
        with freeze_time("2027-03-10 08:00:00"):
            self.permanence.write({"attendance_ids": self._opening(["fri"], 11, 17)})
        self.assertEqual(self.session.start.hour, 12, "past sessions keep their hours")

    def test_new_needs_resize_future_rotas(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        with freeze_time("2027-03-01 08:00:00"):
            self.permanence.write({"need_ids": [(5, 0, 0), (0, 0, {"role": "interview", "count": 2})]})
        self.assertEqual(self.session.shift_ids.mapped("role"), ["interview", "interview"])
        self.assertIn(self.interview, self.session.shift_ids, "the held shift stays")
        self.assertEqual(self.session.coverage, "understaffed")

    def test_a_closed_weekday_cancels_its_future_sessions(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        self._before_commit()
        event = self.interview.calendar_event_id
        with freeze_time("2027-03-01 08:00:00"):
            self.permanence.write({"attendance_ids": self._opening(["sat"], 11, 17)})
            self._before_commit()
        self.assertEqual(self.session.state, "cancelled")
        self.assertIn("no longer opens", self.session.cancel_reason)
        self.assertFalse(event.exists() and event.active, "the volunteer's event is dropped")

    def test_deleting_a_session_drops_its_events(self):
        self.interview.with_user(self.user_therapist).action_sign_up()
        self._before_commit()
        event = self.interview.calendar_event_id
        self.assertTrue(event)
        self.session.unlink()
        self.assertFalse(event.exists())
