from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResourceCalendarAttendance(models.Model):
    """On-site hours of a partnership: a line of its resource calendar, that
    may be kept for visits at the person's home."""

    _inherit = "resource.calendar.attendance"

    psys_home_visit = fields.Boolean(string="Home visits", help="These hours are for visits at the person's home.")

    @api.constrains("hour_from", "hour_to", "psys_home_visit", "calendar_id")
    def _check_psys_hours(self):
        for attendance in self:
            partnerships = attendance.calendar_id.psys_partnership_ids
            if not partnerships:
                continue
            if not 0 <= attendance.hour_from < attendance.hour_to <= 24:
                raise ValidationError(_("On-site hours go from 0 to 24 and end after they start."))
            if attendance.psys_home_visit and not all(partnerships.mapped("allow_home_visits")):
                raise ValidationError(_("This partnership does not allow home visits."))
