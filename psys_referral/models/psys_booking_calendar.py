from odoo import _, api, fields, models

from odoo.addons.psys_base.tools.calendar import QUIET_MIRROR_CONTEXT

# The booking changes that move, re-attend or drop its event.
SYNC_FIELDS = {"slot_id", "state", "beneficiary_id"}


class PsysBooking(models.Model):
    """Every active appointment is an event of the practitioner's calendar:
    her as attendee, in the room of the slot, named by the person's
    pseudonymous code only. Moving the booking moves it, cancelling drops it."""

    _inherit = "psys.booking"

    calendar_event_id = fields.Many2one(
        "calendar.event",
        compute="_compute_calendar_event_id",
        help="The practitioner's calendar event mirroring the appointment.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        bookings = super().create(vals_list)
        # A portal booking's event comes with its confirmations, after the
        # answer (see ``_psys_send_pending_notices``).
        bookings.filtered(lambda booking: not booking.psys_notice_pending)._psys_sync_calendar_events()
        return bookings

    def write(self, vals):
        result = super().write(vals)
        if SYNC_FIELDS & set(vals):
            self._psys_sync_calendar_events()
        return result

    def unlink(self):
        self._psys_calendar_events().with_context(**QUIET_MIRROR_CONTEXT).unlink()
        return super().unlink()

    def _compute_calendar_event_id(self):
        events = {event.res_id: event for event in self._psys_calendar_events()}
        for booking in self:
            booking.calendar_event_id = events.get(booking.id, False)

    def _psys_calendar_events(self):
        # sudo: the events mirror bookings the caller reached; only their link is read.
        if not self.ids:
            return self.env["calendar.event"].sudo()
        return self.env["calendar.event"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids)])

    def _psys_calendar_event_name(self):
        """The pseudonymous code only: no name, nothing clinical."""
        self.ensure_one()
        # In the practitioner's language: the calendar is hers.
        booking = self.with_context(lang=self.practitioner_id.lang or self.env.lang)
        return booking._psys_translated_event_name()

    def _psys_translated_event_name(self):
        return _("Appointment %(code)s", code=self.beneficiary_code)

    def _psys_calendar_event_values(self, model_id):
        self.ensure_one()
        location = self.location_id
        if self.slot_id.home_visit:
            place = _("Home visit")
        else:
            place = ", ".join(filter(None, [location.name, location.street, location.zip, location.city]))
        return {
            "name": self._psys_calendar_event_name(),
            "start": self.start,
            "stop": self.stop,
            "user_id": self.practitioner_id.id,
            "partner_ids": [fields.Command.set(self.practitioner_id.partner_id.ids)],
            "location": place,
            "privacy": "private",
            "show_as": "busy",
            "res_model_id": model_id,
            "res_id": self.id,
        }

    def _psys_sync_calendar_events(self):
        """One event per active booking with a practitioner, none otherwise.

        Called after the booking's own (access-checked) change: the events
        are written in sudo, for partner staff and reception have no right
        on the practitioner's calendar. The event mirrors the booking: no
        invitation mail, no chatter, no follower."""
        if not self:
            return
        context = QUIET_MIRROR_CONTEXT
        bookings = self.sudo()
        model_id = self.env["ir.model"]._get_id(self._name)
        events = bookings._psys_calendar_events().with_context(**context)
        by_booking = {event.res_id: event for event in events}
        to_drop = events.browse()
        to_create = []
        for booking in bookings:
            event = by_booking.get(booking.id)
            if booking.state == "cancelled" or not booking.practitioner_id or not booking.start:
                to_drop |= event or to_drop.browse()
                continue
            values = booking._psys_calendar_event_values(model_id)
            if not event:
                to_create.append(values)
            elif (
                event.start != booking.start
                or event.stop != booking.stop
                or event.user_id != booking.practitioner_id
                or event.name != values["name"]
                or event.location != values["location"]
            ):
                event.write(values)
        to_drop.unlink()
        events.browse().create(to_create)
        self.invalidate_recordset(["calendar_event_id"])
