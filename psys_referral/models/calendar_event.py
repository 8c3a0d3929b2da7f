from odoo import api, models


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
        commitments = self._psys_commitments()
        if not {"start", "stop", "partner_ids", "allday"} & set(vals) or not commitments:
            return super().write(vals)
        partners, before = commitments.partner_ids, commitments._psys_period()
        result = super().write(vals)
        commitments._psys_refresh_slots(partners | commitments.partner_ids, before)
        commitments._psys_refresh_slots(partners | commitments.partner_ids, commitments._psys_period())
        return result

    def unlink(self):
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
