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
