from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date
from odoo.tools.sql import create_index

from ..tools.groups import CLINICAL
from ..tools.policy import Policy

CLINICAL_GROUPS = "psys_base.group_psys_therapist,psys_base.group_psys_coordinator"
CLINICAL_NOTES = "psys_base.group_psys_clinical"
# A free contribution is a few euros: above this, it is a typing error.
MAX_CONTRIBUTION = 1000


class PsysEncounter(models.Model):
    _name = "psys.encounter"
    _description = "Encounter"
    _psys_policy = Policy()
    _inherit = ["psys.secured", "psys.referral.source.mixin", "mail.thread"]
    _order = "date_start desc, id desc"
    # The person, the session, the workshop: of the encounter's association
    # (Odoo's company check on every ``check_company`` field, on create and write).
    _check_company_auto = True

    beneficiary_id = fields.Many2one(
        "psys.beneficiary",
        check_company=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="Empty for a fully anonymous encounter, counted without a person.",
    )
    date_start = fields.Datetime(string="Date", required=True, default=fields.Datetime.now, index=True)
    duration = fields.Float(string="Duration (hours)", default=1.0)
    date_end = fields.Datetime(compute="_compute_date_end", store=True)
    location_id = fields.Many2one("psys.location", string="Place", index=True)
    kind = fields.Selection(
        [
            ("individual", "Individual interview"),
            ("phone", "Phone call"),
            ("outdoor", "Outdoor talk"),
            ("group", "Group session"),
            ("home", "Home visit"),
            ("other", "Other"),
        ],
        required=True,
        default="individual",
        index=True,
    )
    practitioner_ids = fields.Many2many(
        "res.users",
        string="Practitioners",
        default=lambda self: self.env.user,
    )
    theme_ids = fields.Many2many("psys.theme", string="Themes", groups=CLINICAL_GROUPS)
    orientation_ids = fields.One2many("psys.orientation", "encounter_id", string="Orientations", groups=CLINICAL_GROUPS)
    visit_type = fields.Selection(
        [("first", "First visit"), ("repeat", "Repeat visit"), ("unknown", "Anonymous")],
        compute="_compute_visit_type",
        store=True,
        index=True,
    )
    participant_count = fields.Integer(
        string="Participants",
        compute="_compute_participant_count",
        store=True,
        readonly=False,
        help="One for an individual encounter; for a group, the sum of the audiences when they are counted.",
    )
    audience_ids = fields.One2many("psys.encounter.audience", "encounter_id", string="Participants per audience")
    territory_id = fields.Many2one(
        "psys.territory",
        compute="_compute_territory_id",
        store=True,
        readonly=False,
        help="Where the person lives: the beneficiary's territory by default.",
    )
    contribution_amount = fields.Monetary(string="Free contribution", currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    def init(self):
        result = super().init()
        # An association's period (a bilan, a pivot's year): with the index
        # on date_start alone, every association's encounters of the period
        # are read and filtered (issue 24).
        create_index(self.env.cr, "psys_encounter_company_date_index", self._table, ["company_id", "date_start"])
        return result

    @api.depends("date_start", "duration")
    def _compute_date_end(self):
        for encounter in self:
            encounter.date_end = encounter.date_start and encounter.date_start + timedelta(hours=encounter.duration)

    @api.depends("beneficiary_id", "date_start", "beneficiary_id.encounter_ids.date_start")
    def _compute_visit_type(self):
        first_by_beneficiary = {
            beneficiary: min(beneficiary.encounter_ids, key=lambda enc: (enc.date_start, enc.id or 0))
            for beneficiary in self.beneficiary_id
        }
        for encounter in self:
            if not encounter.beneficiary_id:
                encounter.visit_type = "unknown"
            elif first_by_beneficiary[encounter.beneficiary_id] == encounter:
                encounter.visit_type = "first"
            else:
                encounter.visit_type = "repeat"

    @api.depends("audience_ids.count")
    def _compute_participant_count(self):
        for encounter in self:
            if encounter.audience_ids:
                encounter.participant_count = sum(encounter.audience_ids.mapped("count"))
            elif not encounter.participant_count:
                encounter.participant_count = 1

    @api.depends("beneficiary_id")
    def _compute_territory_id(self):
        for encounter in self:
            if encounter.beneficiary_id.territory_id:
                encounter.territory_id = encounter.beneficiary_id.territory_id

    @api.depends("beneficiary_id", "kind", "date_start")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for encounter in self:
            who = encounter.beneficiary_id.code or _("Anonymous")
            # The day in the reader's time zone and language, not the UTC date.
            when = (
                format_date(self.env, fields.Datetime.context_timestamp(encounter, encounter.date_start).date())
                if encounter.date_start
                else ""
            )
            encounter.display_name = f"{who} · {kinds.get(encounter.kind, '')} · {when}"

    @api.constrains("duration", "participant_count", "contribution_amount", "date_start")
    def _check_values(self):
        latest = fields.Datetime.now() + timedelta(days=1)
        for encounter in self:
            if not 0 < encounter.duration <= 24:
                raise ValidationError(_("An encounter lasts more than 0 and at most 24 hours."))
            if encounter.participant_count < 1:
                raise ValidationError(_("An encounter has at least one participant."))
            if encounter.contribution_amount < 0:
                raise ValidationError(_("A free contribution cannot be negative."))
            if not encounter.contribution_amount <= MAX_CONTRIBUTION:  # NaN too
                raise ValidationError(
                    _(
                        "A free contribution of %(amount)s is not plausible: at most %(max)s can be recorded.",
                        amount=encounter.contribution_amount,
                        max=MAX_CONTRIBUTION,
                    )
                )
            if encounter.date_start > latest:
                raise ValidationError(_("An encounter records what happened: it cannot be dated in the future."))

    @api.constrains("kind", "audience_ids")
    def _check_group_audiences(self):
        for encounter in self:
            if encounter.audience_ids and encounter.kind != "group":
                raise ValidationError(_("Participants per audience are counted for group sessions only."))

    # The encounter as the therapist's workspace: the person's history and
    # the confidential notes, on the encounter itself.
    #
    # Every field here is clinical: ``groups=`` keeps it out of reception's
    # views and reads (AccessError), the computes run as the caller (record
    # rules apply) and the notes shown are read through ``psys.note.read``,
    # so each display is logged in the notes' access log.

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
