from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .psys_workshop_cycle_audience import AUDIENCES


class PsysWorkshopHeadcount(models.Model):
    _name = "psys.workshop.headcount"
    _description = "Head count of an open workshop session, per audience"
    _order = "event_id, audience"

    event_id = fields.Many2one("event.event", string="Workshop", required=True, ondelete="cascade", index=True)
    audience = fields.Selection(AUDIENCES, required=True)
    count = fields.Integer(string="People", required=True, default=1)
    encounter_id = fields.Many2one("psys.encounter", readonly=True, copy=False)
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("event_audience_uniq", "unique(event_id, audience)", "A workshop has one head count per audience."),
    ]

    @api.constrains("count")
    def _check_count(self):
        if any(headcount.count < 1 for headcount in self):
            raise ValidationError(_("A head count counts at least one person."))

    @api.model_create_multi
    def create(self, vals_list):
        headcounts = super().create(vals_list)
        now = fields.Datetime.now()
        for headcount in headcounts:
            if not headcount.event_id.psys_cycle_id:
                raise UserError(_("Head counts are recorded on the workshops of a cycle."))
            if headcount.event_id.date_begin > now:
                raise UserError(
                    _(
                        "Attendance at %(workshop)s can be recorded once the workshop has started.",
                        workshop=headcount.event_id.name,
                    )
                )
        encounters = self.env["psys.encounter"].create(
            [headcount.event_id._psys_encounter_values(participants=headcount.count) for headcount in headcounts]
        )
        for headcount, encounter in zip(headcounts, encounters, strict=True):
            headcount.encounter_id = encounter
        return headcounts

    def write(self, vals):
        result = super().write(vals)
        if "count" in vals:
            for headcount in self:
                headcount.encounter_id.participant_count = headcount.count
        return result

    def unlink(self):
        self.check_access("unlink")  # before the sudo() below
        encounters = self.encounter_id
        result = super().unlink()
        # The anonymous encounters created by these head counts mirror them
        # and nothing else; the facilitator may not delete encounters in general.
        encounters.sudo().unlink()
        return result
