import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime
from odoo.tools.sql import create_index

from odoo.addons.psys_base.models.base import PRACTITIONERS, RECEPTION
from odoo.addons.psys_base.tools.policy import Policy

from .psys_booking_portal import SlotTakenError
from .psys_partnership import MAX_SESSION_PRICE
from .psys_referral import REASON_CATEGORIES, REASON_MAX_LENGTH, URGENCIES

_logger = logging.getLogger(__name__)

# The practitioner is in one place at a time (see ``init``).
OVERLAP_CONSTRAINT = "psys_booking_practitioner_no_overlap"
BOOKING_STATES = [
    ("booked", "Booked"),
    ("seen", "Seen"),
    ("excused", "Excused absence"),
    ("no_show", "No-show"),
    ("cancelled", "Cancelled"),
]


class PsysBooking(models.Model):
    _name = "psys.booking"
    _inherit = [
        "psys.secured",
        "psys.encounter.mirror",
        "psys.calendar.mirror",
        "psys.booking.portal",
        "psys.booking.notice",
    ]
    _description = "Appointment booked on a slot"
    _psys_policy = Policy(
        ownership=("beneficiary_id",),
        workflow=(
            "state",
            "cancelled_by",
            "encounter_id",
            "price",
            "tariff",
            "invoice_line_id",
            "statement_id",
            "cancel_reason",
        ),
    )
    # No chatter on purpose: partner staff read their bookings through the
    # portal record rules, and a chatter would be a side channel to them.
    # The history of a person's path is tracked on the inbound referral.
    _order = "start desc, id desc"
    _rec_name = "beneficiary_code"

    slot_id = fields.Many2one("psys.slot", required=True, index=True, ondelete="restrict")
    partnership_id = fields.Many2one(related="slot_id.partnership_id", store=True, index=True)
    start = fields.Datetime(related="slot_id.start", store=True)
    stop = fields.Datetime(related="slot_id.stop", store=True)
    practitioner_id = fields.Many2one(related="slot_id.practitioner_id", store=True, index=True)
    location_id = fields.Many2one(related="slot_id.location_id", store=True)
    location_name = fields.Char(related="slot_id.location_id.name", string="Place name")
    beneficiary_id = fields.Many2one("psys.beneficiary", required=True, index=True, ondelete="restrict")
    beneficiary_code = fields.Char(related="beneficiary_id.code", store=True, string="Person")
    structure_id = fields.Many2one(
        "res.partner",
        string="Referring structure",
        index=True,
        help="The structure that referred the person; empty for a self-referral.",
    )
    booked_by_id = fields.Many2one("res.users", string="Booked by", default=lambda self: self.env.user)
    referral_id = fields.Many2one("psys.referral", index=True, ondelete="set null")
    referral_state = fields.Selection(related="referral_id.state", string="Request status")
    reason_category = fields.Selection(REASON_CATEGORIES, string="Reason")
    reason = fields.Char(string="Reason in a few words")
    urgency = fields.Selection(URGENCIES, default="normal")
    state = fields.Selection(BOOKING_STATES, required=True, default="booked", index=True)
    cancelled_by = fields.Selection([("structure", "The structure"), ("service", "The service")])
    # The team's fields: the structure's staff read, search and group their
    # bookings through the portal rule, and see over RPC no more than the
    # portal pages show them (groups= here, held for search, group-by and
    # order by the kernel's field guard).
    session_number = fields.Integer(
        compute="_compute_session_number",
        groups="base.group_user",
        help="How many sessions the person has had in this partnership, this one included.",
    )
    session_quota = fields.Integer(related="partnership_id.session_quota")
    quota_reached = fields.Boolean(compute="_compute_session_number", groups="base.group_user")
    price = fields.Monetary(readonly=True, copy=False, groups="base.group_user", help="Price charged for the session.")
    tariff = fields.Selection(
        [("standard", "Standard"), ("preferential", "Preferential"), ("funded", "Funded")],
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    invoice_line_id = fields.Many2one("account.move.line", readonly=True, copy=False, groups="base.group_user")
    # The monthly statement a structure-paid or funded session went on.
    statement_id = fields.Many2one(
        "psys.statement", readonly=True, copy=False, index="btree_not_null", groups="base.group_user"
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice", groups="base.group_user")
    encounter_id = fields.Many2one(groups="base.group_user")
    reminder_sent = fields.Boolean(copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    company_id = fields.Many2one(related="slot_id.company_id", store=True, index=True)

    @api.private
    def init(self):
        # One person per slot, guaranteed by the database itself: a partial
        # unique index, so a cancelled booking frees the slot.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS psys_booking_slot_active_uniq
                ON psys_booking (slot_id) WHERE state != 'cancelled'
            """
        )
        self._psys_create_overlap_constraint()
        # An association's appointments of a period (the bilan's indicators,
        # the reminders): with the company's index alone, its whole history
        # is read (issue 24: 105 000 rows for a year's 10 000).
        create_index(self.env.cr, "psys_booking_company_start_index", self._table, ["company_id", "start"])

    @api.model
    def _psys_create_overlap_constraint(self):
        """No two active appointments of one practitioner overlap in time,
        whichever partnerships they belong to: an exclusion constraint on
        (practitioner, time range), so the database refuses the second one
        even when two connections book at the same instant."""
        cr = self.env.cr
        cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [OVERLAP_CONSTRAINT])
        if cr.fetchone():
            return
        cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        try:
            with cr.savepoint():
                cr.execute(
                    """
                    ALTER TABLE psys_booking ADD CONSTRAINT psys_booking_practitioner_no_overlap
                        EXCLUDE USING gist (practitioner_id WITH =, tsrange(start, stop) WITH &&)
                        WHERE (state != 'cancelled' AND practitioner_id IS NOT NULL)
                    """
                )
        except psycopg2.errors.ExclusionViolation:
            # Appointments booked twice before the constraint: they are left
            # as they are, for a person to sort out; the constraint comes at
            # the next update once they are.
            cr.execute(
                """
                SELECT a.id, b.id FROM psys_booking a JOIN psys_booking b
                    ON a.practitioner_id = b.practitioner_id AND a.id < b.id
                   AND tsrange(a.start, a.stop) && tsrange(b.start, b.stop)
                 WHERE a.state != 'cancelled' AND b.state != 'cancelled'
                """
            )
            _logger.warning(
                "Appointments of one practitioner overlap (booking ids %s): "
                "the constraint that forbids it is not created until they are moved or cancelled.",
                cr.fetchall(),
            )

    def _compute_session_number(self):
        groups = self.env["psys.booking"]._read_group(
            [
                ("beneficiary_id", "in", self.beneficiary_id.ids),
                ("partnership_id", "in", self.partnership_id.ids),
                ("state", "=", "seen"),
            ],
            ["beneficiary_id", "partnership_id"],
            ["__count"],
        )
        counts = {(beneficiary, partnership): count for beneficiary, partnership, count in groups}
        for booking in self:
            count = counts.get((booking.beneficiary_id, booking.partnership_id), 0)
            booking.session_number = count
            booking.quota_reached = bool(booking.partnership_id) and count >= booking.partnership_id.session_quota

    @api.constrains("reason")
    def _check_reason(self):
        for booking in self:
            if booking.reason and len(booking.reason) > REASON_MAX_LENGTH:
                raise ValidationError(_("The reason is limited to %(max)s characters.", max=REASON_MAX_LENGTH))

    @api.constrains("price")
    def _check_price(self):
        for booking in self:
            if not 0 <= booking.price <= MAX_SESSION_PRICE:  # NaN too
                raise ValidationError(
                    _(
                        "The price of a session is between 0 and %(max)s, not %(price)s.",
                        max=MAX_SESSION_PRICE,
                        price=booking.price,
                    )
                )

    @api.constrains("beneficiary_id", "slot_id")
    def _check_company(self):
        for booking in self:
            if booking.beneficiary_id.company_id != booking.slot_id.company_id:
                raise ValidationError(_("The person and the slot belong to different associations."))

    @api.model_create_multi
    def create(self, vals_list):
        try:
            with self.env.cr.savepoint():
                bookings = super().create(vals_list)
                bookings.flush_recordset()
        except psycopg2.errors.UniqueViolation as error:
            raise SlotTakenError(_("This slot is already booked: choose another one.")) from error
        except psycopg2.errors.ExclusionViolation as error:
            raise SlotTakenError(self._psys_overlap_message()) from error
        # The people booked no longer wait in these partnerships.
        self.env["psys.waiting.entry"]._psys_close_for_bookings(bookings)
        return bookings

    def write(self, vals):
        # Waiting list and closing the loop: see the end of the class.
        freed, cancelled = self._psys_loop_before_write(vals)
        if "slot_id" not in vals and vals.get("state") != "booked":
            result = super().write(vals)
        else:
            try:
                with self.env.cr.savepoint():
                    result = super().write(vals)
                    self.flush_recordset()
            except psycopg2.errors.UniqueViolation as error:
                raise SlotTakenError(_("This slot is already booked: choose another one.")) from error
            except psycopg2.errors.ExclusionViolation as error:
                raise SlotTakenError(self._psys_overlap_message()) from error
        self._psys_loop_after_write(freed, cancelled)
        return result

    @api.model
    def _psys_overlap_message(self):
        return _(
            "The practitioner already has an appointment at that time, in this or another partnership: "
            "choose another slot."
        )

    # Back office -----------------------------------------------------------

    def action_mark_seen(self):
        self._psys_check_action("write", PRACTITIONERS)
        now = fields.Datetime.now()
        for booking in self:
            if booking.state != "booked":
                raise UserError(_("Only a booked appointment can be marked as seen."))
            if booking.start > now:
                raise UserError(_("A session cannot be marked as seen before it starts."))
        self._psys_create_encounters({"state": "seen"})
        # sudo: workflow field of the bookings' referrals, the caller was checked above.
        self.referral_id.filtered(lambda referral: referral.state in ("received", "accepted")).sudo().write(
            {"state": "in_progress"}
        )
        self._psys_invoice()

    def action_mark_excused(self):
        self._psys_transition(("booked",), "excused", RECEPTION)

    def action_mark_no_show(self):
        self._psys_transition(("booked",), "no_show", RECEPTION)

    def action_cancel(self):
        self._psys_check_action("write", RECEPTION)
        self._check_state_booked()
        self._psys_send_pending_notices()
        self._psys_transition(("booked",), "cancelled", RECEPTION, {"cancelled_by": "service"})
        self._psys_notify("cancelled")

    def _check_state_booked(self):
        if any(booking.state != "booked" for booking in self):
            raise UserError(_("Only a booked appointment can change status this way."))

    def _psys_encounter_values(self):
        self.ensure_one()
        return {
            "beneficiary_id": self.beneficiary_id.id,
            "date_start": self.start,
            "duration": (self.stop - self.start).total_seconds() / 3600,
            "location_id": self.location_id.id,
            "kind": "appointment",
            "practitioner_ids": [(6, 0, self.practitioner_id.ids)],
            "referral_source": "structure" if self.structure_id else "self",
            "referral_partner_id": self.structure_id.id,
            "company_id": self.company_id.id,
        }

    def action_propose_relay(self):
        """Open a new outbound orientation for the person, linked to the referral."""
        self.ensure_one()
        self._psys_check_action("read", PRACTITIONERS)
        return self._psys_action_orient(
            {"beneficiary_id": self.beneficiary_id.id, "referral_id": self.referral_id.id, "booking_id": self.id}
        )

    # Invoicing -------------------------------------------------------------

    def _psys_paid_by_person(self):
        """The seen sessions the person paid themselves: what a receipt for a
        mutuelle may list (not those the structure pays, nor unpaid ones)."""
        return self.filtered(
            lambda booking: booking.state == "seen"
            and booking.price
            and booking.invoice_id.state == "posted"
            and booking.invoice_id.payment_state in ("paid", "in_payment")
            and booking.invoice_id.partner_id == booking.beneficiary_id.partner_id
        )

    def _psys_receipt_place(self):
        """Where a receipt for these sessions is made out (« Fait à »): the
        town of the last session's room, else of its partnership's room or
        structure, else of the practitioner's address; never the cabinet's,
        which may be at the other end of the country."""
        last = self.sorted("start")[-1:]
        partnership = last.partnership_id
        places = (
            last.location_id,
            partnership.location_id,
            partnership.structure_id,
            last.practitioner_id.partner_id,
        )
        return next((place.city for place in places if place.city), "")

    def _psys_invoice_partner(self):
        self.ensure_one()
        if self.partnership_id.payer == "structure":
            return self.partnership_id.structure_id
        if not self.beneficiary_id.partner_id:
            raise UserError(
                _(
                    "%(code)s pays the session but has no consented named contact: "
                    "record the consent and the contact before marking the session as seen.",
                    code=self.beneficiary_code,
                )
            )
        return self.beneficiary_id.partner_id

    def _psys_invoice_line_name(self, partner, service_date, tariff):
        """The invoice line's label: the date of service and the tariff. The
        pseudonymous code only on a structure's invoice (its staff know their
        users by code); never on an invoice handed to the person."""
        self.ensure_one()
        tariff_name = dict(self._fields["tariff"]._description_selection(self.env))[tariff]
        if partner == self.beneficiary_id.partner_id:
            return _("Session of %(date)s (%(tariff)s tariff)", date=service_date, tariff=tariff_name)
        return _(
            "Session of %(date)s – %(code)s (%(tariff)s tariff)",
            date=service_date,
            code=self.beneficiary_code,
            tariff=tariff_name,
        )

    def _psys_referred_through_structure(self):
        """The bookings whose person came through their partnership's
        structure: booked by it (this booking or another one), or an inbound
        referral from it. Whatever the channel the booking was made through
        (portal, back office, a new booking after a move)."""
        structures, people = self.partnership_id.structure_id, self.beneficiary_id
        referred = set()
        if structures and people:
            domain = [
                ("structure_id", "in", structures.ids),
                ("beneficiary_id", "in", people.ids),
                ("company_id", "in", self.company_id.ids),
            ]
            for model in ("psys.referral", "psys.booking"):
                # sudo: only who referred whom is read, to price these bookings.
                groups = self.env[model].sudo()._read_group(domain, ["structure_id", "beneficiary_id"])
                referred.update((structure.id, beneficiary.id) for structure, beneficiary in groups)
        return self.filtered(
            lambda booking: (booking.partnership_id.structure_id.id, booking.beneficiary_id.id) in referred
        )

    def _psys_session_tariffs(self):
        """``{booking id: (tariff, price)}``: the one place a session's tariff
        is decided. Preferential when the partnership grants it to the people
        its structure refers and this person was (see
        ``_psys_referred_through_structure``)."""
        referred = self._psys_referred_through_structure()
        tariffs = {}
        for booking in self:
            partnership = booking.partnership_id
            is_referred = booking in referred
            if partnership.tariff_policy == "funded":
                tariff = "funded"
            elif partnership.tariff_policy == "preferential" and is_referred:
                tariff = "preferential"
            else:
                tariff = "standard"
            tariffs[booking.id] = (tariff, partnership._get_session_price(is_referred))
        return tariffs

    def _psys_invoice(self):
        """A seen paid session becomes a customer invoice line.

        Called by ``action_mark_seen`` once it checked the caller: tariff,
        price and invoice line are workflow fields, written in sudo."""
        tariffs = self._psys_session_tariffs()
        for booking in self.sudo():
            partnership = booking.partnership_id
            tariff, price = tariffs[booking.id]
            booking.write({"tariff": tariff, "price": price})
            if partnership.tariff_policy == "funded":
                continue  # free for the person, at the funded rate for the funder's statement
            if not partnership.product_id or not price or partnership.payer == "structure":
                continue  # a paying structure is invoiced by its monthly statement (psys.statement)
            partner = booking._psys_invoice_partner()
            invoice = booking._psys_find_or_create_invoice(partner)
            service_date = format_datetime(
                self.env, booking.start, tz=partnership._get_tz().zone, dt_format="dd/MM/yyyy HH:mm"
            )
            invoice.write(
                {
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": partnership.product_id.id,
                                "name": booking._psys_invoice_line_name(partner, service_date, tariff),
                                "quantity": 1.0,
                                "price_unit": price,
                                "tax_ids": booking.company_id._psys_invoice_line_taxes(),
                                "psys_booking_id": booking.id,
                            },
                        )
                    ]
                }
            )
            booking.invoice_line_id = invoice.invoice_line_ids.filtered(
                lambda line, b=booking: line.psys_booking_id == b
            )

    def _psys_find_or_create_invoice(self, partner):
        self.ensure_one()
        # sudo: practitioners mark sessions seen without being accountants; the
        # draft is built only from this checked booking, posting and payments
        # stay with the invoicing users.
        Move = self.env["account.move"].sudo().with_company(self.company_id)
        if self.partnership_id.payer == "structure":
            # The structure is invoiced monthly: sessions add up on its draft invoice.
            invoice = Move.search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "draft"),
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.company_id.id),
                    ("psys_partnership_id", "=", self.partnership_id.id),
                ],
                limit=1,
            )
            if invoice:
                return invoice
        company = self.company_id
        mention = company._psys_vat_mention()
        narration = "<br/>".join(
            part
            for part in (
                mention,
                company.company_registry and _("SIRET: %(siret)s", siret=company.company_registry),
            )
            if part
        )
        return Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "company_id": company.id,
                "invoice_date": fields.Date.context_today(self),
                "narration": narration,
                "psys_partnership_id": self.partnership_id.id,
            }
        )

    def _psys_local_start(self):
        self.ensure_one()
        return format_datetime(
            self.env, self.start, tz=self.partnership_id._get_tz().zone, dt_format="dd/MM/yyyy HH:mm"
        )

    def _psys_statement_label(self):
        """Date, place and code of a session: what a statement or a structure's
        invoice says about it (no name, nothing clinical)."""
        self.ensure_one()
        return _(
            "Session of %(date)s – %(place)s – %(code)s",
            date=self._psys_local_start(),
            place=self.location_id.name,
            code=self.beneficiary_code,
        )

    # Waiting list and closing the loop (issue 13) ---------------------------

    def _psys_loop_before_write(self, vals):
        """The slots this write frees (a booking cancelled or moved away) and
        the bookings it cancels, read before the write changes them."""
        active = self.filtered(lambda booking: booking.state != "cancelled")
        freed = self.env["psys.slot"]
        if vals.get("state") == "cancelled":
            freed = active.slot_id
        elif vals.get("slot_id"):
            freed = active.filtered(lambda booking: booking.slot_id.id != vals["slot_id"]).slot_id
        cancelled = active if vals.get("state") == "cancelled" else self.browse()
        return freed, cancelled

    def _psys_loop_after_write(self, freed, cancelled):
        if cancelled:
            cancelled.referral_id._psys_after_booking_cancelled(cancelled)
        if freed:
            self.env["psys.waiting.entry"]._psys_offer_slots(freed)
