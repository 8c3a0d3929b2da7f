import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools import format_datetime

from .psys_booking_notification import ics_escape, ics_fold

NOTICES_PER_RUN = 500
# Reminders sent per transaction.
REMINDER_BATCH = 200

_logger = logging.getLogger(__name__)


class PsysBookingNotice(models.AbstractModel):
    """What the booking tells whom: confirmations, reminders, calendar file,
    SMS, and the notes left when a message could not be delivered. The
    templates and the sending are in ``psys.booking.notification``. Mixed
    into ``psys.booking``: its methods run on bookings."""

    _name = "psys.booking.notice"
    _description = "Appointments: what they tell whom"

    # Confirmations and reminders (e-mail, calendar file, SMS, slip) ---------
    # What the messages say: date, time, place, address, how to cancel; never
    # what the appointment is for (see models/psys_booking_notification.py).

    def _psys_notify(self, event):
        """Tell the worker, the consented person and the practitioner of
        ``event`` (booked, moved, cancelled, reminder) on these bookings.
        Called once the caller's action was checked."""
        if event != "booked":
            self._psys_send_pending_notices()  # the confirmation first
        # sudo: the messages are written from templates and read the places
        # and contacts of these bookings, whose action the caller passed.
        self.env["psys.booking.notification"].sudo()._notify_bookings(self, event)

    def _psys_person_may_be_told(self):
        """The person gave a current consent to be contacted by name and to
        receive reminders."""
        self.ensure_one()
        beneficiary = self.beneficiary_id
        scopes = set(beneficiary.consent_ids.filtered(lambda consent: consent.state == "given").mapped("scope"))
        return bool(beneficiary.partner_id) and {"named_contact", "reminders"} <= scopes

    def _psys_local(self, dt_format):
        self.ensure_one()
        return format_datetime(self.env, self.start, tz=self.partnership_id._get_tz().zone, dt_format=dt_format)

    def _psys_local_date(self):
        return self._psys_local("EEEE d MMMM yyyy")

    def _psys_local_time(self):
        return self._psys_local("HH:mm")

    def _psys_place_name(self):
        self.ensure_one()
        if self.slot_id.home_visit:
            return _("Home visit")
        return self.location_id.name or ""

    def _psys_place_address(self):
        self.ensure_one()
        if self.slot_id.home_visit:
            return ""
        location = self.location_id
        town = " ".join(filter(None, [location.zip, location.city]))
        return ", ".join(filter(None, [location.street, location.street2, town]))

    def _psys_cancel_contact(self):
        """Who the person tells to cancel, with a phone or an e-mail: the
        structure that booked, else the association."""
        self.ensure_one()
        who = self.structure_id or self.company_id.partner_id
        reach = who.phone or who.email or self.company_id.phone or self.company_id.email or ""
        return f"{who.name} ({reach})" if reach else who.name

    def _psys_how_to_cancel(self, audience):
        """The sentence on cancelling, for ``audience`` (worker, person, practitioner)."""
        self.ensure_one()
        if audience == "worker":
            url = self.get_base_url() + "/my/psys/referrals"
            return _(
                "You can move or cancel it on your partner portal until %(hours)s hours before: %(url)s",
                hours=self.company_id.psys_cancel_cutoff_hours,
                url=url,
            )
        if audience == "practitioner":
            return _("The appointment is in your calendar.")
        return _(
            "If you cannot come, please tell %(contact)s as soon as possible.", contact=self._psys_cancel_contact()
        )

    def _psys_greeting_name(self, audience):
        """The person's first name, only in a message to the person."""
        self.ensure_one()
        return self.beneficiary_id.partner_id.name if audience == "person" else ""

    def _psys_slip_name(self):
        """The name the printable slip may show to the current user: for a
        structure's staff, the first name the person gave that structure with
        a consent that still holds (``_psys_portal_first_names``); for the
        team, the named contact when the user may read it. Nothing for the
        superuser: whoever renders the slip in sudo passes the name its
        caller may see (see the slip route)."""
        self.ensure_one()
        user = self.env.user
        if self.env.su:
            return ""
        if user.share:
            return self._psys_portal_first_names(user.commercial_partner_id).get(self.id, "")
        contact = self.beneficiary_id.partner_id
        return contact.name if contact and contact.has_access("read") else ""

    def _psys_ics(self, cancel=False, audience="person"):
        """A calendar file (RFC 5545) of the appointment; the same UID across
        moves, so calendars update the entry."""
        self.ensure_one()
        summary = _("Appointment") if audience == "person" else _("Appointment %(code)s", code=self.beneficiary_code)
        place = ", ".join(filter(None, [self._psys_place_name(), self._psys_place_address()]))
        stamp = "%Y%m%dT%H%M%SZ"
        now = fields.Datetime.now()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "psys")
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//psys//appointments//FR",
            "METHOD:" + ("CANCEL" if cancel else "PUBLISH"),
            "BEGIN:VEVENT",
            f"UID:psys-booking-{self.id}-{uuid}",
            "DTSTAMP:" + now.strftime(stamp),
            f"SEQUENCE:{max(0, int((now - (self.create_date or now)).total_seconds()))}",
            "DTSTART:" + self.start.strftime(stamp),
            "DTEND:" + self.stop.strftime(stamp),
            "SUMMARY:" + ics_escape(summary),
            "LOCATION:" + ics_escape(place),
            "DESCRIPTION:" + ics_escape(self._psys_how_to_cancel(audience)),
            "STATUS:" + ("CANCELLED" if cancel else "CONFIRMED"),
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode()

    @api.model
    def _psys_sms_number(self, phone, company=None):
        """The phone in international format, or False when it is not a phone number."""
        company = company or self.company_id[:1] or self.env.company
        country = company.country_id or self.env.ref("base.fr", raise_if_not_found=False)
        return self.env["res.partner"]._phone_format(number=phone, country=country, force_format="E164")

    def _psys_sms_body(self, event):
        """The SMS text: date, time, place and who to tell; nothing about why."""
        self.ensure_one()
        values = {
            "date": self._psys_local("dd/MM/yyyy"),
            "time": self._psys_local_time(),
            "place": ", ".join(filter(None, [self._psys_place_name(), self._psys_place_address()])),
            "contact": self._psys_cancel_contact(),
        }
        if event == "moved":
            return _("Your appointment is moved to %(date)s at %(time)s, %(place)s. To cancel: %(contact)s.", **values)
        if event == "cancelled":
            return _("Your appointment of %(date)s at %(time)s is cancelled. For another one: %(contact)s.", **values)
        if event == "reminder":
            return _("Reminder: appointment on %(date)s at %(time)s, %(place)s. To cancel: %(contact)s.", **values)
        return _("Appointment booked on %(date)s at %(time)s, %(place)s. To cancel: %(contact)s.", **values)

    def _psys_unreachable_text(self, kind):
        self.ensure_one()
        if kind == "sms":
            return _(
                "No SMS sent for the appointment of %(date)s: the consented phone number "
                "is not a valid phone number. Check it with the person.",
                date=self._psys_local_start(),
            )
        who = _("the person") if kind == "mail_person" else _("the referring worker")
        return _(
            "An e-mail about the appointment of %(date)s could not be delivered to %(who)s: "
            "reach them another way (phone, printable slip).",
            date=self._psys_local_start(),
            who=who,
        )

    def _psys_note_unreachable(self, kind, activity=False):
        """Write on the referral (or the person's record) that a message could
        not reach someone (``kind``: sms, mail_person, mail_worker), in the
        team's language; with ``activity``, the practitioner gets a to-do."""
        self.ensure_one()
        lang = self.practitioner_id.lang or self.company_id.partner_id.lang or self.env.lang
        booking = self.with_context(lang=lang)
        body = booking._psys_unreachable_text(kind)
        # sudo: an internal note on the booking's referral, for the team; no
        # one outside the association reads referral notes.
        record = (self.referral_id or self.beneficiary_id).sudo().with_context(lang=lang)
        record.message_post(body=body, subtype_xmlid="mail.mt_note")
        if activity and self.practitioner_id:
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.practitioner_id.id,
                summary=booking._psys_unreachable_summary(),
                note=body,
            )

    def _psys_unreachable_summary(self):
        return _("Message not delivered")

    # Reminders -------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self, partnerships=None, batch_size=REMINDER_BATCH):
        """Remind the bookings that start within the company's notice, of
        every partnership or only of ``partnerships``, ``batch_size`` at a
        time: the cron runner commits each batch and calls again while some
        remain (issue 24); the reminded ones are marked and not found again."""
        now = fields.Datetime.now()
        template = self.env.ref("psys_referral.mail_template_booking_reminder", raise_if_not_found=False)
        if not template:
            return
        domains = [
            [
                ("company_id", "=", company.id),
                ("state", "=", "booked"),
                ("reminder_sent", "=", False),
                ("start", ">", now),
                ("start", "<=", now + timedelta(hours=company.psys_reminder_hours)),
            ]
            + ([("partnership_id", "in", partnerships.ids)] if partnerships is not None else [])
            for company in self.env["res.company"].search([("psys_reminder_hours", ">", 0)])
        ]
        if not domains:
            return
        domain = expression.OR(domains)
        bookings = self.search(domain, limit=batch_size, order="start, id")
        bookings._psys_notify("reminder")
        bookings.write({"reminder_sent": True})
        remaining = self.search_count(domain) if len(bookings) == batch_size else 0
        _logger.info("Booking reminders: %s sent, %s remaining", len(bookings), remaining)
        self.env["ir.cron"]._notify_progress(done=len(bookings), remaining=remaining)

    # Confirmations after the answer (issue 13, performance) ------------------
    # A portal booking answers as fast as any portal page: its confirmations
    # (queued mails and SMS either way) and the practitioner's calendar event
    # are written by a job triggered at once, or before anything else is
    # said or done of that booking.

    psys_notice_pending = fields.Boolean(
        string="Confirmations pending",
        copy=False,
        help="The booking's confirmations are still to be written (within seconds).",
    )

    def _psys_trigger_notices(self):
        # sudo: a trigger of the notices job; nothing of the caller goes into it.
        self.env.ref("psys_referral.ir_cron_psys_booking_notices").sudo()._trigger()

    def _psys_send_pending_notices(self):
        """Write what these bookings still wait for: the practitioner's
        calendar event, then the confirmations, as the worker who booked (as
        when they were written at booking time)."""
        # sudo: the flag is ours; the confirmations are those of the booking.
        pending = self.sudo().filtered("psys_notice_pending")
        if not pending:
            return
        pending.write({"psys_notice_pending": False})  # the event comes (psys.calendar.mirror)
        for booker in pending.booked_by_id:
            pending.filtered(lambda booking, booker=booker: booking.booked_by_id == booker).with_user(
                booker
            )._psys_notify("booked")

    @api.model
    def _cron_send_pending_notices(self):
        pending = self.search([("psys_notice_pending", "=", True)], limit=NOTICES_PER_RUN)
        pending._psys_send_pending_notices()
        if len(pending) == NOTICES_PER_RUN:
            pending._psys_trigger_notices()  # more in the next run
