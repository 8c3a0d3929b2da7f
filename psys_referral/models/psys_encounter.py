from odoo import fields, models


class PsysEncounter(models.Model):
    _inherit = "psys.encounter"

    kind = fields.Selection(selection_add=[("appointment", "Appointment")], ondelete={"appointment": "set default"})
