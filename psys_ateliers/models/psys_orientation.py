from odoo import api, fields, models


class PsysOrientation(models.Model):
    _inherit = "psys.orientation"

    psys_event_id = fields.Many2one("event.event", string="After the workshop", index=True, ondelete="set null")
    psys_interview_id = fields.Many2one(
        "psys.workshop.interview", string="After the interview", index=True, ondelete="set null"
    )
    psys_cycle_id = fields.Many2one(
        "psys.workshop.cycle",
        string="Workshop cycle",
        compute="_compute_psys_cycle_id",
        store=True,
        index=True,
    )

    @api.depends("psys_event_id.psys_cycle_id", "psys_interview_id.event_id.psys_cycle_id")
    def _compute_psys_cycle_id(self):
        for orientation in self:
            orientation.psys_cycle_id = (
                orientation.psys_interview_id.event_id.psys_cycle_id or orientation.psys_event_id.psys_cycle_id
            )

    @api.onchange("psys_interview_id")
    def _onchange_psys_interview_id(self):
        if self.psys_interview_id:
            self.psys_event_id = self.psys_interview_id.event_id

    @api.model
    def _psys_people_count(self, orientations):
        """Distinct people behind these orientations: a beneficiary once,
        an orientation of an anonymous person once."""
        return len(orientations.beneficiary_id) + len(orientations.filtered(lambda rec: not rec.beneficiary_id))
