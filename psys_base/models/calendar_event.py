from odoo import api, models
from odoo.osv import expression

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write

# What an event mirroring a psys record could tell about it, in a search.
REVEALING_FIELDS = {"name", "location", "description", "res_id", "res_model", "res_model_id"}


class CalendarEvent(models.Model):
    """The events that mirror a psys record (an appointment, a shift) tell
    nobody but their attendees anything: a search on what could reveal the
    record (its name, place, description, or the record it mirrors) finds
    them for their attendees only. Which record an event mirrors never
    changes by a user's write."""

    _inherit = "calendar.event"
    _psys_policy = Policy(company=None, shared=CORE, ownership=("res_model_id", "res_id"))

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su and domain:
            leaves = [leaf[0] for leaf in expression.normalize_domain(domain) if isinstance(leaf, (list, tuple))]
            if any(isinstance(name, str) and name.split(".")[0] in REVEALING_FIELDS for name in leaves):
                domain = expression.AND([domain, self._psys_attendee_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _psys_attendee_domain(self):
        """Events that mirror no psys record, or of which the user is an attendee or the organiser."""
        user = self.env.user
        return [
            "|",
            "|",
            ("res_model", "=", False),
            ("res_model", "not like", "psys.%"),
            "|",
            ("partner_ids", "in", user.partner_id.ids),
            ("user_id", "=", user.id),
        ]

    def write(self, vals):
        return secured_write(self, vals, super().write)
