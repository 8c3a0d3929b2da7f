from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _subscribe_partner(self):
        # An appointment's event mirrors the booking: the practitioner does
        # not follow it (no chatter, no notification).
        return super(
            CalendarAttendee, self.filtered(lambda attendee: attendee.event_id.res_model != "psys.booking")
        )._subscribe_partner()
