from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class PsysVolunteerAvailability(models.Model):
    """When and where a volunteer is willing to hold shifts."""

    _name = "psys.volunteer.availability"
    _inherit = ["psys.secured"]
    _description = "Volunteer availability"
    _psys_policy = Policy(owner="user_id")
    _order = "user_id"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users",
        string="Volunteer",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref("psys_base.group_psys_reception").ids)],
    )
    mon = fields.Boolean(string="Monday", default=True)
    tue = fields.Boolean(string="Tuesday", default=True)
    wed = fields.Boolean(string="Wednesday", default=True)
    thu = fields.Boolean(string="Thursday", default=True)
    fri = fields.Boolean(string="Friday", default=True)
    sat = fields.Boolean(string="Saturday")
    sun = fields.Boolean(string="Sunday")
    location_ids = fields.Many2many("psys.location", string="Antennas", help="Empty: any antenna.")
    role_preference = fields.Selection(
        [("any", "Any role I can hold"), ("reception", "Reception only"), ("interview", "Interviews only")],
        required=True,
        default="any",
    )
    max_shifts_month = fields.Integer(string="Max shifts per month", default=4, help="0: no limit.")
    unavailability_ids = fields.One2many("psys.volunteer.unavailability", "availability_id", string="Unavailable dates")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("user_company_uniq", "unique(user_id, company_id)", "A volunteer declares one set of availabilities."),
    ]

    @api.constrains("max_shifts_month")
    def _check_max_shifts_month(self):
        for availability in self:
            if availability.max_shifts_month < 0:
                raise ValidationError(_("The maximum number of shifts per month cannot be negative."))

    def _get_weekdays(self):
        self.ensure_one()
        return {index for index, day in enumerate(WEEKDAYS) if self[day]}

    def _get_unavailable_days(self):
        self.ensure_one()
        days = set()
        for period in self.unavailability_ids:
            day = period.date_from
            while day <= period.date_to:
                days.add(day)
                day = fields.Date.add(day, days=1)
        return days

    def _accepts(self, session, role):
        """Whether the volunteer declared themselves available for ``role`` in ``session``."""
        self.ensure_one()
        if self.role_preference not in ("any", role):
            return False
        if session.date.weekday() not in self._get_weekdays():
            return False
        if self.location_ids and session.location_id not in self.location_ids:
            return False
        return session.date not in self._get_unavailable_days()
