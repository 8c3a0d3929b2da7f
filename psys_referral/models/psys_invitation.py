"""Invitation to self-book (issue 13, the seed's « démarche volontaire de
l'usager»).

The practitioner or the referring worker sends the person a link; the person
opens it without an account and picks a free slot of one partnership. The
link carries a long random token of which only a hash is stored: whoever
reads the database cannot rebuild a link. A token expires, is usable once
and books only in its partnership, for the person it names. Every view,
attempt and booking is logged (``psys.invitation.log``) with its time, its
outcome and the caller's address, and deleted after the company's retention
(``_cron_purge_expired``). A refused request (unknown, expired or used link,
too many attempts) writes no row: the rate limits count in psys_base's
atomic counters, per address and link.

A person holds at most one open link per partnership: a new invitation
withdraws the previous one (logged), and a partial unique index keeps it so
when two are sent at once."""

import hashlib
import logging
import re
import secrets
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import mute_logger

from odoo.addons.psys_base.tools.groups import COORDINATOR
from odoo.addons.psys_base.tools.policy import Policy

from ..tools.booking import parse_id
from .res_company import LOG_RETENTION_DAYS

_logger = logging.getLogger(__name__)

# Rows deleted per transaction by the log purge.
LOG_PURGE_BATCH = 5000

# A token: 32 random bytes, URL-safe base64 (43 characters).
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# A clear link in a text: what no stored message keeps (redact_links).
LINK_PATTERN = re.compile(r"(/rdv/)[A-Za-z0-9_-]{43}")
REDACTED = "…"
# Rate limits of the public page (psys_base's atomic counters), per window
# of RATE_WINDOW minutes: requests on one link from one address, on one link
# from every address, and of unknown links from one address (which lock out
# no real link: behind a proxy, every person may share one address).
RATE_WINDOW = 15
MAX_PER_ADDRESS_TOKEN = 10
MAX_PER_TOKEN = 30
MAX_UNKNOWN_PER_ADDRESS = 40
INVITATION_STATES = [
    ("pending", "Sent"),
    ("used", "Used"),
    ("cancelled", "Withdrawn"),
]
LOG_EVENTS = [
    ("view", "Page viewed"),
    ("booked", "Appointment booked"),
    ("taken", "Slot taken meanwhile"),
    ("invalid", "Refused choice"),
    ("expired", "Expired link"),
    ("reused", "Link already used"),
    ("unknown", "Unknown link"),
    ("limited", "Too many attempts"),
    ("replaced", "Replaced by a new link"),
]


