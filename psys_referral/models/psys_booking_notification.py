"""Confirmations and reminders of appointments: e-mails, calendar file, SMS,
and the notes left when one could not be delivered. The booking says when
to tell (its steps call ``psys.booking._psys_notify``); this service writes
and queues the messages, and never calls a booking's step back.

What every message says: the date, the time, the place and its address, and
how to cancel. Never what the appointment is for (no reason, no theme, no
speciality): a message may be read by anyone who sees the person's phone or
mailbox. The pseudonymous code goes only to the worker and the practitioner,
the person's own first name only to the person."""

import base64
import logging

import pytz
import vobject

from odoo import _, api, fields, models
from odoo.tools import format_datetime

_logger = logging.getLogger(__name__)

# Events of a booking and the template of each.
BOOKING_TEMPLATES = {
    "booked": "psys_referral.mail_template_booking_booked",
    "moved": "psys_referral.mail_template_booking_moved",
    "cancelled": "psys_referral.mail_template_booking_cancelled",
    "reminder": "psys_referral.mail_template_booking_reminder",
}
# The events a calendar file goes with (a cancel cancels the calendar entry).
ICS_EVENTS = ("booked", "moved", "cancelled")
# Who hears of what: the practitioner has her calendar, no reminder.
AUDIENCES = {
    "booked": ("worker", "person", "practitioner"),
    "moved": ("worker", "person", "practitioner"),
    "cancelled": ("worker", "person", "practitioner"),
    "reminder": ("worker", "person"),
}
# The SMS of each event (sms.template records the association may edit).
SMS_TEMPLATES = {
    "booked": "psys_referral.sms_template_booking_booked",
    "moved": "psys_referral.sms_template_booking_moved",
    "cancelled": "psys_referral.sms_template_booking_cancelled",
    "reminder": "psys_referral.sms_template_booking_reminder",
}
RELAY_TEMPLATE = "psys_referral.mail_template_relay_status"
# Context key: the audience a template is rendered for.
AUDIENCE_KEY = "psys_audience"


