from odoo import fields, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    psys_partnership_ids = fields.One2many(
        "psys.partnership",
        "resource_calendar_id",
        string="Partnerships",
        help="The partnerships whose on-site days this calendar holds.",
    )
