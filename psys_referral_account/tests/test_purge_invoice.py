import os
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import PsysReferralAccountCase

NAME = "Nadia Zerbinatti"
PHONE = "0611223344"
EMAIL = "nadia.zerbinatti@example.com"


@tagged("psys_referral_account", "post_install", "-at_install")
class TestPurgeInvoice(PsysReferralAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounting()
        cls.company.psys_retention_months = 24
        cls.user_accountant = mail_new_test_user(
            cls.env, login="psys_accountant", groups="base.group_user,account.group_account_invoice"
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": NAME, "phone": PHONE, "email": EMAIL, "city": "Tulle", "psys_private_contact": True}
        )
        cls.person = cls._beneficiary(first_referrer_id=cls.structure.id)
        cls.env["psys.consent"].create({"beneficiary_id": cls.person.id, "scope": "named_contact"})
        cls.person.partner_id = cls.contact
        slot = cls._slot(cls.partnership, datetime.now().replace(microsecond=0, second=0) - timedelta(days=3))
        booking = cls.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": cls.person.id, "structure_id": cls.structure.id}
        )
        booking.with_user(cls.user_therapist).action_mark_seen()
        cls.invoice = booking.invoice_id
        cls.invoice.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoice.ids
        ).create({"journal_id": cls.cash_journal.id})._create_payments()
        # Sent by e-mail, as the invoicing user does it: the PDF is generated
        # and kept on the invoice, a copy goes with the message.
        cls.env["account.move.send"]._generate_and_send_invoices(cls.invoice, sending_methods=["email"])
        # ...and one e-mail still in the outgoing queue.
        cls.env["mail.mail"].create(
            {
                "model": "account.move",
                "res_id": cls.invoice.id,
                "subject": f"Relance {NAME}",
                "body_html": f"<p>Bonjour {NAME}, {PHONE}</p>",
                "email_to": EMAIL,
                "recipient_ids": [(6, 0, cls.contact.ids)],
                "attachment_ids": [
                    (
                        0,
                        0,
                        {"name": "relance.txt", "raw": f"{NAME} {PHONE}".encode(), "res_model": "mail.compose.message"},
                    )
                ],
            }
        )
        cls.env.flush_all()

    def _named_rows(self):
        """Rows of mail_message, mail_mail and ir_attachment naming the person."""
        found = {}
        for table, columns in (
            ("mail_message", ["body::text", "subject", "email_from", "record_name"]),
            ("mail_mail", ["body_html", "email_to", "email_cc"]),
            ("ir_attachment", ["name", "description", "index_content"]),
        ):
            ids = set()
            for value in (NAME, PHONE, EMAIL):
                conditions = SQL(" OR ").join(SQL("%s ILIKE %s", SQL(column), f"%{value}%") for column in columns)
                self.env.cr.execute(SQL("SELECT id FROM %s WHERE %s", SQL.identifier(table), conditions))
                ids |= {row[0] for row in self.env.cr.fetchall()}
            found[table] = ids
        # Attachments whose content names the person (in the database or in the filestore).
        Attachment = self.env["ir.attachment"].sudo().with_context(active_test=False)
        found["files"] = {}
        for attachment in Attachment.search([("id", "!=", 0)]):
            raw = attachment.raw or b""
            if any(value.encode() in raw for value in (NAME, PHONE, EMAIL)):
                found["ir_attachment"].add(attachment.id)
                if attachment.store_fname:
                    found["files"][attachment.id] = attachment._full_path(attachment.store_fname)
        return found

    def test_purge_keeps_the_invoice_and_forgets_the_rest(self):
        pdf = self.invoice.invoice_pdf_report_id
        self.assertTrue(pdf, "the invoice PDF is kept on the invoice")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        before = self._named_rows()
        self.assertTrue(before["mail_message"], "the e-mail names the person")
        self.assertTrue(before["mail_mail"], "an e-mail is queued")
        self.assertGreater(len(before["ir_attachment"]), 1, "the PDF and copies name the person")
        copies = {
            attachment_id: path
            for attachment_id, path in before["files"].items()
            if attachment_id != pdf.id and path != pdf._full_path(pdf.store_fname)
        }
        self.assertTrue(copies, "a file of its own names the person")

        self.person._psys_anonymise()
        self.env.flush_all()
        self.env["ir.attachment"]._gc_file_store_unsafe()  # what the purge's post-commit collection runs

        after = self._named_rows()
        self.assertFalse(after["mail_message"])
        self.assertFalse(after["mail_mail"])
        self.assertEqual(after["ir_attachment"], set(pdf.ids), "only the invoice PDF names the person")
        for path in copies.values():
            self.assertFalse(os.path.exists(path), path)
        self.assertTrue(os.path.exists(pdf._full_path(pdf.store_fname)))
        # The invoice is as issued.
        self.assertEqual(self.invoice.partner_id, self.contact)
        self.assertEqual(self.contact.name, NAME)
        self.assertEqual(self.invoice.invoice_partner_display_name, NAME)
        self.assertEqual(self.invoice.state, "posted")
        self.assertEqual(self.invoice.invoice_pdf_report_id, pdf)
        self.assertIn(NAME.encode(), pdf.raw)
        # The contact is out of sight, without phone nor e-mail.
        self.assertFalse(self.contact.active)
        self.assertFalse(self.contact.phone or self.contact.email)
        self.assertEqual(str(self.contact.psys_retain_until), "2036-12-31")
        self.assertFalse(self.person.partner_id)
        self.assertFalse(self.env["mail.followers"].search([("partner_id", "=", self.contact.id)]))
        # Readable by accounting roles only.
        for user in (self.user_reception, self.user_therapist, self.user_coordinator, self.user_employee):
            with self.assertRaises(AccessError):
                self.invoice.with_user(user).read(["partner_id"])
            with self.assertRaises(AccessError):
                pdf.with_user(user).read(["raw"])
        self.assertEqual(self.invoice.with_user(self.user_accountant).invoice_partner_display_name, NAME)
        self.assertIn(NAME.encode(), pdf.with_user(self.user_accountant).raw)

        # Ten years after the close of its fiscal year, they go too.
        pdf_path = pdf._full_path(pdf.store_fname)
        with freeze_time("2036-12-31"):
            self.env["psys.beneficiary"]._cron_anonymise_inactive()
            self.assertTrue(pdf.exists())
        with freeze_time("2037-01-02"):
            self.env["psys.beneficiary"]._cron_anonymise_inactive()
        self.env.flush_all()
        self.env["ir.attachment"]._gc_file_store_unsafe()
        self.assertFalse(pdf.exists())
        self.assertFalse(os.path.exists(pdf_path))
        self.assertNotIn("Zerbinatti", self.contact.name)
        self.assertFalse(self.contact.city)
        self.assertFalse(self.contact.psys_retain_until)
        self.assertNotIn("Zerbinatti", self.invoice.invoice_partner_display_name or "")
        final = self._named_rows()
        self.assertFalse(final["mail_message"] or final["mail_mail"] or final["ir_attachment"])
        self.env.cr.execute("SELECT count(*) FROM res_partner WHERE name ILIKE %s", ["%Zerbinatti%"])
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(self.invoice.state, "posted", "the ledger keeps its entries")