class PsysBookingNotification(models.AbstractModel):
    """The sender of an appointment's messages (the booking's *notices*):
    e-mails with their calendar file, SMS, failure notes."""

    _name = "psys.booking.notification"
    _description = "Confirmations and reminders of appointments"

    # Recipients ------------------------------------------------------------

    @api.model
    def _person_may_be_told(self, booking):
        """The person gave a current consent to be contacted by name and to
        receive reminders."""
        beneficiary = booking.beneficiary_id
        scopes = set(beneficiary.consent_ids.filtered(lambda consent: consent.state == "given").mapped("scope"))
        return bool(beneficiary.partner_id) and {"named_contact", "reminders"} <= scopes

    @api.model
    def _recipients(self, booking, event):
        """``[(partner, audience)]`` a booking's ``event`` is told to."""
        audiences = AUDIENCES[event]
        found = []
        if "worker" in audiences:
            for partner in self._worker_partners(booking):
                found.append((partner, "worker"))
        if "person" in audiences and self._person_may_be_told(booking):
            partner = booking.beneficiary_id.partner_id
            if partner.email:
                found.append((partner, "person"))
        if "practitioner" in audiences:
            practitioner = booking.practitioner_id
            # Not to the practitioner for what she did herself.
            if practitioner and practitioner.email and practitioner != self.env.user:
                found.append((practitioner.partner_id, "practitioner"))
        seen, unique = set(), []
        for partner, audience in found:
            if partner.id not in seen:
                seen.add(partner.id)
                unique.append((partner, audience))
        return unique

    @api.model
    def _worker_partners(self, booking):
        """The partner staff who booked; for a booking made in the back office
        for a structure, the structure's staff listed on the partnership."""
        if booking.booked_by_id.share:
            workers = booking.booked_by_id
        elif booking.structure_id:
            workers = booking.partnership_id.booking_user_ids.filtered(
                lambda user: user.commercial_partner_id == booking.structure_id
            )
        else:
            workers = self.env["res.users"]
        return workers.filtered("email").partner_id

    # E-mails ---------------------------------------------------------------

    @api.model
    def _notify_bookings(self, bookings, event):
        """Tell everyone concerned of ``event`` on ``bookings``, by e-mail
        (queued) and by SMS (queued) where a phone was consented."""
        template = self.env.ref(BOOKING_TEMPLATES[event], raise_if_not_found=False)
        # sudo: called once the caller's action on these bookings was checked;
        # recipients and places are read to write the messages.
        for booking in bookings.sudo():
            for partner, audience in self._recipients(booking, event):
                if template:
                    self._send(template, booking, partner, audience, event)
            self._queue_sms(booking, event)

    @api.model
    def _send(self, template, record, partner, audience, event=None):
        lang = partner.lang or record.company_id.partner_id.lang or self.env.lang
        email_values = {"recipient_ids": [(6, 0, partner.ids)], "email_to": False}
        if event in ICS_EVENTS:
            ics = self.with_context(lang=lang)._ics(record, cancel=event == "cancelled", audience=audience)
            email_values["attachments"] = [(_("appointment.ics"), base64.b64encode(ics))]
        return template.with_context(**{AUDIENCE_KEY: audience, "lang": lang, "psys_lang": lang}).send_mail(
            record.id, email_values=email_values
        )

    @api.model
    def _ics(self, booking, cancel=False, audience="person"):
        """A calendar file (RFC 5545) of the appointment; the same UID across
        moves, so calendars update the entry."""
        booking = booking.with_env(self.env)
        summary = _("Appointment") if audience == "person" else _("Appointment %(code)s", code=booking.beneficiary_code)
        place = ", ".join(filter(None, [booking._psys_place_name(), booking._psys_place_address()]))
        now = fields.Datetime.now()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "psys")
        calendar = vobject.iCalendar()
        calendar.add("prodid").value = "-//psys//appointments//FR"
        calendar.add("method").value = "CANCEL" if cancel else "PUBLISH"
        event = calendar.add("vevent")
        for name, value in (
            ("uid", f"psys-booking-{booking.id}-{uuid}"),
            ("dtstamp", pytz.utc.localize(now)),
            ("sequence", str(max(0, int((now - (booking.create_date or now)).total_seconds())))),
            ("dtstart", pytz.utc.localize(booking.start)),
            ("dtend", pytz.utc.localize(booking.stop)),
            ("summary", summary),
            ("location", place),
            ("description", booking._psys_how_to_cancel(audience)),
            ("status", "CANCELLED" if cancel else "CONFIRMED"),
        ):
            event.add(name).value = value
        return calendar.serialize().encode()

    @api.model
    def _notify_relays(self, orientations):
        """Tell the worker who referred the person that the relay's status changed."""
        template = self.env.ref(RELAY_TEMPLATE, raise_if_not_found=False)
        if not template:
            return
        # sudo: called after the status change was checked; only the worker of
        # each referral and the status are read.
        for orientation in orientations.sudo():
            referral = orientation.referral_id
            worker = referral.referred_by_id
            if not worker.share or not worker.email:
                continue
            env = self.with_context(lang=worker.lang or self.env.lang).env
            labels = dict(orientation._fields["state"]._description_selection(env))
            self._send(
                template.with_context(psys_state_label=labels[orientation.state]),
                orientation,
                worker.partner_id,
                "worker",
            )

    # SMS -------------------------------------------------------------------

    @api.model
    def _queue_sms(self, booking, event):
        """One SMS to the person when a phone was consented, its text from
        the event's SMS template (date, time, place, who to tell: the
        booking's ``psys_sms_*`` fields). Queued: sent by the association's
        SMS provider, never from here."""
        if not self._person_may_be_told(booking):
            return
        partner = booking.beneficiary_id.partner_id
        if not partner.phone:
            return
        number = booking._psys_sms_number(partner.phone)
        if not number:
            self._note_unreachable(booking, "sms")
            return
        template = self.env.ref(SMS_TEMPLATES[event], raise_if_not_found=False)
        if not template:
            return
        lang = partner.lang or self.env.lang
        body = template._render_field("body", booking.ids, set_lang=lang)[booking.id]
        self.env["sms.sms"].sudo().create({"number": number, "body": body, "partner_id": partner.id})

    @api.model
    def _unreachable_text(self, booking, kind):
        date = format_datetime(
            self.env, booking.start, tz=booking.partnership_id._get_tz().zone, dt_format="dd/MM/yyyy HH:mm"
        )
        if kind == "sms":
            return _(
                "No SMS sent for the appointment of %(date)s: the consented phone number "
                "is not a valid phone number. Check it with the person.",
                date=date,
            )
        who = _("the person") if kind == "mail_person" else _("the referring worker")
        return _(
            "An e-mail about the appointment of %(date)s could not be delivered to %(who)s: "
            "reach them another way (phone, printable slip).",
            date=date,
            who=who,
        )

    @api.model
    def _note_unreachable(self, booking, kind, activity=False):
        """Write on the referral (or the person's record) that a message could
        not reach someone (``kind``: sms, mail_person, mail_worker), in the
        team's language; with ``activity``, the practitioner gets a to-do."""
        lang = booking.practitioner_id.lang or booking.company_id.partner_id.lang or self.env.lang
        sender = self.with_context(lang=lang)
        body = sender._unreachable_text(booking, kind)
        # sudo: an internal note on the booking's referral, for the team; no
        # one outside the association reads referral notes.
        record = (booking.referral_id or booking.beneficiary_id).sudo().with_context(lang=lang)
        record.message_post(body=body, subtype_xmlid="mail.mt_note")
        if activity and booking.practitioner_id:
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=booking.practitioner_id.id,
                summary=sender._unreachable_summary(),
                note=body,
            )

    @api.model
    def _unreachable_summary(self):
        return _("Message not delivered")

    # Failures --------------------------------------------------------------

    @api.model
    def _bookings_of_messages(self, messages):
        ids = [message.res_id for message in messages if message.model == "psys.booking" and message.res_id]
        return self.env["psys.booking"].sudo().browse(ids).exists()

    @api.model
    def _bookings_of_contacts(self, partners):
        """The coming appointments of the people whose named contact these are
        (a bounce comes back after the e-mail itself was deleted)."""
        contacts = partners.filtered("psys_private_contact")
        if not contacts:
            return self.env["psys.booking"].sudo()
        return (
            self.env["psys.booking"]
            .sudo()
            .search(
                [
                    ("beneficiary_id.partner_id", "in", contacts.ids),
                    ("state", "=", "booked"),
                    ("start", ">", fields.Datetime.now()),
                ]
            )
        )

    @api.model
    def _delivery_failed(self, bookings, partners):
        """An e-mail about these bookings was not delivered to ``partners``:
        the failure is written on the referral, the practitioner gets an
        activity to reach the person another way, and when it was the
        person's e-mail the worker is told (by e-mail) to hand them the
        printable slip."""
        for booking in bookings.sudo():
            person = booking.beneficiary_id.partner_id
            failed_person = bool(person) and person in partners
            self._note_unreachable(booking, "mail_person" if failed_person else "mail_worker", activity=True)
            if failed_person:
                template = self.env.ref("psys_referral.mail_template_booking_undelivered", raise_if_not_found=False)
                for partner, audience in self._recipients(booking, "booked"):
                    if template and audience == "worker" and partner not in partners:
                        self._send(template, booking, partner, "worker")
