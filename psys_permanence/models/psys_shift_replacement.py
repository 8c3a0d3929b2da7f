from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .psys_shift import COORDINATOR, ROLE_GROUPS

# How far ahead "Shifts I can take" looks (six months).
TAKEABLE_DAYS = 183


class PsysShift(models.Model):
    """Replacements: asked with a reason, offered to the volunteers who can
    take the shift, and the shifts a volunteer can take."""

    _name = "psys.shift"
    _inherit = ["psys.shift", "mail.activity.mixin"]

    is_takeable = fields.Boolean(
        string="I can take it",
        compute="_compute_is_takeable",
        search="_search_is_takeable",
        help="Open or offered, for a role I hold, at an antenna and on a day I declared available.",
    )

    colleague_ids = fields.Many2many(
        "res.users", string="Colleagues", compute="_compute_colleague_ids", help="The other volunteers of the session."
    )

    @api.depends("session_id.shift_ids.user_id", "user_id")
    def _compute_colleague_ids(self):
        for shift in self:
            shift.colleague_ids = shift.session_id.shift_ids.user_id - shift.user_id

    @api.depends_context("uid")
    def _compute_is_takeable(self):
        takeable = set(self._get_takeable_ids(self.ids))
        for shift in self:
            shift.is_takeable = shift.id in takeable

    def _search_is_takeable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on the shifts one can take."))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", self._get_takeable_ids())]

    @api.model
    def _get_takeable_ids(self, ids=None):
        user = self.env.user
        roles = [role for role, group in ROLE_GROUPS.items() if user.has_group(group)]
        if not roles:
            return []
        today = fields.Date.context_today(self)
        domain = [
            ("state", "in", ("open", "replacement")),
            ("session_state", "=", "planned"),
            ("user_id", "!=", user.id),
            ("role", "in", roles),
            ("date", ">=", today),
            ("date", "<=", today + timedelta(days=TAKEABLE_DAYS)),
        ]
        if ids is not None:
            domain.append(("id", "in", ids))
        shifts = self.search(domain)
        # Never a shift at the time of one I already hold (the other role of
        # my own session included): taking it would fail on saving.
        held = shifts and self.search(
            [
                ("user_id", "=", user.id),
                ("session_state", "=", "planned"),
                ("start", "<", max(shifts.mapped("stop"))),
                ("stop", ">", min(shifts.mapped("start"))),
            ]
        )
        if held:
            shifts = shifts.filtered(lambda shift: not shift._overlaps_any(held))
        availabilities = {
            availability.company_id: availability
            for availability in self.env["psys.volunteer.availability"].search([("user_id", "=", user.id)])
        }
        return [
            shift.id
            for shift in shifts
            if (availability := availabilities.get(shift.company_id))
            and availability._accepts(shift.session_id, shift.role)
        ]

    def _overlaps_any(self, shifts):
        """Whether this shift's time meets one of ``shifts`` (its session's
        other roles included)."""
        self.ensure_one()
        return any(other.start < self.stop and self.start < other.stop for other in shifts if other != self)

    def _get_replacement_candidates(self):
        """The volunteers who could take the shift: qualified for its role,
        in its association, declared available for it, other than its holder."""
        self.ensure_one()
        group = self.env.ref(ROLE_GROUPS[self.role])
        # sudo: the availabilities of the association's volunteers are read to
        # choose whom to tell; nothing of them is returned to the caller.
        availabilities = (
            self.env["psys.volunteer.availability"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("user_id.groups_id", "in", group.ids)])
        )
        # Not whoever already holds a shift at that time (this session's other
        # role included): the caller reads the rota like every volunteer.
        busy = self.search(
            [
                ("user_id", "in", availabilities.user_id.ids),
                ("session_state", "=", "planned"),
                ("start", "<", self.stop),
                ("stop", ">", self.start),
                ("id", "!=", self.id),
            ]
        ).user_id
        availabilities = availabilities.filtered(
            lambda availability: availability.user_id != self.user_id and availability.user_id not in busy
        )
        return availabilities.filtered(lambda availability: availability._accepts(self.session_id, self.role)).user_id

    def _psys_notify(self, users, body):
        """Tell ``users`` in the shift's chatter: by e-mail or inbox when they
        can receive it, by an activity (no e-mail) otherwise — never a failed
        e-mail ("Impossible d'envoyer le message")."""
        self.ensure_one()
        reachable = users.filtered(lambda user: user.notification_type == "inbox" or user.partner_id.email)
        author = self.env.user.partner_id
        # A volunteer without an e-mail address still writes in the chatter:
        # the association's address is the sender of the e-mails.
        email_from = author.email_formatted or self.company_id.partner_id.email_formatted
        # sudo: only when neither has an address (mail refuses a message without
        # sender); the message is the caller's own, on a shift they may read.
        thread = self if email_from else self.sudo()
        thread.message_post(
            body=body,
            author_id=author.id,
            email_from=email_from or False,
            partner_ids=reachable.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        for user in users - reachable:
            # sudo: the activity is addressed to a volunteer of the shift's
            # association, about this shift only, by a caller allowed to post on it.
            self.sudo().with_context(mail_activity_quick_update=True).activity_schedule(
                activity_type_id=todo.id,
                user_id=user.id,
                date_deadline=self.date,
                summary=body,
            )

    def _request_replacement(self, reason):
        """Ask for a replacement with a reason and tell the volunteers who could take it."""
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the replacement: the volunteers receive it."))
        for shift in self:
            if shift.user_id != self.env.user and not self.env.user.has_group(COORDINATOR):
                raise UserError(_("You can ask for a replacement on your own shifts only."))
            if not shift.user_id:
                raise UserError(_("Nobody holds this shift yet: it is already open."))
        self.write({"replacement_requested": True, "replacement_reason": reason})
        roles = dict(self._fields["role"]._description_selection(self.env))
        for shift in self:
            shift._psys_notify(
                shift._get_replacement_candidates(),
                _(
                    "%(volunteer)s is looking for a replacement (%(role)s, %(session)s): %(reason)s. "
                    "Open the shift to take it.",
                    volunteer=shift.user_id.name,
                    role=roles[shift.role],
                    session=shift.session_id.display_name,
                    reason=reason,
                ),
            )
        return True

    def action_ask_volunteers(self):
        """Coordinator: offer open shifts to the volunteers who could take them."""
        self._psys_check_action("write", COORDINATOR)
        roles = dict(self._fields["role"]._description_selection(self.env))
        asked = self.filtered(lambda shift: shift.state != "filled" and shift.session_state == "planned")
        for shift in asked:
            shift._psys_notify(
                shift._get_replacement_candidates(),
                _(
                    "A volunteer is wanted (%(role)s, %(session)s): open the shift to take it.",
                    role=roles[shift.role],
                    session=shift.session_id.display_name,
                ),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s shift(s) offered to the volunteers available.", count=len(asked)),
            },
        }

    def _action_replacement_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Ask for a replacement"),
            "res_model": "psys.shift.replacement",
            "view_mode": "form",
            "target": "new",
            "context": {"default_shift_ids": self.ids},
        }
