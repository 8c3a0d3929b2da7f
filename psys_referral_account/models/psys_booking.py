from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from odoo.addons.psys_referral.models.psys_booking import PsysBooking as BaseBooking

from .psys_partnership import MAX_SESSION_PRICE


class PsysBooking(models.Model):
    _inherit = "psys.booking"
    _psys_policy = BaseBooking._psys_policy.extended(workflow=("price", "tariff", "invoice_line_id", "statement_id"))

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
    currency_id = fields.Many2one(related="company_id.currency_id")

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

    def action_mark_seen(self):
        """A seen paid session is priced and invoiced."""
        result = super().action_mark_seen()
        self._psys_invoice()
        return result

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
