import base64
import re
from datetime import datetime, timedelta

import vobject
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

from .common import PsysReferralCase

# Words no message about an appointment may contain, whoever reads it.
FORBIDDEN = ("psych", "entretien", "thérap", "therap", "soutien", "écoute", "souffrance", "santé mentale")


@tagged("psys_referral", "post_install", "-at_install")
class TestNotifications(PsysReferralCase):
    """Confirmations, reminders and SMS of appointments: to whom, what they
    say and above all what they never say."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.location.write({"street": "12 rue des Lilas", "zip": "19100", "city": "Brive-la-Gaillarde"})
        cls.structure.phone = "05 55 00 00 00"
        cls.french = bool(cls.env["res.lang"]._lang_get("fr_FR"))
        cls.user_portal.lang = "fr_FR" if cls.french else "en_US"
        cls.user_therapist.lang = "fr_FR" if cls.french else "en_US"

    def setUp(self):
        super().setUp()
        # The clock of these tests: a weekday morning, bookings a week later.
        self.startPatcher(freeze_time(datetime.now().replace(microsecond=0)))

    def _book(self, slot, user=None, **values):
        user = user or self.user_portal
        return self.env["psys.booking"].with_user(user)._psys_portal_book(user, slot.id, self._book_values(**values))

    def _book_named(self, slot=None, **values):
        values = dict({"first_name": "Nadia", "phone": "06 12 34 56 78", "email": "nadia@example.com"}, **values)
        return self._book(slot or self.slot, consent="1", **values)

    def _mails(self, bookings):
        return self.env["mail.mail"].search(
            [("model", "=", "psys.booking"), ("res_id", "in", bookings.ids)], order="id"
        )

    def _mail_to(self, mails, email):
        found = mails.filtered(lambda mail: email in mail.recipient_ids.mapped("email"))
        self.assertEqual(len(found), 1, f"one mail to {email}")
        return found

    def _sms(self, partner):
        return self.env["sms.sms"].search([("partner_id", "=", partner.id)], order="id")

    def _forbidden(self, booking):
        """What the appointment is for, in every form a message could leak it."""
        words = list(FORBIDDEN)
        words.append(booking.reason)  # "Fatigue", typed by the worker
        words.extend(label for _key, label in booking._fields["reason_category"]._description_selection(self.env))
        words.extend(self.env["psys.theme"].with_context(active_test=False).search([]).mapped("name"))
        words.append(booking.partnership_id.name)  # "Convention CCAS de Test"
        words.append(self.user_therapist.name)
        return [word for word in words if word]

    def assertSaysNothingOfWhy(self, booking, text):
        lowered = text.lower()
        for word in self._forbidden(booking):
            self.assertNotIn(word.lower(), lowered, f"{word!r} in a message: {text}")

    def test_booked_tells_worker_person_and_practitioner(self):
        booking = self._book_named()
        mails = self._mails(booking)
        self.assertEqual(len(mails), 3)
        worker = self._mail_to(mails, "agent.ccas@example.com")
        person = self._mail_to(mails, "nadia@example.com")
        practitioner = self._mail_to(mails, self.user_therapist.email)
        for mail in mails:
            text = html2plaintext(mail.body_html)
            self.assertSaysNothingOfWhy(booking, text + mail.subject)
            self.assertIn(booking._psys_local_time(), text)
            self.assertIn("12 rue des Lilas, 19100 Brive-la-Gaillarde", text)
            self.assertIn("Antenne test", text)
            # A calendar file, with the place and the time in UTC.
            self.assertEqual(len(mail.attachment_ids), 1)
            ics = base64.b64decode(mail.attachment_ids.datas).decode()
            self.assertIn("BEGIN:VCALENDAR", ics)
            self.assertIn("DTSTART:" + booking.start.strftime("%Y%m%dT%H%M%SZ"), ics)
            self.assertIn("Brive-la-Gaillarde", ics)
            self.assertIn("\r\n", ics)
            self.assertSaysNothingOfWhy(booking, ics)
            # What a calendar application reads back (vobject unfolds and unescapes).
            event = vobject.readOne(ics).vevent
            self.assertIn("12 rue des Lilas, 19100 Brive-la-Gaillarde", event.location.value)
            self.assertEqual(event.dtstart.value.replace(tzinfo=None), booking.start)
            self.assertTrue(event.uid.value.startswith(f"psys-booking-{booking.id}-"), "one entry across moves")
        # The code to the worker and the practitioner, the first name to the person only.
        for mail in worker | practitioner:
            self.assertIn(booking.beneficiary_code, mail.body_html)
            self.assertNotIn("Nadia", mail.body_html)
        self.assertIn("Nadia", person.body_html)
        self.assertNotIn(booking.beneficiary_code, person.body_html + person.subject)
        self.assertNotIn(booking.beneficiary_code, base64.b64decode(person.attachment_ids.datas).decode())
        self.assertIn("/my/psys/referrals", worker.body_html, "the worker cancels on the portal")
        self.assertIn("CCAS de Test (05 55 00 00 00)", person.body_html, "the person calls the structure")
        if self.french:
            self.assertIn("Bonjour Nadia", person.body_html)
            self.assertTrue(person.subject.startswith("Rendez-vous"), person.subject)
        # One SMS, queued, never sent from here.
        sms = self._sms(booking.beneficiary_id.partner_id)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+33612345678")
        self.assertEqual(sms.state, "outgoing")
        self.assertIn(booking._psys_local_time(), sms.body)
        self.assertIn("CCAS de Test", sms.body)
        self.assertSaysNothingOfWhy(booking, sms.body)
        self.assertNotIn(booking.beneficiary_code, sms.body)

    def test_sms_text_is_an_editable_template(self):
        """The SMS texts are sms.template records of the booking the
        association rewords; they read the booking's SMS fields only (date,
        time, place, who to tell), in every language shipped."""
        sms_fields = {"psys_sms_date", "psys_sms_time", "psys_sms_place", "psys_sms_contact"}
        for event in ("booked", "moved", "cancelled", "reminder"):
            template = self.env.ref(f"psys_referral.sms_template_booking_{event}")
            self.assertEqual(template.model, "psys.booking")
            for lang in ("en_US", "fr_FR") if self.french else ("en_US",):
                body = template.with_context(lang=lang).body
                placeholders = set(re.findall(r"\{\{\s*object\.(\w+)\s*\}\}", body))
                self.assertEqual(placeholders, placeholders & sms_fields, body)
                self.assertEqual(body.count("{{"), len(re.findall(r"\{\{\s*object\.\w+\s*\}\}", body)), body)
        template = self.env.ref("psys_referral.sms_template_booking_booked")
        template.with_context(
            lang="fr_FR" if self.french else "en_US"
        ).body = "RDV {{ object.psys_sms_date }} {{ object.psys_sms_time }} - {{ object.psys_sms_contact }}"
        booking = self._book_named()
        sms = self._sms(booking.beneficiary_id.partner_id)
        self.assertEqual(
            sms.body, f"RDV {booking.psys_sms_date} {booking._psys_local_time()} - CCAS de Test (05 55 00 00 00)"
        )

    def test_without_consented_contact_only_staff(self):
        booking = self._book(self.slot)
        mails = self._mails(booking)
        self.assertEqual(
            set(mails.recipient_ids.mapped("email")), {"agent.ccas@example.com", self.user_therapist.email}
        )
        self.assertFalse(self.env["sms.sms"].search([("body", "like", booking._psys_local_time())]))

    def test_withdrawn_consent_no_message_to_the_person(self):
        booking = self._book_named()
        person = booking.beneficiary_id.partner_id
        booking.beneficiary_id.consent_ids.filtered(
            lambda consent: consent.scope == "reminders"
        ).withdrawn_date = datetime.now().date()
        booking.with_user(self.user_portal)._psys_portal_move(self.slot_2.id)
        moved = self._mails(booking).filtered(lambda mail: person in mail.recipient_ids)
        self.assertEqual(len(moved), 1, "only the booking's confirmation, not the move")
        self.assertEqual(len(self._sms(person)), 1)

    def test_moved_same_calendar_entry(self):
        booking = self._book_named()
        first = self._mails(booking)
        booking.with_user(self.user_portal)._psys_portal_move(self.slot_2.id)
        moved = self._mails(booking) - first
        self.assertEqual(len(moved), 3)
        person = self._mail_to(moved, "nadia@example.com")
        self.assertIn(booking._psys_local_time(), person.body_html)
        uid = [line for line in base64.b64decode(first[0].attachment_ids.datas).decode().splitlines() if "UID" in line]
        ics = base64.b64decode(person.attachment_ids.datas).decode()
        self.assertIn(uid[0], ics.splitlines(), "the calendar updates the same entry")
        self.assertIn("DTSTART:" + self.slot_2.start.strftime("%Y%m%dT%H%M%SZ"), ics)
        for mail in moved:
            self.assertSaysNothingOfWhy(booking, html2plaintext(mail.body_html) + mail.subject)
        sms = self._sms(booking.beneficiary_id.partner_id)
        self.assertEqual(len(sms), 2)
        self.assertIn(booking._psys_local_time(), sms[-1].body)
        self.assertSaysNothingOfWhy(booking, sms[-1].body)

    def test_cancelled_by_structure_and_by_service(self):
        booking = self._book_named()
        other = self._book_named(self.slot_2, email="leo@example.com", first_name="Léo", phone="0698765432")
        before = self._mails(booking | other)
        booking.with_user(self.user_portal)._psys_portal_cancel()
        other.with_user(self.user_reception).action_cancel()
        cancelled = self._mails(booking | other) - before
        self.assertEqual(len(cancelled), 6)
        for mail in cancelled:
            record = booking if mail.res_id == booking.id else other
            self.assertSaysNothingOfWhy(record, html2plaintext(mail.body_html) + mail.subject)
            ics = base64.b64decode(mail.attachment_ids.datas).decode()
            self.assertIn("METHOD:CANCEL", ics)
            self.assertIn("STATUS:CANCELLED", ics)
        for record in booking | other:
            sms = self._sms(record.beneficiary_id.partner_id)[-1]
            self.assertSaysNothingOfWhy(record, sms.body)
            if self.french:
                self.assertIn("annulé", sms.body)

    def test_reminder_48_hours_before(self):
        soon = self._slot(self.partnership, datetime.now().replace(microsecond=0) + timedelta(hours=30))
        booking = self._book_named(soon)
        before = self._mails(booking)
        self.env.company.psys_reminder_hours = 48
        self.env["psys.booking"]._cron_send_reminders(self.partnership)
        reminders = self._mails(booking) - before
        self.assertEqual(set(reminders.recipient_ids.mapped("email")), {"nadia@example.com", "agent.ccas@example.com"})
        for mail in reminders:
            self.assertSaysNothingOfWhy(booking, html2plaintext(mail.body_html) + mail.subject)
            self.assertFalse(mail.attachment_ids)
        sms = self._sms(booking.beneficiary_id.partner_id)
        self.assertEqual(len(sms), 2)
        self.assertSaysNothingOfWhy(booking, sms[-1].body)
        if self.french:
            self.assertTrue(sms[-1].body.startswith("Rappel"), sms[-1].body)

    def test_relay_status_told_to_the_worker(self):
        booking = self._book_named()
        before = self.env["mail.mail"].search([("model", "=", "psys.orientation")])
        orientation = (
            self.env["psys.orientation"]
            .with_user(self.user_therapist)
            .create(
                {
                    "target_id": self.target_cmp.id,
                    "beneficiary_id": booking.beneficiary_id.id,
                    "referral_id": booking.referral_id.id,
                }
            )
        )
        orientation.with_user(self.user_therapist).action_accepted()
        mails = self.env["mail.mail"].search([("model", "=", "psys.orientation")]) - before
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, self.user_portal.partner_id, "to the worker only")
        labels = dict(orientation._fields["state"]._description_selection(self.env(context={"lang": "fr_FR"})))
        self.assertIn(labels["accepted"], mails.sorted("id")[-1].body_html)
        for mail in mails:
            text = html2plaintext(mail.body_html) + mail.subject
            self.assertIn(booking.beneficiary_code, text)
            self.assertSaysNothingOfWhy(booking, text)
            self.assertNotIn(self.target_cmp.name.lower(), text.lower(), "not where to")

    def test_phone_not_a_phone_refused_at_entry(self):
        count = self.env["psys.booking"].search_count([]), self.env["res.partner"].search_count([])
        Booking = self.env["psys.booking"].with_context(lang="fr_FR" if self.french else "en_US")
        with self.assertRaisesRegex(UserError, "n'est pas un numéro de téléphone" if self.french else "not a phone"):
            Booking._psys_portal_book(
                self.user_portal,
                self.slot.id,
                self._book_values(first_name="Nadia", phone="pas de téléphone", consent="1"),
            )
        self.assertEqual((self.env["psys.booking"].search_count([]), self.env["res.partner"].search_count([])), count)
        self.assertFalse(self.slot.is_booked)

    def test_phone_spoiled_later_no_sms_and_a_note(self):
        booking = self._book_named()
        person = booking.beneficiary_id.partner_id
        person.phone = "12"  # typed over in the back office
        booking.with_user(self.user_portal)._psys_portal_move(self.slot_2.id)
        self.assertEqual(len(self._sms(person)), 1, "no SMS to a number that is not one")
        note = booking.referral_id.message_ids.filtered(lambda message: "SMS" in (message.body or ""))
        self.assertEqual(len(note), 1)
        if self.french:
            self.assertIn("n'est pas un numéro de téléphone valide", note.body)
        self.assertEqual(len(self._mails(booking).filtered(lambda mail: person in mail.recipient_ids)), 2)

    def test_mail_failure_tells_worker_and_team(self):
        booking = self._book_named()
        mail = self._mail_to(self._mails(booking), "nadia@example.com")
        mail._postprocess_sent_message(success_pids=[], failure_type="mail_smtp", failure_reason="refused")
        self._assert_failure_told(booking)

    def test_bounce_tells_worker_and_team(self):
        booking = self._book_named()
        mail = self._mail_to(self._mails(booking), "nadia@example.com")
        person = booking.beneficiary_id.partner_id
        self.env["mail.thread"]._routing_handle_bounce(
            None,
            {
                "bounced_email": "nadia@example.com",
                "bounced_partner": person,
                "bounced_msg_ids": [mail.message_id],
                "bounced_message": mail.mail_message_id,
                "body": "Mailbox unknown",
                "email_from": "mailer-daemon@example.com",
                "to": "bounce@example.com",
                "message_id": "<bounce-1@example.com>",
            },
        )
        self._assert_failure_told(booking)

    def test_bounce_after_the_mail_was_deleted(self):
        booking = self._book_named()
        mail = self._mail_to(self._mails(booking), "nadia@example.com")
        person = booking.beneficiary_id.partner_id
        mail.unlink()  # sent and auto-deleted
        self.env["mail.thread"]._routing_handle_bounce(
            None,
            {
                "bounced_email": "nadia@example.com",
                "bounced_partner": person,
                "bounced_msg_ids": [],
                "bounced_message": self.env["mail.message"],
                "email_from": "mailer-daemon@example.com",
                "to": "bounce@example.com",
                "message_id": "<bounce-2@example.com>",
            },
        )
        self._assert_failure_told(booking)

    def _assert_failure_told(self, booking):
        referral = booking.referral_id
        note = referral.message_ids.filtered(
            lambda message: "delivered" in (message.body or "") or "remis" in (message.body or "")
        )
        self.assertEqual(len(note), 1, referral.message_ids.mapped("body"))
        self.assertNotIn("nadia@example.com", note.body)
        activity = referral.activity_ids
        self.assertEqual(activity.user_id, self.user_therapist)
        told = self._mails(booking).filtered(
            lambda mail: mail.recipient_ids == self.user_portal.partner_id and not mail.attachment_ids
        )
        self.assertEqual(len(told), 1, "the worker hands the slip instead")
        self.assertIn(booking.beneficiary_code, told.body_html)
        self.assertSaysNothingOfWhy(booking, html2plaintext(told.body_html) + told.subject)
        self.assertEqual(booking.state, "booked", "nothing lost")

    def test_slip_says_where_and_when_not_why(self):
        booking = self._book_named()
        Report = self.env["ir.actions.report"]
        html = (
            Report.with_user(self.user_therapist)
            ._render_qweb_html("psys_referral.action_report_booking_slip", booking.ids)[0]
            .decode()
        )
        text = html2plaintext(html)
        self.assertIn(booking._psys_local_time(), text)
        self.assertIn("12 rue des Lilas", text)
        self.assertIn("CCAS de Test (05 55 00 00 00)", text)
        self.assertIn("Nadia", text, "a Named contacts user reads her name")
        self.assertIn(booking.beneficiary_code, text)
        # Reception reads no name; rendered in sudo, the slip shows none of its own.
        for report in (Report.with_user(self.user_reception), Report.sudo()):
            html = report._render_qweb_html("psys_referral.action_report_booking_slip", booking.ids)[0].decode()
            self.assertNotIn("Nadia", html2plaintext(html))
        self.assertSaysNothingOfWhy(booking, text)
        if self.french:
            self.assertIn("Votre rendez-vous", text)

    # Confirmations after the answer (the portal's booking route) ----------

    def _book_deferred(self, slot=None):
        values = {"first_name": "Nadia", "phone": "06 12 34 56 78", "email": "nadia@example.com", "consent": "1"}
        Booking = self.env["psys.booking"].with_user(self.user_portal)
        return Booking._psys_portal_book(
            self.user_portal, (slot or self.slot).id, self._book_values(**values), defer_notices=True
        )

    def test_deferred_confirmations_written_by_the_job(self):
        cron = self.env.ref("psys_referral.ir_cron_psys_booking_notices")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        booking = self._book_deferred()
        self.assertTrue(booking.psys_notice_pending)
        self.assertFalse(self._mails(booking), "nothing written while the worker waits for the answer")
        self._before_commit()
        self.assertFalse(booking.calendar_event_id, "nor the practitioner's event")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers)
        self.env["psys.booking"]._cron_send_pending_notices()
        self._before_commit()
        self.assertFalse(booking.psys_notice_pending)
        self.assertEqual(booking.calendar_event_id.start, booking.start, "the event comes with the confirmations")
        self.assertEqual(booking.calendar_event_id.partner_ids, booking.practitioner_id.partner_id)
        mails = self._mails(booking)
        self.assertEqual(len(mails), 3, "the same confirmations as when written at once")
        self.assertEqual(mails.mail_message_id.author_id, self.user_portal.partner_id, "from the worker who booked")
        self.assertEqual(len(self._sms(booking.beneficiary_id.partner_id)), 1)
        self.env["psys.booking"]._cron_send_pending_notices()
        self.assertEqual(len(self._mails(booking)), 3, "written once")

    def test_deferred_confirmation_comes_before_a_cancel_or_a_move(self):
        booking = self._book_deferred()
        other = self._book_deferred(self.slot_2)
        booking.with_user(self.user_portal)._psys_portal_cancel()
        self._before_commit()
        mails = self._mails(booking)
        self.assertEqual(len(mails), 6, "booked, then cancelled")
        self.assertNotIn("METHOD:CANCEL", base64.b64decode(mails[0].attachment_ids.datas).decode())
        self.assertIn("METHOD:CANCEL", base64.b64decode(mails[-1].attachment_ids.datas).decode())
        self.assertFalse(booking.psys_notice_pending)
        self.assertFalse(booking.calendar_event_id, "the cancelled appointment left no event")
        self.assertTrue(other.psys_notice_pending, "the other booking waits for the job")
        other.with_user(self.user_portal)._psys_portal_move(self.slot.id)
        self._before_commit()
        self.assertEqual(other.calendar_event_id.start, self.slot.start, "moved: its event is there, at the new time")
        self.assertFalse(other.psys_notice_pending)


@tagged("psys_referral", "post_install", "-at_install")
class TestSlipPage(HttpCase, PsysReferralCase):
    def test_worker_downloads_own_slip_only(self):
        user = self.user_portal
        booking = self.env["psys.booking"].with_user(user)._psys_portal_book(user, self.slot.id, self._book_values())
        self.authenticate("psys_portal_b", "psys_portal_b")
        self.assertEqual(self.url_open(f"/my/psys/bookings/{booking.id}/slip").status_code, 404)
        self.authenticate("psys_portal", "psys_portal")
        response = self.url_open(f"/my/psys/bookings/{booking.id}/slip")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(f"/my/psys/bookings/{booking.id}/slip", self.url_open("/my/psys/referrals").text)
