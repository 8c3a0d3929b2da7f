import io
import subprocess
import tempfile
from datetime import date, datetime, timedelta
from unittest.mock import patch

from lxml import etree

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from odoo.addons.psys_base.models.ir_actions_report import wkhtmltopdf_has_patched_qt

from .common import PsysReferralAccountCase
from .en16931 import en16931_violations


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


@tagged("psys_referral_account", "post_install", "-at_install")
class TestServedDocuments(HttpCase, PsysReferralAccountCase):
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
        # Issue 27, point 6: one VAT mention, the exemption's; no option to
        # pay VAT on debits (l10n_fr_account) on an invoice without VAT.
        self.assertEqual(text.count("TVA non applicable"), 1)
        self.assertNotIn("debits", text.lower())
        self.assertNotIn("débits", text.lower())
        self.assertIn(invoice.invoice_date.strftime("%d/%m/%Y"), text, "the invoice date")
        self.assertIn(self.booking._psys_local_start(), text, "the date of service")

    def test_receipt_as_served(self):
        # Issue 27, point 6: the sessions were in Brive; the cabinet is in Lille.
        self.location.write({"street": "2 place de l'Hôtel de Ville", "zip": "19100", "city": "Brive-la-Gaillarde"})
        text, fonts = self._render_as(
            self.user_therapist, "psys_referral_account.action_report_psys_receipt", self.booking | self.second
        )
        self._assert_issuer_and_text(text, fonts)
        for expected in (
            self.user_therapist.name,
            self.booking._psys_local_start(),
            self.second._psys_local_start(),
            "60.00",
            "TVA non applicable, art. 293 B du CGI",
            "Issued in Brive-la-Gaillarde, on 11/04/2026",
            "Signature",
        ):
            self.assertIn(expected, text)

    def test_receipt_place_is_the_sessions(self):
        """Issue 27, point 6: where a receipt is made out comes from the
        sessions (their room, else their partnership's structure, else the
        practitioner's address), never from the cabinet's address: the last
        session's, when several are listed."""
        sessions = self.booking | self.second
        self.assertEqual(sessions._psys_receipt_place(), "")
        self.user_therapist.partner_id.city = "Tulle"
        self.assertEqual(sessions._psys_receipt_place(), "Tulle")
        self.structure.city = "Brive-la-Gaillarde"
        self.assertEqual(sessions._psys_receipt_place(), "Brive-la-Gaillarde")
        self.location.city = "Malemort"
        self.assertEqual(sessions._psys_receipt_place(), "Malemort")
        other_room = self.env["psys.location"].create({"name": "Salle B", "city": "Ussel"})
        self.second.slot_id.location_id = other_room
        self.assertEqual(sessions._psys_receipt_place(), "Ussel", "the last session's (4 days ago, not 5)")