def hash_token(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def redact_links(text):
    """``text`` without the tokens of the invitation links it holds (a
    ``Markup`` stays one): the link is in the outgoing e-mail or SMS only,
    never in what is stored of it once sent or failed."""
    if not text or "/rdv/" not in text:
        return text
    return type(text)(LINK_PATTERN.sub(lambda match: match.group(1) + REDACTED, str(text)))


class PsysInvitation(models.Model):
    _name = "psys.invitation"
    _inherit = ["psys.secured"]
    _description = "Invitation to book a slot"
    _psys_policy = Policy(ownership=("beneficiary_id", "partnership_id"))
    _order = "create_date desc, id desc"
    _rec_name = "beneficiary_code"

    token_hash = fields.Char(required=True, readonly=True, index=True, copy=False, groups="base.group_system")
    partnership_id = fields.Many2one("psys.partnership", required=True, readonly=True, ondelete="cascade")
    beneficiary_id = fields.Many2one("psys.beneficiary", string="Person", required=True, readonly=True, index=True)
    beneficiary_code = fields.Char(related="beneficiary_id.code", string="Person code")
    referral_id = fields.Many2one("psys.referral", string="Request", readonly=True, ondelete="set null")
    invited_by_id = fields.Many2one("res.users", string="Sent by", readonly=True)
    expiry = fields.Datetime(string="Valid until", required=True, readonly=True)
    state = fields.Selection(INVITATION_STATES, required=True, default="pending", readonly=True, index=True)
    booking_id = fields.Many2one("psys.booking", string="Appointment", readonly=True, ondelete="set null")
    used_date = fields.Datetime(string="Used on", readonly=True)
    log_ids = fields.One2many("psys.invitation.log", "invitation_id", string="Audit", readonly=True)
    company_id = fields.Many2one(related="partnership_id.company_id", store=True, index=True)

    _sql_constraints = [("token_hash_uniq", "UNIQUE(token_hash)", "An invitation link is unique.")]

    @api.private
    def init(self):
        # One open link per person and partnership (see _psys_create_invitation).
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS psys_invitation_pending_uniq
                ON psys_invitation (partnership_id, beneficiary_id) WHERE state = 'pending'
            """
        )

    # Creation (called once the caller was checked) ---------------------------

    @api.model
    def _psys_invitable_partnerships(self):
        """The running partnerships the current back-office user may invite a
        person to: all those of their associations for a coordinator, those
        they practise in or that the association holds for a practitioner."""
        user = self.env.user
        domain = [
            ("company_id", "in", self.env.companies.ids),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", fields.Date.context_today(self)),
        ]
        if not user.has_group(COORDINATOR):
            domain.append(("practitioner_id", "in", [user.id, False]))
        return self.env["psys.partnership"].search(domain)

    @api.model
    def _psys_invite(self, partnership, beneficiary, referral=None):
        """Invite ``beneficiary`` to choose a slot of ``partnership`` on
        behalf of the current user, who was checked by the caller (the
        request's action, the invitation assistant): send the link by e-mail
        or SMS where a contact was consented, and show it to hand over
        otherwise. A notification action."""
        # sudo: the invitation model is read by coordinators only; the caller
        # may invite this person to this partnership (checked by the caller),
        # and they are all the invitation holds.
        invitation, url = self.sudo()._psys_create_invitation(
            partnership.sudo(), beneficiary.sudo(), self.env.user, referral=referral and referral.sudo()
        )
        values = {"date": invitation._psys_expiry_label(), "url": url}
        if invitation._psys_send(url):
            message = _("The invitation was sent to the person. The link, valid until %(date)s: %(url)s", **values)
        else:
            message = _("No consented contact: hand this link to the person, valid until %(date)s: %(url)s", **values)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Booking invitation"),
                "message": message,
                "sticky": True,
                "type": "success",
            },
        }

    @api.model
    def _psys_create_invitation(self, partnership, beneficiary, inviter, referral=None):
        """A new invitation and its link: ``(invitation, url)``. The link is
        returned once and never stored. Called in sudo by the back-office
        action and the portal route once they checked their caller."""
        if beneficiary.company_id != partnership.company_id:
            raise UserError(_("The person and the partnership belong to different associations."))
        if beneficiary.state != "active":
            raise UserError(_("An anonymised person cannot be invited."))
        token = secrets.token_urlsafe(TOKEN_BYTES)
        days = partnership.company_id.psys_invitation_days or 7
        try:
            with self.env.cr.savepoint():
                previous = self.search(
                    [
                        ("partnership_id", "=", partnership.id),
                        ("beneficiary_id", "=", beneficiary.id),
                        ("state", "=", "pending"),
                    ]
                )
                previous._psys_replace()
                invitation = self.create(
                    {
                        "token_hash": hash_token(token),
                        "partnership_id": partnership.id,
                        "beneficiary_id": beneficiary.id,
                        "referral_id": referral.id if referral else False,
                        "invited_by_id": inviter.id,
                        "expiry": fields.Datetime.now() + timedelta(days=days),
                    }
                )
                invitation.flush_recordset()
        except (psycopg2.errors.UniqueViolation, psycopg2.errors.LockNotAvailable) as error:
            raise UserError(
                _("This person's invitation is being used or sent right now: try again in a moment.")
            ) from error
        return invitation, f"{invitation.get_base_url()}/rdv/{token}"

    def _psys_replace(self):
        """Withdraw these open links, replaced by a new one: they can no
        longer book (a link being used right now wins)."""
        if not self:
            return
        # A link being used right now is an answer, not a server error: no "bad query" log.
        with mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                "SELECT id FROM psys_invitation WHERE id IN %s FOR NO KEY UPDATE NOWAIT", [tuple(self.ids)]
            )
        self.invalidate_recordset()
        for invitation in self.filtered(lambda invitation: invitation.state == "pending"):
            invitation.write({"state": "cancelled"})
            invitation._psys_log("replaced", "")
        # Written before the new link is inserted (the unique index).
        self.flush_recordset()

    def _psys_send(self, url):
        """Send the link to the person by e-mail and SMS where a contact was
        consented; return the channels used (empty: the link is to hand over).
        The text says who invites and until when, never what for."""
        self.ensure_one()
        channels = []
        # The consent check of the notifications, on a booking not saved.
        probe = self.env["psys.booking"].new({"beneficiary_id": self.beneficiary_id.id})
        if not self.env["psys.booking.notification"]._person_may_be_told(probe):
            return channels
        partner = self.beneficiary_id.partner_id
        lang = partner.lang or self.company_id.partner_id.lang or self.env.lang
        template = self.env.ref("psys_referral.mail_template_invitation", raise_if_not_found=False)
        if template and partner.email:
            mail_id = self.env["psys.booking.notification"]._send(
                template.with_context(psys_invitation_url=url), self, partner, "person"
            )
            # The copy in the invitation's chatter (read by coordinators)
            # never holds the link; the outgoing e-mail holds it until it
            # is sent or fails (mail_mail.py). sudo: the e-mail just written
            # for this invitation, whose body only loses its link.
            message = self.env["mail.mail"].sudo().browse(mail_id).mail_message_id
            message.write({"body": redact_links(message.body)})
            channels.append("email")
        number = partner.phone and self.env["psys.booking"]._psys_sms_number(partner.phone, self.company_id)
        if number:
            body = self.with_context(lang=lang)._psys_sms_text(url)
            self.env["sms.sms"].create({"number": number, "body": body, "partner_id": partner.id})
            channels.append("sms")
        return channels

    def _psys_sms_text(self, url):
        self.ensure_one()
        return _(
            "%(company)s invites you to choose the date of your appointment: %(url)s (valid until %(date)s).",
            company=self.company_id.name,
            url=url,
            date=self._psys_expiry_label(),
        )

    def _psys_expiry_label(self):
        self.ensure_one()
        return fields.Datetime.context_timestamp(
            self.with_context(tz=self.partnership_id._get_tz().zone), self.expiry
        ).strftime("%d/%m/%Y %H:%M")

    # The public page (the controller calls these in sudo, see there) ---------

    @api.model
    def _psys_find(self, token):
        """The invitation of ``token``, or an empty recordset: a token of the
        wrong shape is not even looked up."""
        if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
            return self.browse()
        return self.search([("token_hash", "=", hash_token(token))], limit=1)

    @api.model
    def _psys_rate_limited(self, invitation, address):
        """Count this request of ``address`` on ``invitation`` (or on an
        unknown link) and say whether it is over a limit. Counted atomically
        (``psys.rate.limit``): requests sent at once get at most the limit."""
        Limit = self.env["psys.rate.limit"]
        window = RATE_WINDOW * 60
        if invitation:
            limits = [
                (Limit._psys_key("invitation", address, invitation.id), MAX_PER_ADDRESS_TOKEN, window),
                (Limit._psys_key("invitation", invitation.id), MAX_PER_TOKEN, window),
            ]
        else:
            limits = [(Limit._psys_key("invitation-unknown", address), MAX_UNKNOWN_PER_ADDRESS, window)]
        return not Limit._psys_take(limits)[0]

    def _psys_log(self, event, address, slot=None, note=None):
        self.env["psys.invitation.log"].create(
            {
                "invitation_id": self.id or False,
                "event": event,
                "address": (address or "")[:64],
                "slot_id": slot.id if slot else False,
                "note": (note or "")[:200] or False,
            }
        )

    def _psys_unusable(self):
        """``"expired"`` or ``"reused"`` when the link can no longer book, else ``""``."""
        self.ensure_one()
        if self.state != "pending":
            return "reused"
        if self.expiry <= fields.Datetime.now():
            return "expired"
        return ""

    def _psys_free_slots(self):
        """The free future slots of the invitation's partnership, those kept
        for the waiting list excepted."""
        self.ensure_one()
        kept = self.env["psys.waiting.entry"]._psys_kept_slot_ids()
        return self.env["psys.slot"].search(
            [
                ("partnership_id", "=", self.partnership_id.id),
                ("start", ">", fields.Datetime.now()),
                ("is_booked", "=", False),
            ]
            + ([("id", "not in", kept)] if kept else []),
            limit=300,
        )

    def _psys_lock(self):
        """Take the invitation for this transaction: a second click of the
        same link at the same time finds it taken."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("SELECT id FROM psys_invitation WHERE id = %s FOR NO KEY UPDATE NOWAIT", [self.id])
        except psycopg2.errors.LockNotAvailable as error:
            raise InvitationUsedError(_("This link is being used right now.")) from error
        self.invalidate_recordset()

    def _psys_book(self, slot_id):
        """Book ``slot_id`` for the invitation's person. Everything or nothing:
        raises InvitationUsedError, SlotTakenError or UserError."""
        self.ensure_one()
        self._psys_lock()
        if self._psys_unusable():
            raise InvitationUsedError(_("This link was already used or has expired."))
        partnership = self.partnership_id
        slot = self.env["psys.slot"].browse(parse_id(slot_id)).exists()
        if not slot or slot.partnership_id != partnership or not slot.active:
            raise UserError(_("This time is not offered by this link: choose one of the list."))
        if slot.start <= fields.Datetime.now():
            raise UserError(_("This time is in the past: choose another one."))
        Booking = self.env["psys.booking"]
        with self.env.cr.savepoint():
            Booking._psys_lock_slot(slot)
            self.env["psys.waiting.entry"]._psys_check_slot_offer(slot)
            beneficiary = self.beneficiary_id
            booked = Booking.search_count(
                [
                    ("beneficiary_id", "=", beneficiary.id),
                    ("partnership_id", "=", partnership.id),
                    ("state", "in", ("booked", "seen")),
                ]
            )
            if booked >= partnership.session_quota:
                raise UserError(_("No more appointment can be booked with this link: please call us."))
            inviter = self.invited_by_id
            referral = self.referral_id
            if not referral or referral.state not in ("received", "accepted", "in_progress"):
                referral = self.env["psys.waiting.entry"]._psys_open_referral(
                    partnership, beneficiary, inviter, (referral and referral.reason_category) or "other", "normal"
                )
            structure = referral.structure_id or (inviter.share and inviter.commercial_partner_id)
            booking = Booking._psys_book(
                [
                    {
                        "slot_id": slot.id,
                        "beneficiary_id": beneficiary.id,
                        "structure_id": structure.id if structure else False,
                        "booked_by_id": inviter.id,
                        "referral_id": referral.id,
                        "reason_category": referral.reason_category,
                        "urgency": referral.urgency or "normal",
                    }
                ],
                notices="now",
            )
            self.write({"state": "used", "booking_id": booking.id, "used_date": fields.Datetime.now()})
        return booking


class InvitationUsedError(UserError):
    """The invitation cannot book any more (used, expired, in use)."""


class PsysInvitationLog(models.Model):
    _name = "psys.invitation.log"
    _inherit = ["psys.secured"]
    _description = "Invitation audit"
    _psys_policy = Policy(company_optional=True)
    _order = "date desc, id desc"
    _log_access = False

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    invitation_id = fields.Many2one("psys.invitation", readonly=True, index=True, ondelete="cascade")
    event = fields.Selection(LOG_EVENTS, string="Outcome", required=True, readonly=True)
    address = fields.Char(string="IP address", readonly=True, index=True)
    slot_id = fields.Many2one("psys.slot", readonly=True, ondelete="set null")
    note = fields.Char(readonly=True)
    company_id = fields.Many2one(related="invitation_id.company_id", store=True, index=True)

    @api.model
    def _cron_purge_expired(self, partnerships=None):
        """Delete the audit rows (they hold IP addresses) older than each
        association's retention, of every partnership or only of
        ``partnerships``. The rows of unknown links belong to no association:
        they go after ``LOG_RETENTION_DAYS``, in a run over everything."""
        now = fields.Datetime.now()
        # sudo: the retention policy runs for the associations, not for a user.
        logs = self.sudo()
        scope = [("invitation_id.partnership_id", "in", partnerships.ids)] if partnerships is not None else []
        expired = [
            [
                ("company_id", "=", company.id),
                ("date", "<", now - timedelta(days=company.psys_invitation_log_days or LOG_RETENTION_DAYS)),
                *scope,
            ]
            for company in self.env["res.company"].sudo().search([])
        ]
        if partnerships is None:
            expired.append([("company_id", "=", False), ("date", "<", now - timedelta(days=LOG_RETENTION_DAYS))])
        domain = expression.OR(expired)
        # In batches: the cron runner commits each and calls again while some remain.
        batch = logs.search(domain, limit=LOG_PURGE_BATCH, order="id")
        batch.unlink()
        remaining = logs.search_count(domain) if len(batch) == LOG_PURGE_BATCH else 0
        _logger.info("Invitation log purge: %s rows deleted, %s remaining", len(batch), remaining)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
