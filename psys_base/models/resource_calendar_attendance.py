from odoo import api, models

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write


class ResourceCalendarAttendance(models.Model):
    """A line of the weekly hours of a psys calendar (a permanence's opening
    hours, a partnership's on-site days): named after its day when the form
    gives no name, as Odoo requires one. It stays on its calendar: moved
    onto another, it would open another's hours."""

    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "psys.action.guard"]
    _psys_policy = Policy(company=None, shared=CORE, ownership=("calendar_id",))

    @api.model_create_multi
    def create(self, vals_list):
        days = dict(self._fields["dayofweek"]._description_selection(self.env))
        for vals in vals_list:
            if not vals.get("name"):
                vals["name"] = days.get(vals.get("dayofweek") or "0", "")
        return super().create(vals_list)

    def write(self, vals):
        return secured_write(self, vals, super().write)
