from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.models.base import CLINICAL


class PsysEncounter(models.Model):
    _inherit = "psys.encounter"

    kind = fields.Selection(
        selection_add=[("permanence", "Drop-in permanence visit")],
        ondelete={"permanence": "set default"},
    )
    session_id = fields.Many2one("psys.session", string="Permanence session", index=True, ondelete="set null")
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

    @api.constrains("session_id", "company_id")
    def _check_session_company(self):
        for encounter in self:
            if encounter.session_id and encounter.session_id.company_id != encounter.company_id:
                raise ValidationError(_("The session belongs to another association."))

    def action_add_note(self):
        """Write the shared confidential note of this encounter (clinical group only)."""
        self.ensure_one()
        self._psys_check_action("read", CLINICAL)
        if not self.beneficiary_id:
            raise UserError(_("A confidential note is about a person: this encounter has none."))
        self.env["psys.note"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": _("Confidential note"),
            "res_model": "psys.note",
            "view_mode": "form",
            "target": "new",
            "context": {"default_beneficiary_id": self.beneficiary_id.id, "default_encounter_id": self.id},
        }
