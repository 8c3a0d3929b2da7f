from odoo import fields, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    psys_permanence_ids = fields.One2many(
        "psys.permanence",
        "resource_calendar_id",
        string="Permanences",
        help="The permanences whose weekly opening hours this calendar holds.",
    )
