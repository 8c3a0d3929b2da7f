from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock


@tagged("psys_referral", "post_install", "-at_install")
class TestNoAccounting(PsysClock, TransactionCase):
    """An association that never invoices installs no accounting: the
    invoicing is psys_referral_account's, installed with Odoo's accounting."""

    def test_depends_on_no_accounting_module(self):
        closure, todo = set(), ["psys_referral"]
        while todo:
            name = todo.pop()
            if name not in closure:
                closure.add(name)
                todo += get_manifest(name)["depends"]
        self.assertNotIn("account", closure)
        self.assertNotIn("psys_referral_account", closure)

    def test_installed_alone_without_accounting(self):
        """Where psys_referral_account is not installed (psys_referral alone,
        the "alone" stage), nor is any accounting module."""
        installed = set(self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
        self.assertIn("psys_referral", installed)
        if "psys_referral_account" in installed:
            self.skipTest("accounting installed with psys_referral_account: checked in the alone stage")
        self.assertFalse({name for name in installed if name == "account" or name.startswith("account_")})
