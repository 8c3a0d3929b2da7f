"""`setup/psys doctor` (setup/doctor.py) on the test database: what it finds
missing there (a demo, served by one process without a proxy), and each
finding turning to ok once the deployment provides it (in this transaction:
the doctor reads through the test's cursor)."""

import datetime
import importlib.util
import os
import pathlib
import tempfile

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from odoo.addons.psys_base.tests.common import PsysClock

REPO = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("psys_doctor", REPO / "setup" / "doctor.py")
doctor = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(doctor)


@tagged("post_install", "-at_install", "psys_repo")
class TestDoctor(PsysClock, TransactionCase):
    def setUp(self):
        super().setUp()
        self.backups = tempfile.TemporaryDirectory()
        self.addCleanup(self.backups.cleanup)
        self.now = fields.Datetime.now()

    def _findings(self, conf=None):
        self.env.flush_all()
        result = doctor.findings(
            conf or config.rcfile, self.env.cr.dbname, backups=self.backups.name, cr=self.env.cr, now=self.now
        )
        self.env.invalidate_all()
        return {item["check"]: item for item in result}

    def _conf(self, directory, **options):
        path = pathlib.Path(directory) / "odoo.conf"
        lines = ["[options]"] + [f"{key} = {value}" for key, value in options.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    def test_what_the_test_database_lacks(self):
        found = self._findings()
        for item in found.values():
            self.assertTrue(item["fr"] and item["en"] and item["fr"] != item["en"], item)
        # The test configuration of setup/psys: one process, no proxy, no dbfilter.
        self.assertFalse(found["workers"]["ok"])
        self.assertFalse(found["proxy_mode"]["ok"])
        self.assertIn("proxy_mode", found["proxy_mode"]["en"])
        self.assertFalse(found["database list"]["ok"])
        # The demo: its data, the admin user's password "admin", no master password.
        self.assertFalse(found["demo data"]["ok"])
        self.assertFalse(found["admin password"]["ok"])
        self.assertFalse(found["master password"]["ok"])
        self.assertFalse(found["backup"]["ok"])
        # What setup/psys gives every database: the secret, mode 0600.
        self.assertTrue(found["linking secret"]["ok"], found["linking secret"])
        self.assertTrue(found["retention"]["ok"])
        self.assertIn("24", found["retention"]["fr"])

    def test_each_finding_turns_ok(self):
        self.env.ref("base.user_admin").password = "un mot de passe qui n'est pas admin"
        self.env["ir.mail_server"].create({"name": "Relais", "smtp_host": "smtp.example.org"})
        self.env["iap.account"].create(
            {"service_id": self.env.ref("sms.iap_service_sms").id, "account_token": "t" * 32, "state": "registered"}
        )
        backup_set = pathlib.Path(self.backups.name) / f"{self.env.cr.dbname}-20261104T020000Z"
        backup_set.mkdir()
        (backup_set / "SHA256SUMS").write_text("", encoding="utf-8")
        recent = self.now.replace(tzinfo=datetime.UTC).timestamp() - 3 * 3600
        os.utime(backup_set / "SHA256SUMS", (recent, recent))
        self.env["ir.cron"].search([("ir_actions_server_id.model_id.model", "like", "psys.%")]).nextcall = self.now
        found = self._findings()
        for check in ("admin password", "outgoing mail", "sms account", "backup", "cron jobs"):
            self.assertTrue(found[check]["ok"], found[check])
        self.assertIn("il y a 3 h", found["backup"]["fr"])

        with tempfile.TemporaryDirectory() as directory:
            conf = self._conf(
                directory,
                workers=2,
                proxy_mode=True,
                list_db=False,
                dbfilter="^psys$",
                admin_passwd=doctor.CRYPT.hash("generated"),
                psys_linking_pepper="x" * 64,
            )
            found = self._findings(conf)
        for check in ("workers", "proxy_mode", "database list", "master password", "linking secret"):
            self.assertTrue(found[check]["ok"], found[check])

    def test_what_goes_wrong_is_named(self):
        old = self.now.replace(tzinfo=datetime.UTC).timestamp() - 30 * 3600
        backup_set = pathlib.Path(self.backups.name) / f"{self.env.cr.dbname}-20261103T000000Z"
        backup_set.mkdir()
        (backup_set / "SHA256SUMS").write_text("", encoding="utf-8")
        os.utime(backup_set / "SHA256SUMS", (old, old))
        purge = self.env.ref("psys_base.ir_cron_psys_anonymise_inactive")
        purge.nextcall = self.now - datetime.timedelta(hours=2)
        statements = self.env.ref("psys_referral_account.ir_cron_psys_monthly_statements", raise_if_not_found=False)
        if statements:
            statements.active = False
        self.env.company.psys_retention_months = 0
        found = self._findings()
        self.assertFalse(found["backup"]["ok"])
        self.assertIn("older than a day", found["backup"]["en"])
        self.assertFalse(found["cron jobs"]["ok"])
        self.assertIn("ir_cron_psys_anonymise_inactive", found["cron jobs"]["en"])
        if statements:
            self.assertIn("ir_cron_psys_monthly_statements (inactive)", found["cron jobs"]["en"])
        self.assertFalse(found["retention"]["ok"])
        self.assertIn(self.env.company.name, found["retention"]["en"])

        with tempfile.TemporaryDirectory() as directory:
            key = pathlib.Path(directory) / "psys_linking.key"
            conf = self._conf(directory, data_dir=directory, proxy_mode=True)
            self.assertFalse(self._findings(conf)["linking secret"]["ok"], "missing")
            key.write_text("secret\n", encoding="utf-8")
            key.chmod(0o644)
            found = self._findings(conf)
            self.assertFalse(found["linking secret"]["ok"])
            self.assertIn("0600", found["linking secret"]["en"])
            key.chmod(0o600)
            self.assertTrue(self._findings(conf)["linking secret"]["ok"])
