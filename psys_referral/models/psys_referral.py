from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.tools.groups import PRACTITIONERS, RECEPTION
from odoo.addons.psys_base.tools.policy import Policy

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
    _psys_policy = Policy(workflow=("state", "stale_notified_date"))
    _inherit = ["psys.secured", "mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

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
            # Named as the worker who made the request thinks of it.
            ("received", "Request received"),
            ("accepted", "Request accepted"),
            ("refused", "Request not taken on"),
            ("in_progress", "Follow-up in progress"),
            ("completed", "Follow-up ended"),
            ("handed_over", "Relayed to a partner"),
            ("closed", "Closed, appointment cancelled"),
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
    # When the practitioner and the worker were told that the request never
    # turned into an appointment (once per request).
    stale_notified_date = fields.Datetime(string="No appointment reported on", readonly=True, copy=False)

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
        return self._psys_transition(allowed_from, target, RECEPTION)

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

    def action_reopen(self):
        """A request closed when its appointment was cancelled comes back."""
        self._psys_move_to(("closed",), "received")

    # Closing the loop (issue 13) ----------------------------------------------

    def _psys_after_booking_cancelled(self, cancelled):
        """Called (in any environment) once ``cancelled`` bookings were
        cancelled. A request whose only appointment was cancelled, before
        any session:

        - cancelled by the structure: the worker decided, the request is
          closed (the worker books again to open a new one, the service may
          reopen it);
        - cancelled by the service: the person still waits for an
          appointment, the practitioner gets an activity to propose another.
        """
        # sudo: only the requests of these bookings, after their cancellation
        # was checked by the action that cancelled them.
        referrals = self.sudo().filtered(lambda referral: referral.state in ("received", "accepted"))
        if not referrals:
            return
        active = (
            self.env["psys.booking"]
            .sudo()
            ._read_group([("referral_id", "in", referrals.ids), ("state", "in", ("booked", "seen"))], ["referral_id"])
        )
        referrals -= self.env["psys.referral"].sudo().union(*(referral for (referral,) in active))
        for referral in referrals:
            booking = cancelled.filtered(lambda b, r=referral: b.referral_id == r)[:1].sudo()
            if booking.cancelled_by == "structure":
                # The status tracking says it in the chatter: « Closed, appointment cancelled ».
                referral.write({"state": "closed"})
            else:
                referral._psys_schedule_practitioner_activity(
                    _("Propose another appointment to %(code)s", code=referral.beneficiary_code)
                )

    def _psys_schedule_practitioner_activity(self, summary):
        self.ensure_one()
        practitioner = self.partnership_id.practitioner_id
        if not practitioner:
            return
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            user_id=practitioner.id,
            date_deadline=fields.Date.context_today(self),
        )

    @api.model
    def _cron_notify_stale(self):
        """Requests still without any appointment after the company's delay:
        an activity for the practitioner, a message to the worker who made
        them. Once per request (``stale_notified_date``); people on the
        waiting list are left out, they wait for a freed slot."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([("psys_referral_stale_days", ">", 0)]):
            referrals = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("received", "accepted")),
                    ("stale_notified_date", "=", False),
                    ("create_date", "<=", now - timedelta(days=company.psys_referral_stale_days)),
                    ("booking_ids", "=", False),
                ]
            )
            waiting = self.env["psys.waiting.entry"].search(
                [("referral_id", "in", referrals.ids), ("state", "in", ("waiting", "offered"))]
            )
            referrals -= waiting.referral_id
            for referral in referrals:
                referral._psys_notify_stale(company.psys_referral_stale_days)
            referrals.write({"stale_notified_date": now})

    def _psys_notify_stale(self, days):
        self.ensure_one()
        self._psys_schedule_practitioner_activity(
            _("No appointment yet for %(code)s (request %(name)s)", code=self.beneficiary_code, name=self.name)
        )
        worker = self.referred_by_id
        body = self.with_context(lang=worker.lang or self.env.lang)._psys_stale_message(days)
        self.message_post(
            body=body,
            partner_ids=worker.partner_id.ids if worker else [],
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    def _psys_stale_message(self, days):
        self.ensure_one()
        return _(
            "The request %(name)s for %(code)s has had no appointment for %(days)s days. "
            "The practitioner was asked to get in touch; you can also book a slot or put the person "
            "on the waiting list.",
            name=self.name,
            code=self.beneficiary_code,
            days=days,
        )

    # Invitation to self-book (issue 13) -------------------------------------

    def action_psys_invite(self):
        """Send the person a link to choose their own slot in this request's
        partnership (by e-mail or SMS where a contact was consented), and
        show the link to hand over otherwise."""
        self.ensure_one()
        self._psys_check_action("write", PRACTITIONERS)
        if self.state not in ("received", "accepted", "in_progress"):
            raise UserError(_("Only an open request can get a booking invitation."))
        return self.env["psys.invitation"]._psys_invite(self.partnership_id, self.beneficiary_id, referral=self)
