import subprocess
import tempfile
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsysReferralAccountCase


@tagged("psys_referral_account", "post_install", "-at_install")
class TestInvoicing(PsysReferralAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounting()
        cls.contact = cls.env["res.partner"].create({"name": "Nadia", "psys_private_contact": True})
        cls.person = cls._beneficiary(first_referrer_id=cls.structure.id)
        cls.env["psys.consent"].create({"beneficiary_id": cls.person.id, "scope": "named_contact"})
        cls.person.partner_id = cls.contact

    def _seen(self, partnership=None, structure=None, days=2):
        partnership = partnership or self.partnership
        slot = self._slot(partnership, datetime.now().replace(microsecond=0, second=0) - timedelta(days=days))
        booking = self.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": self.person.id, "structure_id": structure and structure.id}
        )
        booking.with_user(self.user_therapist).action_mark_seen()
        return booking

    def test_referred_person_pays_the_preferential_price(self):
        booking = self._seen(structure=self.structure)
        self.assertEqual((booking.tariff, booking.price), ("preferential", 30.0))
        invoice = booking.invoice_id
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.contact)
        self.assertEqual(invoice.amount_total, 30.0)
        self.assertEqual(invoice.amount_tax, 0.0)
        self.assertIn("TVA non applicable, art. 293 B du CGI", str(invoice.narration))
        self.assertIn("81234567800019", str(invoice.narration))
        local = booking._psys_local_start()
        self.assertIn(local, booking.invoice_line_id.name, "The date of service is on the line")

    def test_self_referred_person_pays_the_standard_price(self):
        booking = self._seen(structure=None)
        self.assertEqual((booking.tariff, booking.price), ("standard", 50.0))
        self.assertEqual(booking.invoice_id.amount_total, 50.0)

    def test_referred_by_another_structure_is_standard(self):
        booking = self._seen(structure=self.structure_b)
        self.assertEqual((booking.tariff, booking.price), ("standard", 50.0))

    def test_funded_is_free_and_not_invoiced(self):
        self.partnership.tariff_policy = "funded"
        booking = self._seen(structure=self.structure)
        self.assertEqual((booking.tariff, booking.price), ("funded", 0.0))
        self.assertFalse(booking.invoice_line_id)

    def test_structure_pays_on_one_monthly_invoice(self):
        self.partnership.payer = "structure"
        first = self._seen(structure=self.structure, days=3)
        second = self._seen(structure=self.structure, days=2)
        self.assertFalse(first.invoice_id | second.invoice_id, "Invoiced by the month's statement")
        self.env["psys.statement"]._psys_generate(first.start.date(), self.env.company)
        self.assertEqual(first.invoice_id, second.invoice_id)
        self.assertEqual(first.invoice_id.partner_id, self.structure)
        self.assertEqual(first.invoice_id.amount_total, 60.0)

    def test_art_261_mention(self):
        self.env.company.psys_vat_exemption = "art_261"
        booking = self._seen(structure=self.structure)
        self.assertIn("261-4-1°", str(booking.invoice_id.narration))

    def test_no_named_contact_no_session_half_done(self):
        anonymous = self._beneficiary()
        slot = self._slot(self.partnership, datetime.now().replace(microsecond=0) - timedelta(days=1))
        booking = self.env["psys.booking"].create({"slot_id": slot.id, "beneficiary_id": anonymous.id})
        encounters = self.env["psys.encounter"].search_count([])
        with self.assertRaisesRegex(UserError, "no consented named contact"):
            with self.env.cr.savepoint():
                booking.action_mark_seen()
        self.assertEqual(booking.state, "booked")
        self.assertEqual(self.env["psys.encounter"].search_count([]), encounters)

    def test_payment_and_receipt(self):
        booking = self._seen(structure=self.structure, days=5)
        invoice = booking.invoice_id
        invoice.action_post()
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"journal_id": self.cash_journal.id}
        )._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        second = self._seen(structure=self.structure, days=4)
        second.invoice_id.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=second.invoice_id.ids
        ).create({"journal_id": self.cash_journal.id})._create_payments()
        # A third session, invoiced but not paid yet, stays off the receipt.
        unpaid = self._seen(structure=self.structure, days=3)
        self.assertTrue(unpaid.invoice_id)
        self.assertEqual(unpaid.invoice_id.payment_state, "not_paid")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("psys_referral_account.action_report_psys_receipt", (booking | second | unpaid).ids)
        )
        self.assertEqual(report_type, "pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", pdf_file.name, "-"], capture_output=True, check=True, text=True
            ).stdout
        for expected in (
            "Nadia",
            "81234567800019",
            self.user_therapist.name,
            booking._psys_local_start()[:10],
            second._psys_local_start()[:10],
            "30.00",
            "60.00",
            "TVA non applicable",
        ):
            self.assertIn(expected, text)
        wizard = self.env["psys.receipt.wizard"].create(
            {
                "beneficiary_id": self.person.id,
                "date_from": (datetime.now() - timedelta(days=30)).date(),
                "date_to": datetime.now().date(),
            }
        )
        self.assertEqual(wizard._get_bookings(), booking | second)
        self.assertNotIn(unpaid._psys_local_start()[:10], text)
