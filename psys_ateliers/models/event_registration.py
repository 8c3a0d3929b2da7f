from odoo import _, api, fields, models
from odoo.exceptions import UserError


class EventRegistration(models.Model):
    _name = "event.registration"
    _inherit = ["event.registration", "psys.encounter.mirror"]

    psys_beneficiary_id = fields.Many2one("psys.beneficiary", string="Participant (code)", index=True)
    psys_audience = fields.Selection(related="event_id.psys_audience")

    @api.model_create_multi
    def create(self, vals_list):
        registrations = super().create(vals_list)
        registrations._psys_sync_encounters()
        return registrations

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self._psys_sync_encounters()
        return result

    def _psys_sync_encounters(self):
        """An attendance at a workshop is an encounter of kind workshop; an
        attendance taken back removes it."""
        workshops = self.filtered("event_id.psys_cycle_id")
        attended = workshops.filtered(lambda reg: reg.state == "done" and not reg.encounter_id)
        now = fields.Datetime.now()
        too_early = attended.filtered(lambda reg: reg.event_id.date_begin > now)
        if too_early:
            raise UserError(
                _(
                    "Attendance at %(workshop)s can be recorded once the workshop has started.",
                    workshop=too_early[0].event_id.name,
                )
            )
        attended._psys_create_encounters()
        workshops.filtered(lambda reg: reg.state != "done" and reg.encounter_id)._psys_remove_encounters()

    def _psys_encounter_values(self):
        self.ensure_one()
        event = self.event_id
        return event._psys_encounter_values(
            beneficiary=self.psys_beneficiary_id,
            territory=self.psys_beneficiary_id.territory_id or event.psys_territory_id,
        )
