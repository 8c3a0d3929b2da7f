from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.tools.policy import Policy

from .psys_workshop_cycle_audience import AUDIENCES


class PsysWorkshopHeadcount(models.Model):
    _name = "psys.workshop.headcount"
    _inherit = ["psys.secured", "psys.encounter.mirror"]
    _description = "Head count of an open workshop session, per audience"
    _psys_policy = Policy()
    _order = "event_id, audience"

    event_id = fields.Many2one("event.event", string="Workshop", required=True, ondelete="cascade", index=True)
    audience = fields.Selection(AUDIENCES, required=True)
    count = fields.Integer(string="People", required=True, default=1)
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
        headcounts._psys_create_encounters()
        return headcounts

    def write(self, vals):
        result = super().write(vals)
        if "count" in vals:
            for headcount in self:
                headcount.encounter_id.participant_count = headcount.count
        return result

    def unlink(self):
        self.check_access("unlink")  # before the encounters are removed in sudo()
        self._psys_remove_encounters()
        return super().unlink()

    def _psys_encounter_values(self):
        self.ensure_one()
        return self.event_id._psys_encounter_values(participants=self.count)
