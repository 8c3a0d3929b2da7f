import hashlib
import os
import stat
import tempfile
import threading
from unittest.mock import patch

from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.modules.migration import load_script
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import config

from ..models import psys_linking_mixin
from .common import PsysCase


@tagged("post_install", "-at_install", "psys")
class TestLinkingKey(PsysCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls._beneficiary(link_initials="LK", link_birth_year=1984, link_sex="f")
        cls.key = cls.person._psys_read_linking_keys()[0]

    def _lookup(self, user, initials="LK", year=1984, sex="f", lang="en_US"):
        wizard = (
            self.env["psys.beneficiary.lookup"]
            .with_user(user)
            .with_context(lang=lang)
            .create({"link_initials": initials, "link_birth_year": year, "link_sex": sex})
        )
        return wizard.action_search()

    def test_no_user_reads_the_key(self):
        self.assertTrue(self.key)
        self.assertNotIn("linking_hash", self.env["psys.beneficiary"]._fields)
        self.assertNotIn("linking_key", self.env["psys.beneficiary"]._fields)
        for user in (self.user_reception, self.user_coordinator, self.user_clinical_coordinator):
            for name in ("linking_hash", "linking_key", "linking_hash_legacy"):
                calls = [
                    ("read", [self.person.ids, [name]], {}),
                    ("search", [[(name, "=", self.key)]], {}),
                    ("search_read", [[("id", "=", self.person.id)], [name]], {}),
                    ("search_count", [[(name, "!=", False)]], {}),
                    ("read_group", [[], [name], [name]], {}),
                    ("web_read_group", [[], [name], [name]], {}),
                    ("export_data", [self.person.ids, [name]], {}),
                    ("search", [[]], {"order": name}),
                ]
                for method, args, kwargs in calls:
                    model = self.env(user=user)["psys.beneficiary"]
                    with self.subTest(user=user.login, field=name, method=method):
                        try:
                            with self.cr.savepoint():
                                result = call_kw(model, method, args, kwargs)
                        except Exception:  # pylint: disable=broad-except
                            continue
                        self.assertNotIn(self.key, str(result))
            fields = call_kw(self.env(user=user)["psys.beneficiary"], "fields_get", [], {})
            self.assertFalse([name for name in fields if name.startswith("linking")])
            person = self.person.with_user(user)
            self.assertTrue(person.has_linking_key, "only the presence of a key shows")
            self.assertNotIn(self.key, str(person.read()))

    def test_a_dump_alone_reveals_nothing(self):
        """The key needs the pepper, which is not in the database."""
        model = self.env["psys.beneficiary"]
        self.env.cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'psys_base.linking_salt'")
        salt = self.env.cr.fetchone()[0]
        # What a dump allows: the salt, and the derivation without the pepper.
        payload = b"LK|1984|f"
        self.assertNotEqual(hashlib.pbkdf2_hmac("sha256", payload, salt.encode(), 50_000).hex(), self.key)
        self.assertNotEqual(
            hashlib.scrypt(payload, salt=salt.encode(), n=2**15, r=8, p=1, maxmem=2**26, dklen=32).hex(), self.key
        )
        self.assertEqual(model._make_linking_key("LK", 1984, "f"), self.key)
        with patch.dict(config.options, {"psys_linking_pepper": "another-server"}):
            self.assertNotEqual(model._make_linking_key("LK", 1984, "f"), self.key)
        self.assertEqual(model._make_linking_key("LK", 1984, "f"), self.key)

    def test_pepper_file_created_once_private(self):
        with tempfile.TemporaryDirectory() as data_dir:
            path = os.path.join(data_dir, "psys_linking.key")
            options = dict(config.options, data_dir=data_dir)
            options.pop("psys_linking_pepper", None)
            with patch.object(config, "options", options):
                with self.assertLogs("odoo.addons.psys_base.models.psys_linking_mixin", "WARNING"):
                    first = psys_linking_mixin.get_linking_pepper()
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
                self.assertEqual(len(first), 64)
                psys_linking_mixin._pepper_cache.pop(path)
                self.assertEqual(psys_linking_mixin.get_linking_pepper(), first, "read back, not recreated")
                psys_linking_mixin._pepper_cache.pop(path)

    def test_derivation_is_memory_hard(self):
        self.assertEqual(128 * psys_linking_mixin.SCRYPT_R * psys_linking_mixin.SCRYPT_N, 32 * 1024 * 1024)
        with patch("hashlib.scrypt", wraps=hashlib.scrypt) as scrypt:
            self.env["psys.beneficiary"]._make_linking_key("AB", 1990, "m")
        self.assertEqual(scrypt.call_count, 1)
        self.assertEqual(scrypt.call_args.kwargs["n"], 2**15)

    def test_lookups_are_audited_and_rate_limited(self):
        Audit = self.env["psys.linking.audit"]
        self.assertEqual(self._lookup(self.user_reception)["res_id"], self.person.id)
        self.assertEqual(self._lookup(self.user_reception, year=1985)["domain"], [("id", "in", [])])
        rows = Audit.search([("user_id", "=", self.user_reception.id)], order="id")
        self.assertEqual(rows.mapped("found"), [True, False])
        self.assertEqual(set(rows.mapped("origin")), {"lookup"})
        # Coordinators read the audit; reception does not.
        self.assertEqual(len(rows.with_user(self.user_coordinator).read(["user_id", "date", "found"])), 2)
        with self.assertRaises(AccessError):
            rows.with_user(self.user_reception).read(["found"])
        with self.assertRaises(AccessError):
            Audit.with_user(self.user_coordinator).create({"user_id": self.user_coordinator.id, "origin": "lookup"})
        self.env["ir.config_parameter"].set_param("psys_base.linking_lookups_per_minute", "4")
        self._lookup(self.user_reception, year=1986)
        self._lookup(self.user_reception, year=1987)
        with self.assertRaisesRegex(UserError, "at most 4 a minute"):
            self._lookup(self.user_reception, year=1988)
        # Another user has their own allowance.
        self.assertEqual(self._lookup(self.user_therapist)["res_id"], self.person.id)

    def test_audit_outlives_a_failed_request(self):
        """On a server the audit row is committed in its own transaction: a
        request that fails after the lookup (nobody found) is still audited
        and counted. Done as the (committed) administrator, then cleaned."""
        admin = self.env.ref("base.user_admin")
        Beneficiary = self.env["psys.beneficiary"].with_user(admin)
        with (
            patch.object(threading.current_thread(), "testing", False),
            self.assertRaisesRegex(RuntimeError, "request fails"),
        ):
            if not Beneficiary._find_by_linking_inputs("QZ", 1950, "m"):
                raise RuntimeError("the request fails after the lookup")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM psys_linking_audit WHERE user_id = %s AND NOT found ORDER BY id DESC LIMIT 1",
                [admin.id],
            )
            row = cr.fetchone()
            self.assertTrue(row, "committed, seen from another transaction")
            cr.execute("DELETE FROM psys_linking_audit WHERE id = %s", row)
            # Its counter too: the next run has the same (frozen) minute.
            cr.execute(
                "DELETE FROM psys_rate_limit WHERE key = %s",
                [self.env["psys.rate.limit"]._psys_key("lookup", admin.id)],
            )

    def test_lookup_one_at_a_time(self):
        with self.assertRaisesRegex(UserError, "one person at a time"):
            self.env["psys.beneficiary.lookup"].with_user(self.user_reception).create(
                [{"link_initials": "AA", "link_birth_year": 1980 + year, "link_sex": "f"} for year in range(3)]
            )
        # A key is compared once: the same form cannot be replayed.
        wizard = (
            self.env["psys.beneficiary.lookup"]
            .with_user(self.user_reception)
            .create({"link_initials": "LK", "link_birth_year": 1984, "link_sex": "f"})
        )
        self.assertEqual(wizard.action_search()["res_id"], self.person.id)
        with self.assertRaisesRegex(UserError, "Give a code"):
            wizard.action_search()
        # Nor can somebody else's form be used.
        other = (
            self.env["psys.beneficiary.lookup"]
            .with_user(self.user_therapist)
            .create({"link_initials": "LK", "link_birth_year": 1984, "link_sex": "f"})
        )
        with self.assertRaises(AccessError):
            other.with_user(self.user_reception).action_search()

    def test_form_lookup_finds_in_french(self):
        lookup = Form(self.env["psys.beneficiary.lookup"].with_user(self.user_reception).with_context(lang="fr_FR"))
        lookup.link_initials = "l.k."
        lookup.link_birth_year = "1984"
        lookup.link_sex = "f"
        self.assertEqual(lookup.save().action_search()["res_id"], self.person.id)
        self.env["ir.config_parameter"].set_param("psys_base.linking_lookups_per_minute", "1")
        with self.assertRaisesRegex(UserError, "Trop de recherches"):
            self._lookup(self.user_reception, lang="fr_FR")

    def test_keys_of_the_last_release_still_recognise(self):
        """Migration: an 18.0.1.0.0 key is wrapped with the pepper, found by
        the re-typed inputs, and replaced by a new key then."""
        old = self._beneficiary()
        payload = b"OL|1970|m"
        salt = self.env["psys.beneficiary"]._get_linking_salt().encode()
        old_key = hashlib.pbkdf2_hmac("sha256", payload, salt, 50_000).hex()
        self.env.cr.execute("ALTER TABLE psys_beneficiary ADD COLUMN IF NOT EXISTS linking_key varchar")
        self.env.cr.execute("UPDATE psys_beneficiary SET linking_key = %s WHERE id = %s", [old_key, old.id])
        migration = load_script("psys_base/migrations/18.0.1.1.0/post-linking-key.py", "psys_post_linking_key")
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.cr.execute(
            "SELECT linking_key, linking_hash, linking_hash_legacy FROM psys_beneficiary WHERE id = %s", [old.id]
        )
        kept, new, legacy = self.env.cr.fetchone()
        self.assertFalse(kept or new)
        self.assertTrue(legacy)
        self.assertNotIn(old_key, legacy, "the old key is not readable in a dump")
        self.assertTrue(old.has_linking_key)
        found = self.env["psys.beneficiary"].with_user(self.user_reception)._find_by_linking_inputs("OL", 1970, "m")
        self.assertEqual(found, old)
        self.assertEqual(
            old._psys_read_linking_keys(), (self.env["psys.beneficiary"]._make_linking_key("OL", 1970, "m"), None)
        )


