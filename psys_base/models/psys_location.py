from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PsysLocation(models.Model):
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
    active = fields.Boolean(default=True)

    @api.constrains("capacity")
    def _check_capacity(self):
        if any(location.capacity < 0 for location in self):
            raise ValidationError(_("A capacity cannot be negative."))
