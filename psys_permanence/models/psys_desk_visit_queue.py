from odoo import api, fields, models


class PsysDeskVisit(models.Model):
    """The queue card: how long the person has waited."""

    _inherit = "psys.desk.visit"

    waiting_minutes = fields.Integer(
        string="Waiting (minutes)",
        compute="_compute_waiting_minutes",
        help="Since the arrival, while the person waits.",
    )

    @api.depends("arrival", "state")
    def _compute_waiting_minutes(self):
        now = fields.Datetime.now()
        for visit in self:
            waiting = visit.state == "arrived" and visit.arrival
            visit.waiting_minutes = int((now - visit.arrival).total_seconds() // 60) if waiting else 0
