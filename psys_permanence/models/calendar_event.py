from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    # Shifts find their calendar events by document: index the reference.
    res_id = fields.Many2oneReference(index=True)
