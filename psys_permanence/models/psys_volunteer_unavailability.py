from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy


class PsysVolunteerUnavailability(models.Model):
    _name = "psys.volunteer.unavailability"
    _inherit = ["psys.secured"]
    _description = "Volunteer unavailable dates"
    _psys_policy = Policy(owner="user_id")
    _order = "date_from"

    availability_id = fields.Many2one("psys.volunteer.availability", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(related="availability_id.user_id", store=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    reason = fields.Char()
    company_id = fields.Many2one(related="availability_id.company_id", store=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for period in self:
            if period.date_to < period.date_from:
                raise ValidationError(_("An unavailability cannot end before it starts."))
