from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """A line of the weekly hours of a psys calendar (a permanence's opening
    hours, a partnership's on-site days): named after its day when the form
    gives no name, as Odoo requires one."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        days = dict(self._fields["dayofweek"]._description_selection(self.env))
        for vals in vals_list:
            if not vals.get("name"):
                vals["name"] = days.get(vals.get("dayofweek") or "0", "")
        return super().create(vals_list)
