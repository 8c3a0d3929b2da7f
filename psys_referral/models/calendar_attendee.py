from odoo import models

from .calendar_event import BOOKING_MIRROR


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _subscribe_partner(self):
        # An appointment's event mirrors the booking: the practitioner does
        # not follow it (no chatter, no notification).
        if self.env.context.get(BOOKING_MIRROR):
            return
        super()._subscribe_partner()
