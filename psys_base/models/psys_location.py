from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
        "resource.calendar",
        string="Closing days",
        ondelete="restrict",
        copy=False,
        index=True,
        readonly=True,
        help="The calendar whose leaves are the days this place is closed.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("capacity")
    def _check_capacity(self):
        if any(location.capacity < 0 for location in self):
            raise ValidationError(_("A capacity cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        locations = super().create(vals_list)
        locations._create_resource_calendars()
        return locations

    def _create_resource_calendars(self):
        """Give each of these places without one its own calendar of closing days."""
        missing = self.filtered(lambda location: not location.resource_calendar_id)
        if not missing:
            return
        # sudo: the calendar only carries the place's name and its closing
        # days; it belongs to the place the caller could create.
        calendars = (
            self.env["resource.calendar"]
            .sudo()
            .create(
                [
                    {
                        "name": location.name,
                        "company_id": location.company_id.id,
                        "tz": location.company_id.partner_id.tz or self.env.user.tz or "Europe/Paris",
                        "attendance_ids": [],
                    }
                    for location in missing
                ]
            )
        )
        for location, calendar in zip(missing, calendars, strict=True):
            location.resource_calendar_id = calendar
