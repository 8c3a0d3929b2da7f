from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.policy import Policy


class PsysLocation(models.Model):
    """A place where people are met. Its closing days are the leaves of its
    own resource calendar (``resource_calendar_id``, created with it): a
    closure of this place is a leave on that calendar, without resource; a
    closure of every place of the association is a company-wide leave (no
    calendar, no resource, the company set), which Odoo's resource engine
    applies to every calendar of the company, so it also closes the
    partnerships' on-site days. The calendar's own attendances stay empty:
    the opening hours belong to what is held there (permanences,
    partnerships)."""

    _name = "psys.location"
    _description = "Place (antenna, room in a partner structure)"
    _psys_policy = Policy(ownership=("resource_calendar_id",))
    _inherit = ["psys.secured", "psys.calendar.owner"]
    _order = "name"

    name = fields.Char(required=True)
    kind = fields.Selection(
        [
            ("antenna", "Antenna"),
            ("partner_room", "Room in a partner structure"),
            ("town_hall", "Town hall"),
            ("outdoor", "Outdoors"),
            ("phone", "Phone line"),
            ("home", "Home visits"),
        ],
        required=True,
        default="antenna",
    )
    host_partner_id = fields.Many2one(
        "res.partner",
        string="Hosting structure",
        domain=[("psys_structure_type", "!=", False)],
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    territory_id = fields.Many2one("psys.territory")
    capacity = fields.Integer(help="How many people the place receives at once.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    resource_calendar_id = fields.Many2one(
        string="Closing days",
        readonly=True,
        help="The calendar whose leaves are the days this place is closed.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("capacity")
    def _check_capacity(self):
        if any(location.capacity < 0 for location in self):
            raise ValidationError(_("A capacity cannot be negative."))

    @api.model
    def _psys_calendar_values(self, vals):
        """A place's calendar only holds its closing days (its leaves), in
        the time zone of its company."""
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        return {
            "name": vals.get("name"),
            "company_id": company.id,
            "tz": company.partner_id.tz or self.env.user.tz or "Europe/Paris",
            "attendance_ids": [],
        }

    def _create_resource_calendars(self):
        """Give each of these places without one its own calendar of closing
        days (the places made before the calendars, at the upgrade)."""
        missing = self.filtered(lambda location: not location.resource_calendar_id)
        calendars = self._psys_create_calendars(
            [{"name": location.name, "company_id": location.company_id.id} for location in missing]
        )
        for location, calendar in zip(missing, calendars, strict=True):
            location.resource_calendar_id = calendar
