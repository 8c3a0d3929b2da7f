from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .base import CLINICAL
from .psys_encounter import CLINICAL_GROUPS

CLINICAL_NOTES = "psys_base.group_psys_clinical"


class PsysEncounter(models.Model):
    """The encounter as the therapist's workspace: the person's history and
    the confidential notes, on the encounter itself.

    Every field here is clinical: ``groups=`` keeps it out of reception's
    views and reads (AccessError), the computes run as the caller (record
    rules apply) and the notes shown are read through ``psys.note.read``,
    so each display is logged in the notes' access log."""

    _inherit = "psys.encounter"

    note_ids = fields.One2many(
        "psys.note",
        "encounter_id",
        string="Notes of this encounter",
        groups=CLINICAL_NOTES,
    )
    history_note_ids = fields.Many2many(
        "psys.note",
        string="Earlier notes of the clinical group",
        compute="_compute_history",
        groups=CLINICAL_NOTES,
    )
    history_encounter_ids = fields.Many2many(
        "psys.encounter",
        string="Earlier encounters",
        compute="_compute_history",
        groups=CLINICAL_GROUPS,
    )
    orientation_summary = fields.Char(
        string="Oriented to",
        compute="_compute_orientation_summary",
        groups=CLINICAL_GROUPS,
    )

    @api.depends("beneficiary_id", "date_start")
    def _compute_history(self):
        people = self.beneficiary_id
        encounters = self.env["psys.encounter"]
        notes = self.env["psys.note"]
        if people:
            encounters = encounters.search([("beneficiary_id", "in", people.ids)])
            if self.env.user.has_group(CLINICAL_NOTES):
                notes = notes.search([("beneficiary_id", "in", people.ids)])
        for encounter in self:
            person = encounter.beneficiary_id
            earlier = encounters.filtered(
                lambda other, encounter=encounter, person=person: other.beneficiary_id == person
                and other != encounter
                and (not encounter.date_start or other.date_start <= encounter.date_start)
            )
            encounter.history_encounter_ids = earlier if person else False
            encounter.history_note_ids = (
                notes.filtered(
                    lambda note, encounter=encounter, person=person: note.beneficiary_id == person
                    and note.encounter_id != encounter
                )
                if person
                else False
            )

    @api.depends("orientation_ids.target_id")
    def _compute_orientation_summary(self):
        for encounter in self:
            encounter.orientation_summary = ", ".join(encounter.orientation_ids.target_id.mapped("name"))

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
