import secrets

from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.workshop_indicators import alliance_lines_by_event, alliance_stats, attendance_by_event
from .psys_workshop_cycle import FACILITATOR
from .psys_workshop_cycle_audience import AUDIENCES


class EventEvent(models.Model):
    _name = "event.event"
    _inherit = ["event.event", "psys.action.guard"]

    psys_cycle_id = fields.Many2one("psys.workshop.cycle", string="Workshop cycle", index=True, ondelete="restrict")
    psys_sequence = fields.Integer(string="Workshop number")
    psys_audience = fields.Selection(AUDIENCES, string="Audience")
    psys_location_id = fields.Many2one("psys.location", string="Psys place")
    psys_territory_id = fields.Many2one(related="psys_cycle_id.territory_id", string="Neighbourhood", store=True)
    psys_facilitator_ids = fields.Many2many(
        "res.users",
        "event_event_psys_facilitator_rel",
        "event_id",
        "user_id",
        string="Facilitators",
    )
    psys_open_session = fields.Boolean(
        string="Open session",
        help="People are counted per audience without registering them one by one.",
    )
    psys_headcount_ids = fields.One2many("psys.workshop.headcount", "event_id", string="Head counts")
    psys_interview_ids = fields.One2many("psys.workshop.interview", "event_id", string="Individual interviews")
    psys_orientation_ids = fields.One2many("psys.orientation", "psys_event_id", string="Orientations")
    psys_survey_id = fields.Many2one("survey.survey", string="Evaluation questionnaire")
    psys_survey_token = fields.Char(
        string="Questionnaire link token",
        copy=False,
        index=True,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(16),
        help="Identifies this workshop in the public link of its questionnaire.",
    )
    psys_survey_url = fields.Char(
        string="Questionnaire link",
        compute="_compute_psys_survey_url",
        help="The questionnaire's public link for this workshop (e.g. as a QR code on the wall): "
        "the answers given through it count for this workshop.",
    )
    psys_user_input_ids = fields.One2many("survey.user_input", "psys_event_id", string="Questionnaire answers")
    psys_held = fields.Boolean(string="Held", compute="_compute_psys_indicators")
    psys_people_reached = fields.Integer(string="People reached", compute="_compute_psys_indicators")
    psys_alliance_score = fields.Float(string="Alliance (out of 5)", compute="_compute_psys_indicators", digits=(3, 2))
    psys_alliance_answer_count = fields.Integer(string="Questionnaires answered", compute="_compute_psys_indicators")
    psys_alliance_distribution = fields.Char(string="Distribution of the answers", compute="_compute_psys_indicators")

    @api.depends(
        "registration_ids.state",
        "registration_ids.psys_beneficiary_id",
        "psys_headcount_ids.count",
    )
    def _compute_psys_indicators(self):
        # In batch: the same queries for one workshop or a list of them.
        ids = [event_id for event_id in self.ids if event_id]
        lines = alliance_lines_by_event(self.env, ids)
        attendance = attendance_by_event(self.env, ids)
        format_distribution = self.env["psys.workshop.cycle"]._psys_format_distribution
        for event in self:
            named, anonymous, counted = attendance.get(event.id, (set(), 0, 0))
            stats = alliance_stats(lines.get(event.id, []))
            event.psys_held = bool(named or anonymous or counted or event.psys_headcount_ids)
            event.psys_people_reached = len(named) + anonymous + counted
            event.psys_alliance_score = stats["mean"]
            event.psys_alliance_answer_count = stats["respondents"]
            event.psys_alliance_distribution = format_distribution(stats["distribution"])

    @api.depends("psys_survey_id", "psys_survey_token")
    def _compute_psys_survey_url(self):
        for event in self:
            survey = event.psys_survey_id
            event.psys_survey_url = (
                f"{survey.get_base_url()}{survey.get_start_url()}?{url_encode({'workshop': event.psys_survey_token})}"
                if survey and event.psys_survey_token
                else False
            )

    def _psys_people_reached(self):
        """Distinct people who attended these workshops: registered
        beneficiaries once each, anyone else once per attendance, plus the
        head counts of the open sessions."""
        attendance = attendance_by_event(self.env, self.ids)
        named = set().union(*(item[0] for item in attendance.values())) if attendance else set()
        return len(named) + sum(item[1] + item[2] for item in attendance.values())

    def _psys_alliance_stats(self):
        """Aggregate the satisfaction answers of the completed questionnaires
        of these workshops: mean out of 5, normalised mean (0 to 1),
        distribution of the values and number of questionnaires."""
        lines = alliance_lines_by_event(self.env, self.ids)
        return alliance_stats([line for event_lines in lines.values() for line in event_lines])

    def _psys_encounter_values(self, beneficiary=False, territory=False, participants=1):
        """Values of the encounter an attendance at this workshop becomes."""
        self.ensure_one()
        duration = (self.date_end - self.date_begin).total_seconds() / 3600.0
        return {
            "kind": "workshop",
            "beneficiary_id": beneficiary.id if beneficiary else False,
            "date_start": self.date_begin,
            "duration": min(max(duration, 0.25), 24.0),
            "location_id": self.psys_location_id.id,
            "practitioner_ids": [(6, 0, self.psys_facilitator_ids.ids)],
            "participant_count": participants,
            "territory_id": (territory or self.psys_territory_id).id,
            "company_id": self.company_id.id or self.env.company.id,
        }

    def action_psys_new_evaluation(self):
        """Open a new anonymous questionnaire for this workshop, to fill in at
        the end of the session (on a tablet or the participant's phone)."""
        self.ensure_one()
        self._psys_check_action("write", FACILITATOR)
        if not self.psys_survey_id:
            raise UserError(_("Choose the evaluation questionnaire of this workshop first."))
        answer = self.psys_survey_id._create_answer(check_attempts=False, psys_event_id=self.id)
        return {
            "type": "ir.actions.act_url",
            "name": _("Evaluation questionnaire"),
            "target": "new",
            "url": f"{self.psys_survey_id.get_start_url()}?{url_encode({'answer_token': answer.access_token})}",
        }

    def action_psys_view_answers(self):
        self.ensure_one()
        self._psys_check_action("read", FACILITATOR)
        return {
            "type": "ir.actions.act_window",
            "name": _("Questionnaire answers"),
            "res_model": "survey.user_input",
            "view_mode": "list,form",
            "domain": [("psys_event_id", "=", self.id)],
        }
