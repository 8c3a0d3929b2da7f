from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from odoo.addons.psys_base.tools.groups import COORDINATOR
from odoo.addons.psys_base.tools.policy import Policy

STATEMENT_KINDS = [
    ("structure", "Invoice to a paying structure"),
    ("funder", "Statement for a funder"),
]


class PsysStatement(models.Model):
    """The sessions of one month that a structure pays or a funder funds.

    A structure that pays gets a customer invoice listing the sessions; a
    funder gets this statement (printable). Both list sessions by date, place
    and pseudonymous code only: no name, nothing clinical. One statement per
    payer, kind and month: generating the same month again creates nothing."""

    _name = "psys.statement"
    _inherit = ["psys.secured"]
    _description = "Monthly statement of structure-paid or funded sessions"
    _psys_policy = Policy(ownership=("partner_id",))
    _order = "date_from desc, partner_id, id"

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(STATEMENT_KINDS, required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Payer", required=True, readonly=True, index=True)
    date_from = fields.Date(string="Month", required=True, readonly=True)
    date_to = fields.Date(string="Until", required=True, readonly=True)
    booking_ids = fields.One2many("psys.booking", "statement_id", string="Sessions", readonly=True)
    session_count = fields.Integer(string="Number of sessions", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)

    _sql_constraints = [
        (
            "month_payer_uniq",
            "UNIQUE (company_id, kind, partner_id, date_from)",
            "There is already a statement of this month for this payer.",
        ),
    ]

    @api.depends("kind", "partner_id", "date_from")
    def _compute_name(self):
        for statement in self:
            month = statement.date_from.strftime("%m/%Y") if statement.date_from else ""
            statement.name = _("%(payer)s – %(month)s", payer=statement.partner_id.name or "", month=month)

    def _psys_local_bound(self, company, day):
        """Midnight at the start of ``day`` in the association's time zone, as UTC naive."""
        tz = pytz.timezone(company.partner_id.tz or self.env.user.tz or "Europe/Paris")
        return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _psys_sessions_domain(self, company, date_to):
        """Seen sessions up to the end of ``date_to`` that a structure or a
        funder pays and that are on no statement nor invoice yet (a session
        marked seen after its month's statement goes on the next one)."""
        return [
            ("company_id", "=", company.id),
            ("state", "=", "seen"),
            ("statement_id", "=", False),
            ("invoice_line_id", "=", False),
            ("start", "<", self._psys_local_bound(company, date_to + relativedelta(days=1))),
            "|",
            ("partnership_id.tariff_policy", "=", "funded"),
            ("partnership_id.payer", "=", "structure"),
        ]

    @api.model
    def _psys_payer_key(self, booking):
        """(kind, payer) of a session, or None when nobody is to be billed."""
        partnership = booking.partnership_id
        if partnership.tariff_policy == "funded":
            return ("funder", partnership.funder_id) if partnership.funder_id else None
        if partnership.payer == "structure" and booking.price:
            return ("structure", partnership.structure_id)
        return None

    @api.model
    def _psys_generate(self, date_from, companies):
        """The statements of the month that starts on ``date_from`` for
        ``companies``; those that exist already are kept as they are.

        Private: called by the cron and by the coordinator's wizard once it
        checked the caller. Works in sudo (bookings' workflow field, invoices
        built by a coordinator who needs not be an accountant)."""
        statements = self.sudo()
        date_from = date_from.replace(day=1)
        date_to = date_from + relativedelta(months=1, days=-1)
        created = statements.browse()
        for company in companies:
            existing = {
                (statement.kind, statement.partner_id)
                for statement in statements.search([("company_id", "=", company.id), ("date_from", "=", date_from)])
            }
            bookings = self.env["psys.booking"].sudo().search(statements._psys_sessions_domain(company, date_to))
            groups = {}
            for booking in bookings:
                key = statements._psys_payer_key(booking)
                if key and key not in existing:
                    groups.setdefault(key, self.env["psys.booking"].sudo())
                    groups[key] |= booking
            for (kind, partner), sessions in groups.items():
                statement = statements.create(
                    {
                        "kind": kind,
                        "partner_id": partner.id,
                        "date_from": date_from,
                        "date_to": date_to,
                        "company_id": company.id,
                        "session_count": len(sessions),
                        "amount_total": sum(sessions.mapped("price")),
                    }
                )
                sessions.write({"statement_id": statement.id})
                if kind == "structure":
                    statement._psys_create_invoice()
                created |= statement
        return created

    def _psys_create_invoice(self):
        """A customer invoice to the structure, one line per session (date,
        place, code), and each session linked to its line."""
        self.ensure_one()
        company = self.company_id
        sessions = self.booking_ids.sorted("start")
        period = _(
            "Sessions from %(date_from)s to %(date_to)s",
            date_from=self.date_from.strftime("%d/%m/%Y"),
            date_to=self.date_to.strftime("%d/%m/%Y"),
        )
        narration = "<br/>".join(
            part
            for part in (
                period,
                company._psys_vat_mention(),
                company.company_registry and _("SIRET: %(siret)s", siret=company.company_registry),
            )
            if part
        )
        partnerships = sessions.partnership_id
        taxes = company._psys_invoice_line_taxes()
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "company_id": company.id,
                    "invoice_date": fields.Date.context_today(self),
                    "narration": narration,
                    "psys_partnership_id": partnerships.id if len(partnerships) == 1 else False,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": session.partnership_id.product_id.id,
                                "name": session._psys_statement_label(),
                                "quantity": 1.0,
                                "price_unit": session.price,
                                "tax_ids": taxes,
                                "psys_booking_id": session.id,
                            },
                        )
                        for session in sessions
                    ],
                }
            )
        )
        self.move_id = move
        for line in move.invoice_line_ids:
            line.psys_booking_id.invoice_line_id = line

    @api.model
    def _cron_generate_statements(self):
        """On the first of the month: the previous month's statements of every association."""
        today = fields.Date.context_today(self)
        self._psys_generate(today.replace(day=1) - relativedelta(months=1), self.env["res.company"].search([]))

    def action_view_invoice(self):
        self.ensure_one()
        self._psys_check_action("read", COORDINATOR)
        self.move_id.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action.update({"views": [(False, "form")], "res_id": self.move_id.id, "domain": []})
        return action
