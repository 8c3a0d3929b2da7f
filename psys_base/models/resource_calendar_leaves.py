from odoo import models

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write


class ResourceCalendarLeaves(models.Model):
    """A leave or a closing day stays on the calendar and the resource it
    was made for: moved onto another's, it would close her days."""

    _inherit = "resource.calendar.leaves"
    _psys_policy = Policy(company=None, shared=CORE, ownership=("company_id", "calendar_id", "resource_id"))

    def write(self, vals):
        return secured_write(self, vals, super().write)
