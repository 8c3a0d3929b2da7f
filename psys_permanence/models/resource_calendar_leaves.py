from odoo import _, api, fields, models

# What a leave needs to close sessions, and what moves it.
CLOSING_FIELDS = {"date_from", "date_to", "resource_id", "calendar_id", "time_type", "company_id"}


class ResourceCalendarLeaves(models.Model):
    """The closing days of the antennas are resource leaves (see
    ``psys.location``): a leave on an antenna's calendar closes that antenna,
    a company-wide leave (no calendar) closes every antenna of the
    association. Recording or moving one cancels the planned sessions it
    covers from today on; session generation skips them
    (``psys.calendar.owner._psys_availability``)."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._psys_cancel_sessions()
        return leaves

    def write(self, vals):
        result = super().write(vals)
        if CLOSING_FIELDS & set(vals):
            self._psys_cancel_sessions()
        return result

    def _psys_is_closing(self):
        """Whether this leave closes antennas: a day off, not of a person."""
        self.ensure_one()
        return self.time_type == "leave" and not self.resource_id

    def _psys_cancel_sessions(self):
        """Cancel the planned sessions from today on that these leaves cover."""
        today = fields.Date.context_today(self)
        # sudo: the leave passed its own access rules; the sessions it closes
        # follow it whoever recorded it (an administrator's public holiday).
        Session = self.env["psys.session"].sudo()
        for leave in self.filtered(lambda leave: leave._psys_is_closing()):
            domain = [
                ("state", "=", "planned"),
                ("company_id", "=", leave.company_id.id),
                ("date", ">=", today),
                ("start", "<", leave.date_to),
                ("stop", ">", leave.date_from),
            ]
            if leave.calendar_id:
                domain.append(("location_id.resource_calendar_id", "=", leave.calendar_id.id))
            sessions = Session.search(domain)
            if sessions:
                sessions._cancel(_("Antenna closed: %(reason)s", reason=leave.name or _("closing day")))
