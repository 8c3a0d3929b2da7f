from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.models.base import RECEPTION

REASON_CATEGORIES = [
    ("stress", "Stress, mental overload"),
    ("exhaustion", "Exhaustion, burn-out"),
    ("parenting", "Parenthood, family difficulties"),
    ("school", "School stress, harassment"),
    ("illness", "Living with an illness or heavy treatment"),
    ("isolation", "Isolation, loneliness"),
    ("bereavement", "Bereavement, separation"),
    ("precarity", "Precarity, life difficulties"),
    ("other", "Other"),
]
URGENCIES = [
    ("normal", "Normal"),
    ("soon", "Within the week"),
    ("urgent", "Urgent"),
]
REASON_MAX_LENGTH = 500


class PsysReferral(models.Model):
    _name = "psys.referral"
    _description = "Inbound referral"
    _inherit = ["psys.field.guard", "psys.workflow.guard", "mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _psys_workflow_fields = ("state",)

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    beneficiary_id = fields.Many2one("psys.beneficiary", required=True, index=True, ondelete="restrict", tracking=True)
    beneficiary_code = fields.Char(related="beneficiary_id.code", store=True, string="Person")
    partnership_id = fields.Many2one("psys.partnership", index=True, tracking=True)
    structure_id = fields.Many2one(
        "res.partner",
        string="Referring structure",
        index=True,
        tracking=True,
        domain=[("psys_structure_type", "!=", False)],
        help="Empty for a self-referral.",
    )
    referred_by_id = fields.Many2one("res.users", string="Referred by", tracking=True)
    reason_category = fields.Selection(REASON_CATEGORIES, string="Reason", required=True, default="other")
    reason = fields.Char(string="Reason in a few words")
    urgency = fields.Selection(URGENCIES, required=True, default="normal", tracking=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("accepted", "Accepted"),
            ("refused", "Refused"),
            ("in_progress", "In progress"),
            ("completed", "Completed"),
            ("handed_over", "Handed over"),
        ],
        required=True,
        default="received",
        tracking=True,
        index=True,
    )
    refusal_reason = fields.Char(tracking=True)
    follow_up_date = fields.Date(string="Follow-up date", tracking=True)
    booking_ids = fields.One2many("psys.booking", "referral_id", string="Appointments")
    orientation_ids = fields.One2many(
        "psys.orientation",
        "referral_id",
        string="Relays",
        groups="psys_base.group_psys_therapist,psys_base.group_psys_coordinator",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.constrains("reason")
    def _check_reason(self):
        for referral in self:
            if referral.reason and len(referral.reason) > REASON_MAX_LENGTH:
                raise ValidationError(_("The reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))

    @api.constrains("state", "refusal_reason")
    def _check_refusal_reason(self):
        for referral in self:
            if referral.state == "refused" and not (referral.refusal_reason or "").strip():
                raise ValidationError(_("Say why the referral is refused."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("psys.referral") or "/"
        return super().create(vals_list)

    def _psys_move_to(self, allowed_from, target):
        """Check the caller and the transition, then change the status."""
        self._psys_check_action("write", RECEPTION)
        labels = dict(self._fields["state"]._description_selection(self.env))
        for referral in self:
            if referral.state not in allowed_from:
                raise UserError(
                    _(
                        "The referral %(name)s is %(state)s: it cannot become %(target)s from there.",
                        name=referral.name,
                        state=labels[referral.state],
                        target=labels[target],
                    )
                )
        # sudo: the status is a workflow field; the caller was checked above.
        self.sudo().write({"state": target})

    def action_accept(self):
        self._psys_move_to(("received",), "accepted")

    def action_refuse(self):
        self._psys_check_action("write", RECEPTION)
        for referral in self:
            if not referral.refusal_reason:
                raise ValidationError(_("Say why the referral is refused."))
        self._psys_move_to(("received", "accepted"), "refused")

    def action_start(self):
        self._psys_move_to(("received", "accepted"), "in_progress")

    def action_complete(self):
        self._psys_move_to(("in_progress",), "completed")

    def action_hand_over(self):
        self._psys_move_to(("received", "accepted", "in_progress"), "handed_over")
