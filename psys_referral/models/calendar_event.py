from odoo import api, models


class CalendarEvent(models.Model):
    """A practitioner's commitment takes the partnership slots it overlaps,
    and frees them again when it moves or goes."""

    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._psys_refresh_slots(events.partner_ids, events._psys_period())
        return events

    def write(self, vals):
        if not {"start", "stop", "partner_ids", "allday"} & set(vals):
            return super().write(vals)
        partners, before = self.partner_ids, self._psys_period()
        result = super().write(vals)
        self._psys_refresh_slots(partners | self.partner_ids, before)
        self._psys_refresh_slots(partners | self.partner_ids, self._psys_period())
        return result

    def unlink(self):
        partners, period = self.partner_ids, self._psys_period()
        result = super().unlink()
        self.env["calendar.event"]._psys_refresh_slots(partners, period)
        return result

    def _psys_period(self):
        """First and last day these events cover, or None."""
        starts = [event.start for event in self if event.start]
        stops = [event.stop for event in self if event.stop]
        return (min(starts).date(), max(stops).date()) if starts and stops else None

    @api.model
    def _psys_refresh_slots(self, partners, period):
        # An appointment's own event (psys_booking_calendar.py): its booking
        # holds the slot already, and regenerating the practitioner's slots
        # at each booking would lock her free slots against concurrent ones.
        if not partners or not period or self.env.context.get("psys_booking_mirror"):
            return
        # sudo: whoever edits an event keeps the practitioners' free slots in
        # step with it; no partnership data is shown to them.
        partnerships = self.env["psys.partnership"].sudo().search([("practitioner_id.partner_id", "in", partners.ids)])
        partnerships.action_generate_slots(*period)
