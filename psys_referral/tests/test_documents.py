import io
import subprocess
import tempfile
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from ..models.ir_actions_report import wkhtmltopdf_has_patched_qt
from .common import PsysReferralCase


def pdf_text(pdf):
    """The PDF's text layer, as a person's reader or a search would get it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
        pdf_file.write(pdf)
        pdf_file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", pdf_file.name, "-"], capture_output=True, check=True, text=True
        ).stdout
        fonts = subprocess.run(["pdffonts", pdf_file.name], capture_output=True, check=True, text=True).stdout
    return text, fonts


@tagged("psys_referral", "post_install", "-at_install")
class TestServedDocuments(HttpCase, PsysReferralCase):
    """The invoice and the receipt rendered as a served database renders them:
    wkhtmltopdf fetches the report stylesheets and fonts over HTTP from the
    running server with the printing user's session (Odoo's test mode would
    otherwise return the bare HTML), then the PDF's text layer is read back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounting()
        cls.env.company.write(
            {
                "name": "Cabinet Claire Martin",
                "street": "12 rue des Tilleuls",
                "zip": "59000",
                "city": "Lille",
                "country_id": cls.env.ref("base.fr").id,
                "company_registry": "81234567800019",
                # The report font the company chose: a web font, drawn as
                # shapes by Debian's wkhtmltopdf unless psys forces a system one.
                "font": "Lato",
            }
        )
        cls.user_therapist.groups_id += cls.env.ref("account.group_account_invoice")
        cls.contact = cls.env["res.partner"].create({"name": "Nadia Lefèvre", "psys_private_contact": True})
        cls.person = cls._beneficiary(first_referrer_id=cls.structure.id)
        cls.env["psys.consent"].create({"beneficiary_id": cls.person.id, "scope": "named_contact"})
        cls.person.partner_id = cls.contact
        cls.booking = cls._seen_and_paid(days=5)
        cls.second = cls._seen_and_paid(days=4)

    @classmethod
    def _seen_and_paid(cls, days):
        slot = cls._slot(
            cls.partnership, datetime.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
        )
        booking = cls.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": cls.person.id, "structure_id": cls.structure.id}
        )
        booking.with_user(cls.user_therapist).action_mark_seen()
        booking.invoice_id.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=booking.invoice_id.ids
        ).create({"journal_id": cls.cash_journal.id})._create_payments()
        return booking

    def _render_as(self, user, report_ref, records):
        """Render as ``user``: the report machinery without the test-mode
        shortcut (HTML instead of PDF); wkhtmltopdf loads the report assets
        (stylesheets, fonts) over HTTP from the running test server, which
        HttpCase makes the base URL. The `/report/pdf` route itself cannot be
        fetched here: the test server serializes requests on one cursor, and
        wkhtmltopdf's requests for the assets would wait for the report
        request that waits for them."""
        self.env.flush_all()
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_text(pdf)

    def _assert_issuer_and_text(self, text, fonts):
        self.assertGreater(len(text.strip()), 200, "the PDF has a text layer")
        self.assertIn("DejaVu", fonts, "the text is set in an embedded system font, not drawn as shapes")
        for expected in ("Cabinet Claire Martin", "12 rue des Tilleuls", "59000", "Lille", "81234567800019"):
            self.assertIn(expected, text, "the issuer is in the body of the document")
        self.assertIn("Nadia Lefèvre", text)
        self.assertNotIn(self.person.code, text, "never the pseudonymous code on a document handed to the person")
        if not wkhtmltopdf_has_patched_qt():
            self.assertIn("Page 1 / 1", text)

    def test_invoice_as_served(self):
        invoice = self.booking.invoice_id
        text, fonts = self._render_as(self.user_therapist, "account.account_invoices", invoice)
        self._assert_issuer_and_text(text, fonts)
        self.assertIn(invoice.name, text, "the sequential number")
        self.assertIn("TVA non applicable, art. 293 B du CGI", text)
        self.assertIn(invoice.invoice_date.strftime("%d/%m/%Y"), text, "the invoice date")
        self.assertIn(self.booking._psys_local_start(), text, "the date of service")

    def test_receipt_as_served(self):
        text, fonts = self._render_as(
            self.user_therapist, "psys_referral.action_report_psys_receipt", self.booking | self.second
        )
        self._assert_issuer_and_text(text, fonts)
        for expected in (
            self.user_therapist.name,
            self.booking._psys_local_start(),
            self.second._psys_local_start(),
            "60.00",
            "TVA non applicable, art. 293 B du CGI",
            "Issued in Lille, on 11/04/2026",
            "Signature",
        ):
            self.assertIn(expected, text)


@tagged("psys_referral", "post_install", "-at_install")
class TestFacturX(PsysReferralCase):
    """An invoice to a structure is a Factur-X: the PDF Odoo generates for it
    (account_edi_ubl_cii, French companies) embeds a CII XML that the
    factur-x library validates."""

    def test_structure_invoice_is_a_valid_facturx(self):
        from facturx import get_facturx_xml_from_pdf, xml_check_xsd

        self._setup_accounting()
        france = self.env.ref("base.fr")
        self.env.company.write(
            {"street": "12 rue des Tilleuls", "zip": "59000", "city": "Lille", "country_id": france.id}
        )
        self.structure.write(
            {"street": "1 place de la Mairie", "zip": "59000", "city": "Lille", "country_id": france.id}
        )
        self.partnership.payer = "structure"
        # A session of last month, on the structure's monthly statement.
        slot = self._slot(self.partnership, datetime(2026, 10, 15, 9, 0))
        booking = self.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": self._beneficiary().id, "structure_id": self.structure.id}
        )
        booking.with_user(self.user_therapist).action_mark_seen()
        statement = self.env["psys.statement"]._psys_generate(date(2026, 10, 1), self.env.company)
        invoice = statement.filtered(lambda statement: statement.kind == "structure").move_id
        self.assertEqual(invoice.partner_id, self.structure)
        # What EN 16931 requires and psys invoices do not carry yet (see the
        # report of issue 12, point 8): the seller's VAT number, a VAT
        # category on every line (here a 0 % exempt tax) and the bank account
        # to pay to.
        self.env.company.vat = "FR23334175221"
        exempt = self.env["account.tax"].create(
            {"name": "TVA 0 % (art. 293 B du CGI)", "amount": 0.0, "type_tax_use": "sale"}
        )
        invoice.invoice_line_ids.tax_ids = exempt
        invoice.partner_bank_id = self.env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": self.env.company.partner_id.id}
        )
        invoice.action_post()
        # Odoo's test mode skips wkhtmltopdf and the PDF post-processing that
        # embeds the XML: run them as a served database does.
        with patch.dict(config.options, {"test_enable": False}):
            self.env["account.move.send"]._generate_and_send_invoices(
                invoice, sending_methods=["manual"], invoice_edi_format="facturx"
            )
        pdf = invoice.invoice_pdf_report_id.raw
        self.assertTrue(pdf)
        filename, xml = get_facturx_xml_from_pdf(io.BytesIO(pdf), check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        self.assertTrue(xml_check_xsd(xml))
        self.assertIn(invoice.name.encode(), xml)
        self.assertIn(b"81234567800019", xml, "the seller's SIRET")
