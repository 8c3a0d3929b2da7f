from odoo import fields, models

from ..tools.policy import Policy
from .psys_secured import secured_write

# A calendar's own parts: they do not keep it in use.
CALENDAR_PARTS = ("resource.calendar.attendance", "resource.calendar.leaves")


class ResourceCalendar(models.Model):
    """Working hours: a company's, a place's closing days, a permanence's
    opening hours, a partnership's on-site days. A calendar stays in its
    association (psys's calendars are created and deleted by their owner
    record only: ``psys.calendar.owner``)."""

    _name = "resource.calendar"
    _inherit = ["resource.calendar", "psys.action.guard"]
    _psys_policy = Policy(company_optional=True)

    psys_location_ids = fields.One2many(
        "psys.location", "resource_calendar_id", string="Places", help="The places whose closing days these are."
    )

    def write(self, vals):
        return secured_write(self, vals, super().write)

    def _psys_used_calendars(self):
        """Those of these calendars that any record of the database still
        uses (a calendar owner of any psys model, archived ones included, a
        company, a resource, an employee…): every stored link to a calendar,
        found from the registry."""
        env = self.sudo().with_context(active_test=False).env
        used = self.browse()
        for model in env.registry.values():
            if model._abstract or not model._auto or model._name in CALENDAR_PARTS:
                continue
            for field in model._fields.values():
                if field.type == "many2one" and field.comodel_name == self._name and field.store:
                    groups = env[model._name]._read_group([(field.name, "in", self.ids)], [field.name])
                    used |= self.browse([calendar.id for (calendar,) in groups])
        return used
