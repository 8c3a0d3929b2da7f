from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy

from ..tools.workshop_indicators import alliance_lines_by_event, alliance_stats, attendance_by_event
from .psys_workshop_cycle_audience import DEFAULT_ORDER

# The group that runs the workshop cycles (actions check it).
FACILITATOR = "psys_ateliers.group_psys_facilitator"


class PsysWorkshopCycle(models.Model):
    _name = "psys.workshop.cycle"
    _description = "Workshop cycle in a neighbourhood"
    _psys_policy = Policy()
    _inherit = ["psys.secured", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Programme", required=True, tracking=True)
    territory_id = fields.Many2one("psys.territory", string="Neighbourhood", required=True, tracking=True, index=True)
    location_id = fields.Many2one("psys.location", string="Usual place")
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(string="End", required=True, tracking=True)
    target_people = fields.Integer(string="Target (people)", tracking=True)
    user_ids = fields.Many2many(
        "res.users",
        "psys_workshop_cycle_res_users_rel",
        "cycle_id",
        "user_id",
        string="Team",
        default=lambda self: self.env.user,
    )
    audience_ids = fields.One2many(
        "psys.workshop.cycle.audience",
        "cycle_id",
        string="Audience order",
        default=lambda self: [
            Command.create({"sequence": index, "audience": audience}) for index, audience in enumerate(DEFAULT_ORDER)
        ],
        help="The generated workshops take these audiences in turn, in this order.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Evaluation questionnaire",
        default=lambda self: self.env.ref("psys_ateliers.survey_workshop_evaluation", raise_if_not_found=False),
    )
    event_ids = fields.One2many("event.event", "psys_cycle_id", string="Workshops")
    budget_line_ids = fields.One2many("psys.workshop.budget.line", "cycle_id", string="Budget")
    spending_ids = fields.One2many("psys.workshop.spending", "cycle_id")
    orientation_ids = fields.One2many("psys.orientation", "psys_cycle_id", string="Orientations")
    currency_id = fields.Many2one(related="company_id.currency_id")
    budget_total = fields.Monetary(compute="_compute_budget_totals", currency_field="currency_id")
    spent_total = fields.Monetary(compute="_compute_budget_totals", currency_field="currency_id")
    remaining_total = fields.Monetary(compute="_compute_budget_totals", currency_field="currency_id")
    workshop_count = fields.Integer(string="Workshops planned", compute="_compute_indicators")
    workshop_held_count = fields.Integer(string="Workshops held", compute="_compute_indicators")
    people_reached = fields.Integer(string="People reached", compute="_compute_indicators")
    progress = fields.Float(string="Progress toward the target (%)", compute="_compute_indicators")
    alliance_score = fields.Float(
        string="Alliance (out of 5)",
        compute="_compute_indicators",
        digits=(3, 2),
        help="Mean of the answers to the satisfaction questions of the evaluation questionnaires.",
    )
    alliance_answer_count = fields.Integer(string="Questionnaires answered", compute="_compute_indicators")
    alliance_distribution = fields.Char(string="Distribution of the answers", compute="_compute_indicators")
    orientation_count = fields.Integer(string="Number of orientations", compute="_compute_indicators")
    people_oriented = fields.Integer(string="People oriented", compute="_compute_indicators")
    sentinel_count = fields.Integer(string="Sentinels identified", compute="_compute_indicators")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)

    @api.depends("budget_line_ids.amount", "spending_ids.amount")
    def _compute_budget_totals(self):
        for cycle in self:
            cycle.budget_total = sum(cycle.budget_line_ids.mapped("amount"))
            cycle.spent_total = sum(cycle.spending_ids.mapped("amount"))
            cycle.remaining_total = cycle.budget_total - cycle.spent_total

    def _compute_indicators(self):
        # In batch (_read_group): the same queries for one cycle or the whole list.
        events = self.env["event.event"].search_read([("psys_cycle_id", "in", self.ids)], ["psys_cycle_id"], load=None)
        event_ids = [event["id"] for event in events]
        events_by_cycle = defaultdict(list)
        for event in events:
            events_by_cycle[event["psys_cycle_id"]].append(event["id"])
        lines = alliance_lines_by_event(self.env, event_ids)
        attendance = attendance_by_event(self.env, event_ids)
        orientations = defaultdict(lambda: [0, set(), 0])
        for cycle, beneficiary, count in self.env["psys.orientation"]._read_group(
            [("psys_cycle_id", "in", self.ids)], ["psys_cycle_id", "beneficiary_id"], ["__count"]
        ):
            orientations[cycle.id][0] += count
            if beneficiary:
                orientations[cycle.id][1].add(beneficiary.id)
            else:
                orientations[cycle.id][2] += count
        # Counting only: the number of sentinels identified in each cycle is
        # an indicator every cycle reader may see; no identity is read.
        sentinels = {
            cycle.id: count
            for cycle, count in self.env["psys.sentinel"]
            .sudo()
            ._read_group([("cycle_id", "in", self.ids)], ["cycle_id"], ["__count"])
        }
        for cycle in self:
            workshop_ids = events_by_cycle.get(cycle.id, [])
            named, anonymous, held = set(), 0, 0
            for event_id in workshop_ids:
                event_named, event_anonymous, event_counted = attendance.get(event_id, (set(), 0, 0))
                named |= event_named
                anonymous += event_anonymous + event_counted
                held += bool(event_named or event_anonymous or event_counted)
            stats = alliance_stats([line for event_id in workshop_ids for line in lines.get(event_id, [])])
            oriented = orientations.get(cycle.id, (0, set(), 0))
            cycle.workshop_count = len(workshop_ids)
            cycle.workshop_held_count = held
            cycle.people_reached = len(named) + anonymous
            cycle.progress = 100.0 * cycle.people_reached / cycle.target_people if cycle.target_people else 0.0
            cycle.alliance_score = stats["mean"]
            cycle.alliance_answer_count = stats["respondents"]
            cycle.alliance_distribution = self._psys_format_distribution(stats["distribution"])
            cycle.orientation_count = oriented[0]
            cycle.people_oriented = len(oriented[1]) + oriented[2]
            cycle.sentinel_count = sentinels.get(cycle.id, 0)

    @api.model
    def _psys_format_distribution(self, distribution):
        return " · ".join(f"{value}: {count}" for value, count in sorted(distribution.items()))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for cycle in self:
            if cycle.date_end < cycle.date_start:
                raise ValidationError(
                    _(
                        "The cycle %(name)s ends before it starts: choose an end date after %(start)s.",
                        name=cycle.name,
                        start=cycle.date_start,
                    )
                )

    @api.constrains("target_people")
    def _check_target_people(self):
        if any(cycle.target_people < 0 for cycle in self):
            raise ValidationError(_("The target number of people cannot be negative."))

    def action_open_generate(self):
        self.ensure_one()
        self._psys_check_action("write", FACILITATOR)
        return {
            "type": "ir.actions.act_window",
            "name": _("Generate workshops"),
            "res_model": "psys.workshop.generate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_cycle_id": self.id},
        }

    def action_view_workshops(self):
        self.ensure_one()
        self._psys_check_action("read", FACILITATOR)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_ateliers.event_event_action_psys_workshop")
        action["domain"] = [("psys_cycle_id", "=", self.id)]
        action["context"] = {"default_psys_cycle_id": self.id}
        return action
