import ast
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError
from odoo.modules.migration import load_script
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.psys_base.tests.common import create_batches

from .common import PsysReferralCase


@tagged("psys_referral")
class TestBookingCalendar(PsysReferralCase):
    """Every standing appointment is an event of the practitioner's calendar."""

    def _book(self, slot, **values):
        return (
            self.env["psys.booking"]
            .with_user(self.user_portal)
            ._psys_portal_book(self.user_portal, slot.id, self._book_values(**values))
        )

    def _events(self, bookings):
        return self.env["calendar.event"].search([("res_model", "=", "psys.booking"), ("res_id", "in", bookings.ids)])

    def _mails(self):
        # The booking's own confirmations aside (see test_notifications).
        own = [("model", "!=", "psys.booking")]
        return self.env["mail.mail"].search_count(own), self.env["mail.message"].search_count(own)

    def test_portal_book_move_cancel(self):
        self.location.write({"street": "3 rue de la Paix", "zip": "59000", "city": "Lille"})
        mails = self._mails()
        booking = self._book(self.slot, first_name="Nadia", phone="0612345678", consent="1")
        self._before_commit()
        event = self._events(booking)
        self.assertEqual(len(event), 1)
        self.assertEqual(booking.calendar_event_id, event)
        self.assertEqual((event.start, event.stop), (self.slot.start, self.slot.stop))
        self.assertEqual(event.user_id, self.user_therapist)
        self.assertEqual(event.partner_ids, self.user_therapist.partner_id)
        self.assertEqual(event.location, "Antenne test, 3 rue de la Paix, 59000, Lille")
        self.assertIn(event.name, ("Appointment", "Rendez-vous"), "Not even the pseudonymous code")
        self.assertNotIn("Nadia", event.name + event.location)
        self.assertNotIn("Fatigue", event.name + (event.description or ""), "Nothing clinical")
        self.assertEqual(event.privacy, "private")
        self.assertFalse(event.message_partner_ids, "Nobody follows the mirror")
        self.assertEqual(self._mails(), mails, "No invitation, no chatter")
        # The practitioner sees it in her calendar; a colleague only « Busy ».
        self.assertIn(event, self.env["calendar.event"].with_user(self.user_therapist).search([]))
        self.assertEqual(event.with_user(self.user_therapist_2).display_name, "Busy")

        booking._psys_portal_move(self.slot_2.id)
        self._before_commit()
        self.assertEqual(self._events(booking), event, "Moved, not recreated")
        self.assertEqual((event.start, event.stop), (self.slot_2.start, self.slot_2.stop))

        booking.with_user(self.user_portal)._psys_portal_cancel()
        self._before_commit()
        self.assertFalse(event.exists())
        self.assertFalse(booking.calendar_event_id)
        self.assertEqual(self._mails(), mails)

    def test_back_office_book_move_cancel(self):
        """The back office's form books and moves by the booking's steps."""
        person = self._beneficiary()
        with Form(self.env["psys.booking"].with_user(self.user_reception)) as form:
            form.slot_id = self.slot
            form.beneficiary_id = person
        booking = form.record
        self._before_commit()
        event = booking.calendar_event_id
        self.assertEqual((event.start, event.user_id), (self.slot.start, self.user_therapist))
        with Form(booking) as form:
            form.slot_id = self.slot_2
        self._before_commit()
        self.assertEqual((booking.calendar_event_id, event.start), (event, self.slot_2.start))
        booking.action_cancel()
        self._before_commit()
        self.assertFalse(event.exists())

    def test_a_moved_slot_moves_the_event(self):
        booking = self.env["psys.booking"]._psys_book(
            {"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id}
        )
        self._before_commit()
        event = booking.calendar_event_id
        later = (self.slot.start + timedelta(hours=2), self.slot.stop + timedelta(hours=2))
        self.slot.write({"start": later[0], "stop": later[1]})
        self._before_commit()
        self.assertEqual(booking.calendar_event_id, event)
        self.assertEqual((event.start, event.stop), later)

    def test_seen_and_absences_keep_their_event(self):
        person = self._beneficiary()
        past = self._slot(self.partnership, self.start - timedelta(days=10))
        bookings = self.env["psys.booking"]._psys_book(
            [
                {"slot_id": past.id, "beneficiary_id": person.id},
                {"slot_id": self.slot_past.id, "beneficiary_id": person.id},
            ]
        )
        bookings[0].with_user(self.user_therapist).action_mark_seen()
        bookings[1].with_user(self.user_reception).action_mark_no_show()
        self._before_commit()
        self.assertEqual(len(self._events(bookings)), 2, "The time was hers all the same")

    def test_batch_is_one_create(self):
        slots = [self._slot(self.partnership, self.start + timedelta(days=day)) for day in range(1, 6)]
        person = self._beneficiary()
        with create_batches(self.env, "calendar.event") as calls:
            bookings = self.env["psys.booking"]._psys_book(
                [{"slot_id": slot.id, "beneficiary_id": person.id} for slot in slots]
            )
            self._before_commit()
        self.assertEqual(calls, [5])
        self.assertEqual(len(self._events(bookings)), 5)

    def test_mirror_events_do_not_regenerate_slots(self):
        """The booking holds its slot: its event does not make the practitioner's
        partnerships regenerate their slots (nor lock them) at each booking; a
        commitment of hers does."""
        Partnership = self.env.registry["psys.partnership"]
        with patch.object(Partnership, "action_generate_slots", autospec=True) as generate:
            booking = self._book(self.slot)
            self._before_commit()
            booking._psys_portal_move(self.slot_2.id)
            self._before_commit()
            booking._psys_portal_cancel()
            self._before_commit()
            generate.assert_not_called()
            self.env["calendar.event"].create(
                {
                    "name": "Supervision",
                    "start": self.start,
                    "stop": self.start + timedelta(hours=1),
                    "partner_ids": [(6, 0, self.user_therapist.partner_id.ids)],
                    "user_id": self.user_therapist.id,
                }
            )
            generate.assert_called()

    def test_event_name_in_the_practitioners_language(self):
        if not self.env["res.lang"]._lang_get("fr_FR"):
            self.skipTest("French is not installed in this database")
        self.user_therapist.lang = "fr_FR"
        booking = self._book(self.slot)
        self._before_commit()
        self.assertEqual(booking.calendar_event_id.name, "Rendez-vous")

    def test_migration_gives_standing_bookings_their_events(self):
        bookings = self.env["psys.booking"].create(
            [
                {"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id},
                {"slot_id": self.slot_2.id, "beneficiary_id": self._beneficiary().id, "state": "cancelled"},
            ]
        )
        self._before_commit()
        self._events(bookings).unlink()  # as before 18.0.1.1.0
        script = load_script(
            "psys_referral/migrations/18.0.1.1.0/post-booking-calendar.py", "psys_post_booking_calendar"
        )
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(self._events(bookings).res_id, bookings[0].id)
        self.assertEqual(bookings[0].calendar_event_id, self._events(bookings))

    def test_migration_brings_the_events_in_step(self):
        """18.0.1.2.0: an appointment's event as 18.0.1.1.0 left it (named with
        the person's code, public) is named « Rendez-vous » only, private; a
        cancelled appointment's event goes."""
        bookings = self.env["psys.booking"].create(
            [
                {"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id},
                {"slot_id": self.slot_2.id, "beneficiary_id": self._beneficiary().id, "state": "cancelled"},
            ]
        )
        self._before_commit()
        bookings[0].calendar_event_id.unlink()
        model_id = self.env["ir.model"]._get_id("psys.booking")
        values = {
            "start": self.slot.start,
            "stop": self.slot.stop,
            "res_model_id": model_id,
            "privacy": "public",
            "psys_mirror": True,  # as psys_base's pre-migration marks them
        }
        old = self.env["calendar.event"].create(  # as 18.0.1.1.0 left them
            [dict(values, name=f"Rendez-vous {booking.beneficiary_code}", res_id=booking.id) for booking in bookings]
        )
        script = load_script("psys_referral/migrations/18.0.1.2.0/post-calendar-mirror.py", "psys_post_mirror")
        script.migrate(self.env.cr, "18.0.1.1.0")
        self.assertEqual(old.exists(), old[0])
        self.assertEqual(bookings[0].calendar_event_id, old[0])
        self.assertIn(old[0].name, ("Appointment", "Rendez-vous"))
        self.assertEqual(old[0].privacy, "private")
        self.assertFalse(bookings[1].calendar_event_id)

    def test_one_event_per_record(self):
        """The link is unique: a second event naming the same booking is refused by the database."""
        booking = self.env["psys.booking"]._psys_book(
            {"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id}
        )
        self._before_commit()
        event = booking.calendar_event_id
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            event.copy({"res_id": booking.id, "psys_mirror": True})

    def test_agenda_shows_free_and_booked_time(self):
        booking = self._book(self.slot)
        action = self.env.ref("psys_referral.psys_booking_action_agenda")
        Slot = (
            self.env["psys.slot"]
            .with_user(self.user_therapist)
            .with_context(**dict(ast.literal_eval(action.context), search_default_mine=1))
        )
        views = Slot.get_views([(action.view_ids[0].view_id.id, "calendar"), (False, "form"), (False, "search")])
        self.assertEqual(
            views["views"]["calendar"]["id"], self.env.ref("psys_referral.psys_slot_view_calendar_agenda").id
        )
        slots = Slot.search([("practitioner_id", "=", self.user_therapist.id), ("start", ">=", self.start)])
        self.assertIn(self.slot, slots)
        self.assertIn(self.slot_2, slots, "Free time shown beside the appointments")
        booked, free = slots.browse(self.slot.id), slots.browse(self.slot_2.id)
        self.assertEqual((booked.agenda_state, free.agenda_state), ("booked", "free"))
        self.assertNotEqual(booked.agenda_color, free.agenda_color)
        self.assertEqual(booked.booking_id, booking)
        self.assertEqual(booked.agenda_title, f"{booking.beneficiary_code} · {self.structure.name}")
        self.assertEqual(free.agenda_title, f"Free · {self.structure.name}")
        # Partner staff read slots, never who took them.
        portal_slot = self.slot.with_user(self.user_portal)
        self.assertEqual(
            portal_slot.read(["agenda_state", "agenda_title"])[0],
            {"id": self.slot.id, "agenda_state": "booked", "agenda_title": f"Booked · {self.structure.name}"},
        )
        self.assertNotIn("booking_code", portal_slot.fields_get())

    def test_the_event_follows_the_booking_only(self):
        booking = self._book(self.slot)
        event = booking.calendar_event_id.with_user(self.user_therapist)
        event.write({"description": "Salle 2"})  # her own notes: fine
        for change in (
            lambda: event.write({"start": self.slot_2.start, "stop": self.slot_2.stop}),
            lambda: event.write({"partner_ids": [(6, 0, self.user_therapist_2.partner_id.ids)]}),
            event.unlink,
        ):
            with self.assertRaisesRegex(AccessError, "change the record itself"):
                change()
        self.assertEqual(event.start, self.slot.start)