@tagged("post_install", "-at_install", "psys")
class TestLinkingKeyHttp(HttpCase, PsysCase):
    def test_the_key_never_leaves_the_server(self):
        person = self._beneficiary(link_initials="HT", link_birth_year=1977, link_sex="m")
        key = person._psys_read_linking_keys()[0]
        self.env.flush_all()
        for login in ("psys_reception", "psys_coordinator"):
            self.authenticate(login, login)
            for method, args, kwargs in (
                ("search_read", [[("id", "=", person.id)], ["linking_hash"]], {}),
                ("web_search_read", [[("id", "=", person.id)], {"linking_hash": {}}], {}),
                ("read", [person.ids, ["linking_hash_legacy"]], {}),
                ("search_count", [[("linking_hash", "=", key)]], {}),
                ("read_group", [[], ["linking_hash"], ["linking_hash"]], {}),
            ):
                with self.subTest(login=login, method=method), self.assertRaises(JsonRpcException):
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw",
                        {"model": "psys.beneficiary", "method": method, "args": args, "kwargs": kwargs},
                    )
            record = self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {"model": "psys.beneficiary", "method": "read", "args": [person.ids], "kwargs": {}},
            )
            self.assertNotIn(key, str(record))
            self.assertTrue(record[0]["has_linking_key"])
        # A lookup over HTTP finds the person without sending the key.
        self.authenticate("psys_reception", "psys_reception")
        wizard_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "psys.beneficiary.lookup",
                "method": "create",
                "args": [{"link_initials": "HT", "link_birth_year": "1977", "link_sex": "m"}],
                "kwargs": {},
            },
        )
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {"model": "psys.beneficiary.lookup", "method": "action_search", "args": [wizard_id], "kwargs": {}},
        )
        self.assertEqual(action["res_id"], person.id)
        self.assertNotIn(key, str(action))
