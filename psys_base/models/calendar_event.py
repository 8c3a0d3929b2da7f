from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write

# What an event mirroring a psys record could tell about it, in a search.
REVEALING_FIELDS = {"name", "location", "description", "res_id", "res_model", "res_model_id"}
# What a user may change on such an event: her own reminders and notes.
PERSONAL_FIELDS = {"alarm_ids", "description"}


class CalendarEvent(models.Model):
    """The events of psys records tell nobody but their attendees anything:
    a search on what could reveal the record (its name, place, description,
    or the record it names) finds them for their attendees only.

    Those that mirror a record (an appointment, a permanence session:
    ``psys_mirror``, set by ``psys.calendar.mirror`` only) are one per
    record, and only the mirror moves or deletes them (a user changes her
    own reminders and notes only): the record is what changes, and its event
    follows. A meeting a user schedules about a psys record (an activity) is
    hers to move."""

    _name = "calendar.event"
    _inherit = ["calendar.event", "psys.action.guard"]
    _psys_policy = Policy(company=None, shared=CORE, ownership=("res_model_id", "res_id", "psys_mirror"))

    # A record's event is found by the record it names (psys.calendar.mirror).
    res_id = fields.Many2oneReference(index=True)
    psys_mirror = fields.Boolean(
        string="Mirrors a Psys record", readonly=True, copy=False, help="Written and moved by Psys only."
    )

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

    def init(self):
        result = super().init()
        # The mirror's link: one event per psys record (psys.calendar.mirror).
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS calendar_event_psys_mirror_uniq
                ON calendar_event (res_model, res_id) WHERE psys_mirror
            """
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("psys_mirror") for vals in vals_list):
            raise AccessError(_("Only Psys puts the events of its records in a calendar."))
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - PERSONAL_FIELDS:
            self._psys_check_mirror_change("write")
        return secured_write(self, vals, super().write)

    def unlink(self):
        self._psys_check_mirror_change("unlink")
        return super().unlink()

    def _psys_check_mirror_change(self, operation):
        """Refuse a user's change of an event that mirrors a psys record
        (after the access check: to whoever may not change the event, it is
        not said what it mirrors)."""
        if self.env.su:
            return
        self.check_access(operation)
        # sudo: whether an event mirrors a record, compared only.
        if any(self.sudo().mapped("psys_mirror")):
            raise AccessError(
                _("This event follows a record of Psys (an appointment, a session): change the record itself.")
            )
