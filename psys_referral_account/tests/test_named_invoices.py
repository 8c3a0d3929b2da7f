from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import PsysReferralAccountCase

ACCOUNTING_GROUPS = (
    "account.group_account_invoice",
    "account.group_account_readonly",
    "account.group_account_manager",
)


@tagged("psys_referral_account", "post_install", "-at_install")
class TestNamedInvoices(PsysReferralAccountCase):
    """An invoice that carries a person's name is for the accounting roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounting()
        cls.contact = cls.env["res.partner"].create({"name": "Nadia Secrète", "psys_private_contact": True})
        cls.person = cls._beneficiary(first_referrer_id=cls.structure.id)
        cls.env["psys.consent"].create({"beneficiary_id": cls.person.id, "scope": "named_contact"})
        cls.person.partner_id = cls.contact
        slot = cls._slot(cls.partnership, datetime.now().replace(microsecond=0, second=0) - timedelta(days=2))
        cls.booking = cls.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": cls.person.id, "structure_id": cls.structure.id}
        )
        cls.booking.with_user(cls.user_therapist).action_mark_seen()
        cls.invoice = cls.booking.invoice_id
        cls.user_billing = mail_new_test_user(cls.env, login="psys_billing", groups="account.group_account_invoice")
        cls.env.ref("base.group_allow_export").users += (
            cls.user_reception | cls.user_therapist_2 | cls.user_coordinator | cls.user_employee
        )

    def test_invoice_carries_the_name(self):
        self.assertEqual(self.invoice.partner_id, self.contact)
        self.assertEqual(self.contact.company_id, self.company)

    def test_accounting_roles_read_it(self):
        invoice = self.invoice.with_user(self.user_billing)
        self.assertEqual(invoice.read(["partner_id"])[0]["partner_id"][1], "Nadia Secrète")

    def test_other_roles_do_not(self):
        for user in (self.user_reception, self.user_therapist_2, self.user_coordinator, self.user_employee):
            moves = self.env["account.move"].with_user(user)
            invoice = self.invoice.with_user(user)
            channels = {
                "read": lambda invoice=invoice: invoice.read(["partner_id"]),
                "search": lambda moves=moves: moves.search([("partner_id.name", "ilike", "Nadia")]),
                "search_read": lambda moves=moves: moves.search_read([], ["partner_id"]),
                "read_group": lambda moves=moves: moves.read_group([], ["partner_id"], ["partner_id"]),
                "order": lambda moves=moves: moves.search([], order="partner_id"),
                "export": lambda invoice=invoice: invoice.export_data(["partner_id/name"]),
            }
            for name, call in channels.items():
                with self.subTest(user=user.login, channel=name), self.assertRaises(AccessError):
                    call()
        # The booking the desk reads shows the invoice's number, never the name.
        invoice_value = self.booking.with_user(self.user_reception).read(["invoice_id"])[0]["invoice_id"]
        self.assertNotIn("Nadia", str(invoice_value))

    def test_demo_reception_holds_no_accounting_role(self):
        user = self.env.ref("psys_base.user_reception", raise_if_not_found=False)
        if not user:
            self.skipTest("No demo data")
        for group in ACCOUNTING_GROUPS:
            with self.subTest(group=group):
                self.assertFalse(user.has_group(group))
        with self.assertRaises(AccessError):
            self.invoice.with_user(user).read(["partner_id"])

    def test_demo_volunteers_hold_no_accounting_role(self):
        """Every demo user of the psys addons but the coordinator and the
        practitioner (Billing only): the desk volunteers of psys_permanence too."""
        demo_users = self.env["res.users"].browse(
            self.env["ir.model.data"]
            .search([("model", "=", "res.users"), ("module", "=like", "psys\\_%")])
            .mapped("res_id")
        )
        if not demo_users:
            self.skipTest("No demo data")
        billing = self.env.ref("psys_base.user_coordinator") | self.env.ref("psys_base.user_practitioner")
        for user in demo_users:
            for group in ACCOUNTING_GROUPS:
                with self.subTest(user=user.login, group=group):
                    expected = user in billing and group == "account.group_account_invoice"
                    self.assertEqual(user.has_group(group), expected)

    def test_new_users_are_no_accountants(self):
        user = self.env["res.users"].create({"name": "Nouvelle bénévole", "login": "nouvelle_benevole"})
        self.assertTrue(user.has_group("base.group_user"))
        for group in ACCOUNTING_GROUPS:
            with self.subTest(group=group):
                self.assertFalse(user.has_group(group))
