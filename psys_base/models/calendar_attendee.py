from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _subscribe_partner(self):
        # An event mirroring a psys record (psys.calendar.mirror) has no
        # chatter of its own: its attendees follow the record, not the event.
        return super(
            CalendarAttendee,
            self.filtered(lambda attendee: not attendee.event_id.psys_mirror),
        )._subscribe_partner()

    def _send_mail_to_attendees(self, mail_template, force_send=False):
        # An event mirroring a psys record invites nobody, whatever the
        # context: its record tells its people (the session's volunteers,
        # the booking's practitioner), and its event tells others nothing.
        attendees = self.filtered(lambda attendee: not attendee.event_id.psys_mirror)
        if not attendees:
            return False
        return super(CalendarAttendee, attendees)._send_mail_to_attendees(mail_template, force_send=force_send)
