"""What the migrations promise, checked on the database they ran on.

`setup/psys test` runs this module on a database of the last release
upgraded to this checkout (stage "upgrade"); the main stage runs it on a fresh
install, where the same facts must hold.
"""

import ast
import pathlib

from odoo.tests import TransactionCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock

REPO = pathlib.Path(__file__).resolve().parent.parent


@tagged("post_install", "-at_install", "psys_repo")
class TestUpgradePromises(PsysClock, TransactionCase):
    def test_installed_versions_are_the_manifests(self):
        modules = self.env["ir.module.module"].search([("name", "=like", "psys\\_%"), ("state", "=", "installed")])
        self.assertTrue(modules)
        for module in modules:
            manifest = ast.literal_eval((REPO / module.name / "__manifest__.py").read_text(encoding="utf-8"))
            with self.subTest(addon=module.name):
                self.assertEqual(module.latest_version, manifest["version"])
