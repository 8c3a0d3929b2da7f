from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.tools.policy import Policy

from .psys_workshop_cycle import FACILITATOR

SENTINEL_STATES = [
    ("identified", "Identified"),
    ("training", "In training"),
    ("active", "Active"),
    ("inactive", "Inactive"),
]


class PsysSentinel(models.Model):
    """A resident who keeps watch and relays in their neighbourhood.

    The whole register is restricted to facilitators and coordinators (access
    rights): whoever else reads it gets an AccessError, and the reports only
    count its entries."""

    _name = "psys.sentinel"
    _inherit = ["psys.secured"]
    _description = "Sentinel"
    _psys_policy = Policy(ownership=("beneficiary_id",), workflow=("state",))
    _order = "date_identified desc, id desc"
    # The person: of the sentinel's association (Odoo's company check, on create and write).
    _check_company_auto = True

    beneficiary_id = fields.Many2one(
        "psys.beneficiary",
        check_company=True,
        string="Person (code)",
        required=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Named contact",
        copy=False,
        help="Only with the person's consent to the sentinel register.",
    )
    territory_id = fields.Many2one(
        "psys.territory",
        string="Neighbourhood",
        compute="_compute_territory_id",
        store=True,
        readonly=False,
        index=True,
    )
    cycle_id = fields.Many2one("psys.workshop.cycle", string="Identified during the cycle", index=True)
    event_id = fields.Many2one("event.event", string="Identified at the workshop")
    date_identified = fields.Date(string="Identified on", required=True, default=fields.Date.context_today)
    state = fields.Selection(SENTINEL_STATES, required=True, default="identified", readonly=True, index=True)
    training_event_ids = fields.Many2many(
        "event.event",
        "psys_sentinel_training_rel",
        "sentinel_id",
        "event_id",
        string="Trainings and refreshers attended",
    )
    training_count = fields.Integer(compute="_compute_counts")
    supervision_ids = fields.Many2many(
        "psys.sentinel.supervision",
        "psys_sentinel_supervision_rel",
        "sentinel_id",
        "supervision_id",
        string="Supervision meetings",
    )
    relay_ids = fields.One2many("psys.sentinel.relay", "sentinel_id", string="Relays")
    relay_count = fields.Integer(compute="_compute_counts")
    note = fields.Text(string="Notes")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("beneficiary_uniq", "unique(beneficiary_id)", "This person is already in the sentinel register."),
    ]

    @api.depends("beneficiary_id")
    def _compute_territory_id(self):
        for sentinel in self:
            if not sentinel.territory_id:
                sentinel.territory_id = sentinel.beneficiary_id.territory_id or sentinel.cycle_id.territory_id

    @api.depends("training_event_ids", "relay_ids")
    def _compute_counts(self):
        for sentinel in self:
            sentinel.training_count = len(sentinel.training_event_ids)
            sentinel.relay_count = len(sentinel.relay_ids)

    @api.depends("beneficiary_id", "partner_id")
    def _compute_display_name(self):
        for sentinel in self:
            sentinel.display_name = sentinel.partner_id.name or sentinel.beneficiary_id.code or ""

    @api.constrains("partner_id", "beneficiary_id")
    def _check_partner_consent(self):
        for sentinel in self:
            if sentinel.partner_id and not sentinel._get_sentinel_consents():
                raise ValidationError(
                    _(
                        "%(code)s has no current consent to the sentinel register: "
                        "record it before naming the sentinel.",
                        code=sentinel.beneficiary_id.code,
                    )
                )

    @api.constrains("territory_id")
    def _check_territory_id(self):
        if self.filtered(lambda sentinel: not sentinel.territory_id):
            raise ValidationError(_("A sentinel keeps watch in a neighbourhood: choose it."))

    @api.constrains("date_identified")
    def _check_date_identified(self):
        today = fields.Date.context_today(self)
        if any(sentinel.date_identified > today for sentinel in self):
            raise ValidationError(_("A sentinel cannot be identified in the future."))

    def _get_sentinel_consents(self):
        self.ensure_one()
        return self.beneficiary_id.consent_ids.filtered(
            lambda consent: consent.scope == "sentinel" and consent.state == "given"
        )

    def _check_transition(self, allowed_from, target):
        self._psys_check_action("write", FACILITATOR)
        labels = dict(self._fields["state"]._description_selection(self.env))
        for sentinel in self:
            if sentinel.state not in allowed_from:
                raise UserError(
                    _(
                        "%(sentinel)s is %(state)s: they cannot become %(target)s from there.",
                        sentinel=sentinel.display_name,
                        state=labels[sentinel.state],
                        target=labels[target],
                    )
                )

    def action_start_training(self):
        self._check_transition(("identified",), "training")
        self.sudo().state = "training"  # sudo: workflow field, the caller was checked above

    def action_activate(self):
        self._check_transition(("training", "inactive"), "active")
        for sentinel in self:
            if not sentinel.training_event_ids:
                raise UserError(
                    _(
                        "%(sentinel)s has attended no training yet: record a training before activating them.",
                        sentinel=sentinel.display_name,
                    )
                )
        self.sudo().state = "active"  # sudo: workflow field, the caller was checked above

    def action_deactivate(self):
        self._check_transition(("identified", "training", "active"), "inactive")
        self.sudo().state = "inactive"  # sudo: workflow field, the caller was checked above
