from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class PsysEncounter(models.Model):
    _inherit = "psys.encounter"

    kind = fields.Selection(
        selection_add=[("permanence", "Drop-in permanence visit")],
        ondelete={"permanence": "set default"},
    )
    session_id = fields.Many2one("psys.session", string="Permanence session", index=True, ondelete="set null")
    audience_ids = fields.One2many("psys.encounter.audience", "encounter_id", string="Participants per audience")
    participant_count = fields.Integer(compute="_compute_participant_count", store=True, readonly=False)

    @api.depends("audience_ids.count")
    def _compute_participant_count(self):
        for encounter in self:
            if encounter.audience_ids:
                encounter.participant_count = sum(encounter.audience_ids.mapped("count"))
            elif not encounter.participant_count:
                encounter.participant_count = 1

    @api.model_create_multi
    def create(self, vals_list):
        encounters = super().create(vals_list)
        # The field's default of 1 wins over the compute at creation: count the audiences.
        encounters.filtered("audience_ids")._compute_participant_count()
        return encounters

    @api.constrains("kind", "audience_ids", "beneficiary_id")
    def _check_group_audiences(self):
        for encounter in self:
            if encounter.audience_ids and encounter.kind != "group":
                raise ValidationError(_("Participants per audience are counted for group sessions only."))

    @api.constrains("session_id", "company_id")
    def _check_session_company(self):
        for encounter in self:
            if encounter.session_id and encounter.session_id.company_id != encounter.company_id:
                raise ValidationError(_("The session belongs to another association."))

    def action_add_note(self):
        """Write the shared confidential note of this encounter (clinical group only)."""
        self.ensure_one()
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
