from odoo import fields, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    psys_location_ids = fields.One2many(
        "psys.location", "resource_calendar_id", string="Places", help="The places whose closing days these are."
    )
