from odoo import _, models


class PsysBooking(models.Model):
    """Every active appointment is an event of the practitioner's calendar
    (``psys.calendar.mirror``): her as attendee, in the room of the slot,
    named « Rendez-vous » only (her agenda shows the person's code from the
    booking, not from the event). Moving the booking moves it, cancelling
    drops it; a portal booking's event comes with its confirmations."""

    _inherit = "psys.booking"
    _psys_mirror_fields = ("slot_id", "state", "psys_notice_pending")

    def _psys_event_values(self):
        self.ensure_one()
        if self.state == "cancelled" or not self.practitioner_id or not self.start or self.psys_notice_pending:
            return None
        location = self.location_id
        # In the practitioner's language: the calendar is hers.
        booking = self.with_context(lang=self.practitioner_id.lang or self.env.lang)
        if self.slot_id.home_visit:
            place = booking._psys_home_visit_label()
        else:
            place = ", ".join(filter(None, [location.name, location.street, location.zip, location.city]))
        return {
            "name": booking._psys_event_name(),
            "start": self.start,
            "stop": self.stop,
            "user_id": self.practitioner_id.id,
            "partner_ids": self.practitioner_id.partner_id.ids,
            "location": place,
        }

    def _psys_event_name(self):
        return _("Appointment")

    def _psys_home_visit_label(self):
        return _("Home visit")
