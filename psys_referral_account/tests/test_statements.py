from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import PsysReferralAccountCase


@tagged("psys_referral_account", "post_install", "-at_install")
class TestStatements(PsysReferralAccountCase):
    """October 2026, the clock on 4 November: a city-funded partnership (25 €
    a session) and a partnership whose structure pays its sessions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounting()
        cls.env.company.partner_id.tz = "Europe/Paris"
        cls.funder = cls.env["res.partner"].create(
            {"name": "Ville de Test", "is_company": True, "psys_structure_type": "funder"}
        )
        cls.partnership.write({"tariff_policy": "funded", "funder_id": cls.funder.id, "funded_rate": 25.0})
        cls.partnership_b.write({"payer": "structure"})
        cls.contact = cls.env["res.partner"].create({"name": "Nadia Secret", "psys_private_contact": True})
        cls.person = cls._beneficiary(first_referrer_id=cls.structure.id)
        cls.env["psys.consent"].create({"beneficiary_id": cls.person.id, "scope": "named_contact"})
        cls.person.partner_id = cls.contact
        cls.other = cls._beneficiary()
        cls.location_b = cls.env["psys.location"].create({"name": "Mission Locale, salle 2"})
        cls.partnership_b.location_id = cls.location_b
        Statement = cls.env["psys.statement"]
        cls.statements_before = Statement.search([])

    def _seen(self, partnership, start, person=None, structure=None):
        slot = self._slot(partnership, start)
        booking = self.env["psys.booking"].create(
            {
                "slot_id": slot.id,
                "beneficiary_id": (person or self.person).id,
                "structure_id": structure and structure.id,
            }
        )
        booking.with_user(self.user_therapist).action_mark_seen()
        return booking

    def _october(self):
        """Two funded sessions and two the structure pays in October, a funded
        one on the night of 31 October to 1 November (November in Paris)."""
        return {
            "funded": self._seen(self.partnership, datetime(2026, 10, 6, 8))
            | self._seen(self.partnership, datetime(2026, 10, 13, 8), person=self.other),
            "paid": self._seen(self.partnership_b, datetime(2026, 10, 7, 8), structure=self.structure_b)
            | self._seen(self.partnership_b, datetime(2026, 10, 14, 8), person=self.other),
            "november": self._seen(self.partnership, datetime(2026, 10, 31, 23, 30)),
        }

    def _generate(self, month=date(2026, 10, 1)):
        return self.env["psys.statement"]._psys_generate(month, self.env.company)

    def test_funded_session_carries_the_funded_rate(self):
        booking = self._seen(self.partnership, datetime(2026, 10, 6, 8))
        self.assertEqual((booking.tariff, booking.price), ("funded", 25.0))
        self.assertFalse(booking.invoice_line_id, "The person pays nothing")

    def test_structure_paid_sessions_wait_for_the_statement(self):
        booking = self._seen(self.partnership_b, datetime(2026, 10, 7, 8), structure=self.structure_b)
        self.assertEqual((booking.tariff, booking.price), ("preferential", 30.0))
        self.assertFalse(booking.invoice_line_id, "Invoiced by the monthly statement, not one by one")

    def test_statements_totals(self):
        sessions = self._october()
        statements = self._generate()
        funder = statements.filtered(lambda statement: statement.kind == "funder")
        structure = statements.filtered(lambda statement: statement.kind == "structure")
        self.assertEqual(len(statements), 2)
        self.assertEqual(funder.partner_id, self.funder)
        self.assertEqual((funder.date_from, funder.date_to), (date(2026, 10, 1), date(2026, 10, 31)))
        self.assertEqual(funder.booking_ids, sessions["funded"], "Paris time: 31/10 23:30 UTC is November")
        self.assertEqual((funder.session_count, funder.amount_total), (2, 50.0))
        self.assertFalse(funder.move_id)
        # The structure: an invoice listing its sessions, 30 € (referred) + 50 € (self-referred).
        self.assertEqual(structure.partner_id, self.structure_b)
        self.assertEqual((structure.session_count, structure.amount_total), (2, 80.0))
        invoice = structure.move_id
        self.assertEqual((invoice.move_type, invoice.partner_id), ("out_invoice", self.structure_b))
        self.assertEqual(invoice.amount_total, 80.0)
        self.assertEqual(invoice.invoice_line_ids.psys_booking_id, sessions["paid"])
        self.assertEqual(sessions["paid"].invoice_id, invoice)
        labels = invoice.invoice_line_ids.mapped("name")
        for booking in sessions["paid"]:
            self.assertIn(
                f"Session of {booking._psys_local_start()} – Mission Locale, salle 2 – {booking.beneficiary_code}",
                labels,
            )
        self.assertNotIn("Nadia", " ".join(labels) + str(invoice.narration))
        self.assertIn("01/10/2026", str(invoice.narration))
        self.assertIn("TVA non applicable", str(invoice.narration))

    def test_generating_twice_creates_nothing_twice(self):
        self._october()
        first = self._generate()
        invoices = self.env["account.move"].search_count([("move_type", "=", "out_invoice")])
        self.assertFalse(self._generate(), "The same month again: nothing new")
        self.assertEqual(self.env["psys.statement"].search([]) - self.statements_before, first)
        self.assertEqual(self.env["account.move"].search_count([("move_type", "=", "out_invoice")]), invoices)
        self.assertEqual(sum(first.mapped("amount_total")), 130.0)

    def test_a_session_marked_late_goes_on_the_next_statement(self):
        sessions = self._october()
        october = self._generate()
        late = self._seen(self.partnership, datetime(2026, 10, 20, 8))
        november = self._generate(date(2026, 11, 1))
        self.assertNotIn(late, october.booking_ids)
        self.assertEqual(november.booking_ids, late | sessions["november"])
        self.assertEqual(november.amount_total, 50.0)

    def test_cron_on_the_first_states_the_previous_month(self):
        sessions = self._october()
        cron = self.env.ref("psys_referral_account.ir_cron_psys_monthly_statements")
        self.assertEqual(cron.code, "model._cron_generate_statements()")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))
        with freeze_time("2026-11-01 02:00"):  # 03:00 in Paris
            cron.method_direct_trigger()
        october = self.env["psys.statement"].search([]) - self.statements_before
        self.assertEqual(set(october.mapped("date_from")), {date(2026, 10, 1)})
        self.assertEqual(october.booking_ids, sessions["funded"] | sessions["paid"])
        with freeze_time("2026-12-01 02:00"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        november = self.env["psys.statement"].search([]) - self.statements_before - october
        self.assertEqual((november.kind, november.date_from), ("funder", date(2026, 11, 1)))
        self.assertEqual(november.booking_ids, sessions["november"])

    def test_funder_statement_pdf_lists_codes_not_names(self):
        sessions = self._october()
        funder = self._generate().filtered(lambda statement: statement.kind == "funder")
        html = str(
            self.env["ir.actions.report"]
            .with_user(self.user_coordinator)
            ._render_qweb_html("psys_referral_account.report_psys_statement", funder.ids)[0]
        )
        for booking in sessions["funded"]:
            self.assertIn(booking.beneficiary_code, html)
            self.assertIn(booking._psys_local_start(), html)
        self.assertIn("Ville de Test", html)
        self.assertIn("50.00", html)
        self.assertIn("81234567800019", html, "The issuer is in the body, not only in the page header")
        self.assertNotIn("Nadia", html)
        self.assertNotIn("Fatigue", html)

    def test_coordinator_generates_with_the_wizard(self):
        self._october()
        form = Form(self.env["psys.statement.wizard"].with_user(self.user_coordinator))
        self.assertEqual(form.date_from, date(2026, 10, 1), "The previous month by default")
        wizard = form.save()
        action = wizard.action_generate()
        statements = self.env["psys.statement"].with_user(self.user_coordinator).search(action["domain"])
        self.assertEqual(len(statements), 2)
        invoice = statements.move_id
        structure = statements.filtered("move_id")
        with self.assertRaises(AccessError, msg="The invoice is for the accountants"):
            structure.with_user(self.user_coordinator).action_view_invoice()
        self.user_coordinator.groups_id += self.env.ref("account.group_account_invoice")
        self.assertEqual(structure.with_user(self.user_coordinator).action_view_invoice()["res_id"], invoice.id)
        wizard.action_generate()
        self.assertEqual(self.env["psys.statement"].search_count(action["domain"]), 2)

    def test_the_running_month_cannot_be_stated(self):
        with self.assertRaisesRegex(ValidationError, "once it is over"):
            self.env["psys.statement.wizard"].with_user(self.user_coordinator).create({"date_from": "2026-11-01"})

    def test_only_the_coordinator_states(self):
        self._october()
        wizard = self.env["psys.statement.wizard"].with_user(self.user_coordinator).create({})
        for user in (self.user_reception, self.user_therapist, self.user_portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["psys.statement.wizard"].with_user(user).create({})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                wizard.with_user(user).action_generate()
        statements = self._generate()
        for user in (self.user_reception, self.user_therapist, self.user_portal, self.user_therapist_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                statements.with_user(user).read(["amount_total"])
        with self.assertRaises(AccessError):
            statements.with_user(self.user_coordinator).write({"amount_total": 0})
        with self.assertRaises(AccessError):
            statements.booking_ids[:1].with_user(self.user_coordinator).write({"statement_id": False})

    def test_bilan_reports_the_funded_amount(self):
        self._seen(self.partnership, datetime(2026, 10, 6, 8))
        self._seen(self.partnership, datetime(2026, 10, 13, 8), person=self.other)
        self._seen(self.partnership_b, datetime(2026, 10, 7, 8), structure=self.structure_b)
        hook = self.env["psys.report.hook"]
        october = (date(2026, 10, 1), date(2026, 10, 31), self.env.company)
        values = {line["indicator"]: line for line in hook._get_indicator_lines(*october)}
        funded = values["referral_revenue_funded"]
        self.assertEqual((funded["value"], funded["people"], funded["unit"]), (50.0, 2, "eur"))
        self.assertEqual(funded["name"], "Funded sessions (amount due by the funders)")
        self.assertEqual(values["referral_revenue_preferential"]["value"], 30.0)
        statement = self._generate().filtered(lambda statement: statement.kind == "funder")
        self.assertEqual(statement.amount_total, funded["value"], "The bilan and the statement agree")
