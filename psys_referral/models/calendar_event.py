from odoo import _, api, models
from odoo.exceptions import UserError

# What the booking decides on its event.
MIRRORED_FIELDS = {"start", "stop", "allday", "partner_ids", "user_id", "res_id", "res_model_id"}


class CalendarEvent(models.Model):
    """A practitioner's commitment takes the partnership slots it overlaps,
    and frees them again when it moves or goes."""

    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        commitments = events._psys_commitments()
        commitments._psys_refresh_slots(commitments.partner_ids, commitments._psys_period())
        return events

    def write(self, vals):
        if MIRRORED_FIELDS & set(vals):
            self._psys_check_booking_mirror("write")
        commitments = self._psys_commitments()
        if not {"start", "stop", "partner_ids", "allday"} & set(vals) or not commitments:
            return super().write(vals)
        partners, before = commitments.partner_ids, commitments._psys_period()
        result = super().write(vals)
        commitments._psys_refresh_slots(partners | commitments.partner_ids, before)
        commitments._psys_refresh_slots(partners | commitments.partner_ids, commitments._psys_period())
        return result

    def unlink(self):
        self._psys_check_booking_mirror("unlink")
        commitments = self._psys_commitments()
        partners, period = commitments.partner_ids, commitments._psys_period()
        result = super().unlink()
        self.env["calendar.event"]._psys_refresh_slots(partners, period)
        return result

    def _psys_commitments(self):
        """These events but the appointments' own: a booking holds its slot
        already, and regenerating the practitioner's slots at each booking
        would lock her free slots against concurrent ones."""
        # sudo: which record an event mirrors, to leave appointments out.
        return self.filtered(lambda event: event.sudo().res_model != "psys.booking")

    def _psys_check_booking_mirror(self, operation):
        """An appointment's event follows its booking: moved in the calendar
        alone, the partner structure and the person would not know. Only the
        booking's own steps (in sudo) change it. (The access comes first: to
        whoever may not change the event, it is not said to be an appointment.)"""
        if self.env.su:
            return
        self.check_access(operation)
        if any(event.res_model == "psys.booking" for event in self.sudo()):
            raise UserError(_("This event is an appointment: move or cancel the appointment itself, in the agenda."))

    def _psys_period(self):
        """First and last day these events cover, or None."""
        starts = [event.start for event in self if event.start]
        stops = [event.stop for event in self if event.stop]
        return (min(starts).date(), max(stops).date()) if starts and stops else None

    @api.model
    def _psys_refresh_slots(self, partners, period):
        if not partners or not period:
            return
        # sudo: whoever edits an event keeps the practitioners' free slots in
        # step with it; no partnership data is shown to them.
        partnerships = self.env["psys.partnership"].sudo().search([("practitioner_id.partner_id", "in", partners.ids)])
        partnerships.action_generate_slots(*period)