@tagged("psys_referral_account", "post_install", "-at_install")
class TestFacturX(PsysReferralAccountCase):
    """Invoices as psys builds them are Factur-X: the PDF Odoo generates for
    them (account_edi_ubl_cii, French companies) embeds a CII XML that the
    factur-x library validates. The company is set up as a practitioner
    under the VAT franchise fills in her settings (address, SIRET, phone,
    e-mail, bank account), with no VAT number: she needs none.
    The test adds no tax, VAT number nor bank account to the invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounting()
        france = cls.env.ref("base.fr")
        cls.env.company.write(
            {
                "street": "12 rue des Tilleuls",
                "zip": "59000",
                "city": "Lille",
                "country_id": france.id,
                "phone": "+33 3 20 00 00 00",
                "email": "cabinet@example.com",
                "vat": False,
                # As the practitioner types her SIRET in her settings (and the demo has it).
                "company_registry": "812 345 678 00019",
            }
        )
        cls.iban = cls.env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": cls.env.company.partner_id.id}
        )
        cls.structure.write(
            {"street": "1 place de la Mairie", "zip": "59000", "city": "Lille", "country_id": france.id}
        )

    def _assert_valid_facturx(self, invoice, mention, vatex):
        from facturx import get_facturx_xml_from_pdf, xml_check_xsd

        invoice.action_post()
        # Odoo's test mode skips wkhtmltopdf and the PDF post-processing that
        # embeds the XML: run them as a served database does.
        with patch.dict(config.options, {"test_enable": False}):
            self.env["account.move.send"]._generate_and_send_invoices(
                invoice, sending_methods=["manual"], invoice_edi_format="facturx"
            )
        self.assertTrue(invoice.ubl_cii_xml_id, "Odoo's Factur-X builder reported no missing data")
        pdf = invoice.invoice_pdf_report_id.raw
        self.assertTrue(pdf)
        filename, xml = get_facturx_xml_from_pdf(io.BytesIO(pdf), check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        self.assertTrue(xml_check_xsd(xml))
        self.assertIn(invoice.name.encode(), xml)
        tree = etree.fromstring(xml)
        ns = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
        self.assertEqual(en16931_violations(xml), [], "the EN 16931 business rules")
        seller = tree.find(".//ram:SellerTradeParty", ns)
        legal = seller.find("ram:SpecifiedLegalOrganization/ram:ID", ns)
        self.assertEqual(
            (legal.text, legal.get("schemeID")), ("81234567800019", "0009"), "[BT-30] the SIRET, under scheme 0009"
        )
        self.assertEqual(
            seller.findtext("ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']", namespaces=ns),
            "812345678",
            "[BR-E-02] the SIREN as the seller's tax registration identifier",
        )
        self.assertEqual(
            tree.findtext(".//ram:PayeePartyCreditorFinancialAccount/ram:IBANID", namespaces=ns),
            "FR7630006000011234567890189",
        )
        lines = tree.findall(".//ram:IncludedSupplyChainTradeLineItem", ns)
        self.assertEqual(len(lines), len(invoice.invoice_line_ids))
        for line in lines:
            self.assertEqual(
                line.findtext(
                    "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", namespaces=ns
                ),
                "E",
            )
        (breakdown,) = tree.findall(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", ns)
        self.assertEqual(breakdown.findtext("ram:CategoryCode", namespaces=ns), "E")
        self.assertEqual(breakdown.findtext("ram:ExemptionReason", namespaces=ns), mention)
        self.assertEqual(breakdown.findtext("ram:ExemptionReasonCode", namespaces=ns), vatex)
        self.assertEqual(breakdown.findtext("ram:CalculatedAmount", namespaces=ns), "0.00")
        return xml

    def test_structure_invoice_is_a_valid_facturx(self):
        self.partnership.payer = "structure"
        self.structure.company_registry = "265 900 019 00017"
        # A session of last month, on the structure's monthly statement.
        slot = self._slot(self.partnership, datetime(2026, 10, 15, 9, 0))
        booking = self.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": self._beneficiary().id, "structure_id": self.structure.id}
        )
        booking.with_user(self.user_therapist).action_mark_seen()
        statement = self.env["psys.statement"]._psys_generate(date(2026, 10, 1), self.env.company)
        invoice = statement.filtered(lambda statement: statement.kind == "structure").move_id
        self.assertEqual(invoice.partner_id, self.structure)
        exempt = invoice.invoice_line_ids.tax_ids
        self.assertEqual(exempt.psys_vat_exemption, "art_293b")
        self.assertEqual((exempt.amount, exempt.type_tax_use), (0.0, "sale"))
        self.assertEqual(invoice.partner_bank_id, self.iban, "the company's bank account to pay to")
        self.assertEqual(invoice.amount_total, invoice.amount_untaxed)
        # Printed, the invoice reads the legal mention once, no "0 %" tax.
        html = str(self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)[0])
        self.assertEqual(html.count("TVA non applicable, art. 293 B du CGI"), 1)
        self.assertNotIn('name="th_taxes"', html)
        self.assertNotIn("o_taxes", html)
        # Issue 27, point 6: the practitioner becomes a titled psychologist
        # (art. 261-4-1°): the invoice issued under the franchise keeps its
        # one mention, without the new regime's beside it.
        self.env.company.psys_vat_exemption = "art_261"
        html = str(self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)[0])
        self.assertEqual(html.count("TVA non applicable, art. 293 B du CGI"), 1)
        self.assertNotIn("261-4-1", html)
        self.env.company.psys_vat_exemption = "art_293b"
        xml = self._assert_valid_facturx(invoice, "TVA non applicable, art. 293 B du CGI", "VATEX-FR-FRANCHISE")
        buyer = etree.fromstring(xml).find(".//{*}BuyerTradeParty/{*}SpecifiedLegalOrganization/{*}ID")
        self.assertEqual((buyer.text, buyer.get("schemeID")), ("26590001900017", "0009"), "[BT-47] the CCAS's SIRET")
        # A structure known by its SIREN only: scheme 0002.
        self.structure.company_registry = "265 900 019"
        self.assertEqual(self._buyer_identifier(invoice), ("265900019", "0002"))

    def _buyer_identifier(self, invoice):
        xml = self.env["account.edi.xml.cii"]._export_invoice(invoice)[0]
        identifier = etree.fromstring(xml).find(".//{*}BuyerTradeParty/{*}SpecifiedLegalOrganization/{*}ID")
        return identifier.text, identifier.get("schemeID")

    def test_person_invoice_is_a_valid_facturx(self):
        """A titled psychologist (art. 261-4-1°): the person's invoice."""
        self.env.company.psys_vat_exemption = "art_261"
        person = self._beneficiary(first_referrer_id=self.structure.id)
        self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "named_contact"})
        person.partner_id = self.env["res.partner"].create(
            {"name": "Nadia Lefèvre", "psys_private_contact": True, "country_id": self.env.ref("base.fr").id}
        )
        booking = self.env["psys.booking"].create(
            {"slot_id": self.slot_past.id, "beneficiary_id": person.id, "structure_id": self.structure.id}
        )
        booking.with_user(self.user_therapist).action_mark_seen()
        invoice = booking.invoice_id
        self.assertEqual(invoice.partner_id, person.partner_id)
        self.assertEqual(invoice.invoice_line_ids.tax_ids.psys_vat_exemption, "art_261")
        xml = self._assert_valid_facturx(invoice, "Exonération de TVA, article 261-4-1° du CGI", "VATEX-EU-132-1C")
        # The rules catch what Odoo alone wrote (a SIRET with its spaces under
        # the SIREN's scheme), an exempt breakdown without its reason, and
        # totals that do not add up.
        tree = etree.fromstring(xml)
        legal = tree.find(".//{*}SellerTradeParty/{*}SpecifiedLegalOrganization/{*}ID")
        legal.text, legal.attrib["schemeID"] = "812 345 678 00019", "0002"
        breakdown = tree.find(".//{*}ApplicableHeaderTradeSettlement/{*}ApplicableTradeTax")
        for reason in ("ExemptionReason", "ExemptionReasonCode"):
            breakdown.remove(breakdown.find(f"{{*}}{reason}"))
        tree.find(".//{*}GrandTotalAmount").text = "31.00"
        rules = {rule for rule, _what in en16931_violations(etree.tostring(tree))}
        self.assertEqual(rules, {"BT-30", "BR-CL-11", "BR-E-10", "BR-CO-15", "BR-CO-16"})
