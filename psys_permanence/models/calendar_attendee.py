from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _subscribe_partner(self):
        # A shift's event mirrors the shift, whose chatter is the one followed:
        # its volunteer does not need to follow the event too.
        return super(
            CalendarAttendee, self.filtered(lambda attendee: attendee.event_id.res_model != "psys.shift")
        )._subscribe_partner()
