from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.tools.policy import Policy

from .psys_workshop_cycle import FACILITATOR


class PsysWorkshopInterview(models.Model):
    _name = "psys.workshop.interview"
    _inherit = ["psys.secured", "psys.encounter.mirror"]
    _description = "Individual interview slot after a workshop"
    _psys_policy = Policy(workflow=("encounter_id", "no_show"))
    _order = "date_start, id"

    event_id = fields.Many2one("event.event", string="Workshop", required=True, ondelete="cascade", index=True)
    cycle_id = fields.Many2one(related="event_id.psys_cycle_id", store=True, index=True)
    date_start = fields.Datetime(string="Start", required=True)
    duration = fields.Float(string="Duration (hours)", required=True, default=0.5)
    date_end = fields.Datetime(compute="_compute_date_end", store=True)
    facilitator_id = fields.Many2one("res.users", index=True)
    beneficiary_id = fields.Many2one("psys.beneficiary", string="Participant (code)", index=True)
    no_show = fields.Boolean(string="Did not come")
    state = fields.Selection(
        [("free", "Free"), ("booked", "Booked"), ("held", "Held"), ("no_show", "Did not come")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    location_id = fields.Many2one(related="event_id.psys_location_id")
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)

    @api.depends("date_start", "duration")
    def _compute_date_end(self):
        for interview in self:
            interview.date_end = interview.date_start and interview.date_start + timedelta(hours=interview.duration)

    @api.depends("beneficiary_id", "encounter_id", "no_show")
    def _compute_state(self):
        for interview in self:
            if interview.encounter_id:
                interview.state = "held"
            elif interview.no_show:
                interview.state = "no_show"
            elif interview.beneficiary_id:
                interview.state = "booked"
            else:
                interview.state = "free"

    @api.depends("date_start", "beneficiary_id", "facilitator_id")
    def _compute_display_name(self):
        for interview in self:
            when = (
                fields.Datetime.context_timestamp(interview, interview.date_start).strftime("%d/%m/%Y %H:%M")
                if interview.date_start
                else ""
            )
            interview.display_name = f"{when} · {interview.beneficiary_id.code or _('Free')}"

    def action_book(self):
        """Book the slot for its participant, with the current user as facilitator by default."""
        self._psys_check_action("write", FACILITATOR)
        for interview in self:
            if not interview.beneficiary_id:
                raise UserError(_("Choose the participant before booking the interview."))
            if interview.state not in ("free", "booked"):
                raise UserError(_("Only a free slot can be booked."))
            if not interview.facilitator_id:
                interview.facilitator_id = self.env.user

    def action_mark_held(self):
        self._psys_check_action("write", FACILITATOR)
        now = fields.Datetime.now()
        for interview in self:
            if not interview.beneficiary_id:
                raise UserError(_("An interview is held with a participant: book the slot first."))
            if interview.encounter_id:
                raise UserError(_("This interview is already recorded."))
            if interview.date_start > now:
                raise UserError(_("An interview can be marked as held once it has started."))
        self._psys_create_encounters({"no_show": False})

    def action_mark_no_show(self):
        self._psys_check_action("write", FACILITATOR)
        if self.filtered("encounter_id"):
            raise UserError(_("This interview is already recorded as held."))
        self.sudo().no_show = True  # sudo: workflow field, the caller was checked above

    def action_free(self):
        self._psys_check_action("write", FACILITATOR)
        if self.filtered("encounter_id"):
            raise UserError(_("This interview is already recorded as held."))
        self.write({"beneficiary_id": False, "facilitator_id": False})
        self.sudo().no_show = False  # sudo: workflow field, the caller was checked above

    def action_orient(self):
        self.ensure_one()
        self._psys_check_action("read", FACILITATOR)
        return self._psys_action_orient(
            {"beneficiary_id": self.beneficiary_id.id, "psys_event_id": self.event_id.id, "psys_interview_id": self.id}
        )

    def _psys_encounter_values(self):
        self.ensure_one()
        event = self.event_id
        return {
            "kind": "individual",
            "beneficiary_id": self.beneficiary_id.id,
            "date_start": self.date_start,
            "duration": self.duration,
            "location_id": event.psys_location_id.id,
            "practitioner_ids": [(6, 0, (self.facilitator_id or self.env.user).ids)],
            "territory_id": (self.beneficiary_id.territory_id or event.psys_territory_id).id,
            "company_id": event.company_id.id or self.env.company.id,
        }
