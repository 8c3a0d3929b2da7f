from odoo import fields, models


class PsysEncounter(models.Model):
    _inherit = "psys.encounter"

    kind = fields.Selection(
        selection_add=[("permanence", "Drop-in permanence visit")],
        ondelete={"permanence": "set default"},
    )
    session_id = fields.Many2one(
        "psys.session", string="Permanence session", index=True, ondelete="set null", check_company=True
    )
    desk_arrival_note = fields.Char(
        string="Reception remark",
        compute="_compute_desk_arrival_note",
        help="Practical remark of reception (language, accessibility…), never clinical.",
    )

    def _compute_desk_arrival_note(self):
        """The reception remark of the walk-in, on the encounter it led to."""
        visits = self.env["psys.desk.visit"].search([("encounter_id", "in", self.ids)])
        notes = {visit.encounter_id.id: visit.arrival_note for visit in visits if visit.arrival_note}
        for encounter in self:
            encounter.desk_arrival_note = notes.get(encounter.id, False)
