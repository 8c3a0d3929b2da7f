from odoo import fields, models


class PsysEncounter(models.Model):
    """The reception remark of the walk-in, on the encounter it led to."""

    _inherit = "psys.encounter"

    desk_arrival_note = fields.Char(
        string="Reception remark",
        compute="_compute_desk_arrival_note",
        help="Practical remark of reception (language, accessibility…), never clinical.",
    )

    def _compute_desk_arrival_note(self):
        visits = self.env["psys.desk.visit"].search([("encounter_id", "in", self.ids)])
        notes = {visit.encounter_id.id: visit.arrival_note for visit in visits if visit.arrival_note}
        for encounter in self:
            encounter.desk_arrival_note = notes.get(encounter.id, False)
