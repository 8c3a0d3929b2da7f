"""People's data (issue "Trust, second pass", holes 12, 14, 16, 17 and 18),
each tried as the role over ``/web/dataset/call_kw`` or the portal's HTTP
routes: what a structure, a therapist or a coordinator reads of a person,
and what the public invitation page writes."""

import json
import re
from datetime import datetime, timedelta
from unittest.mock import patch

from lxml import html

from odoo.http import Request
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, config, html2plaintext, mute_logger

from odoo.addons.base.models.ir_mail_server import IrMailServer
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_referral.models import psys_invitation
from odoo.addons.psys_referral_account.tests.common import PsysReferralAccountCase
from odoo.addons.sms.tools.sms_api import SmsApi

ACCESS_ERROR = "odoo.exceptions.AccessError"
# What a clear invitation link looks like, wherever it is stored.
CLEAR_LINK = re.compile(r"/rdv/[A-Za-z0-9_-]{43}")
MAX_PER_ADDRESS_TOKEN = psys_invitation.MAX_PER_ADDRESS_TOKEN
MAX_UNKNOWN_PER_ADDRESS = psys_invitation.MAX_UNKNOWN_PER_ADDRESS


class CallKwMixin:
    def _call(self, login, model, method, args, kwargs=None):
        """(result, error name) of a JSON-RPC call_kw as ``login``."""
        self.authenticate(login, login)
        payload = {
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            "/web/dataset/call_kw", data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        error = body.get("error")
        return body.get("result"), error and error["data"]["name"]

    def assertRefused(self, login, model, method, args, kwargs=None, error=ACCESS_ERROR):
        result, name = self._call(login, model, method, args, kwargs)
        self.assertEqual(name, error, f"{login} {model}.{method}{args!r}: {result!r}")


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestPeopleData(CallKwMixin, HttpCase, PsysReferralAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Nadia, named to the CCAS with her consent (first name, phone, e-mail, reminders).
        cls.named = cls.env["psys.booking"]._psys_portal_book(
            cls.user_portal,
            cls.slot.id,
            cls._book_values(first_name="Nadia", phone="06 12 34 56 78", email="nadia@example.com", consent="1"),
        )
        cls.person = cls.named.beneficiary_id

    def _slip_text(self, booking):
        response = self.url_open(f"/my/psys/bookings/{booking.id}/slip")
        self.assertEqual(response.status_code, 200)
        # The test server gives the report's HTML (Odoo's test-mode shortcut).
        return html2plaintext(response.content.decode())

    # Hole 12 ---------------------------------------------------------------

    def test_slip_names_the_person_only_to_the_structure_she_consented_to(self):
        """The Mission Locale books Nadia too: its slip shows her code, never
        the first name she gave the CCAS."""
        other = self.env["psys.booking"].create(
            {
                "slot_id": self.slot_b.id,
                "beneficiary_id": self.person.id,
                "structure_id": self.structure_b.id,
                "booked_by_id": self.user_portal_b.id,
            }
        )
        self.authenticate("psys_portal_b", "psys_portal_b")
        text = self._slip_text(other)
        self.assertNotIn("Nadia", text)
        self.assertIn(self.person.code, text)
        self.authenticate("psys_portal", "psys_portal")
        text = self._slip_text(self.named)
        self.assertIn("Nadia", text)
        self.assertIn(self.person.code, text)
        # Her consent withdrawn, the CCAS's slip no longer names her either.
        self.person.consent_ids.filtered(
            lambda consent: consent.scope == "named_contact"
        ).withdrawn_date = datetime.now().date()
        self.assertNotIn("Nadia", self._slip_text(self.named))

    # Hole 14 ---------------------------------------------------------------

    def test_purged_invoice_contact_is_for_accounting_roles_and_no_sms_keeps_the_number(self):
        self._setup_accounting()
        accountant = mail_new_test_user(
            self.env, login="psys_accountant", groups="base.group_user,account.group_account_invoice"
        )
        contact = self.env["res.partner"].create(
            {"name": "Nadia Zerbinatti", "phone": "0611223344", "psys_private_contact": True}
        )
        person = self._beneficiary(first_referrer_id=self.structure.id)
        self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "named_contact"})
        person.partner_id = contact
        slot = self._slot(self.partnership, datetime.now().replace(microsecond=0, second=0) - timedelta(days=3))
        booking = self.env["psys.booking"].create(
            {"slot_id": slot.id, "beneficiary_id": person.id, "structure_id": self.structure.id}
        )
        booking.with_user(self.user_therapist).action_mark_seen()
        booking.invoice_id.action_post()
        # A reminder waiting in the SMS queue, and one that failed.
        Sms = self.env["sms.sms"]
        Sms.create({"number": "+33611223344", "body": "Rappel", "partner_id": contact.id})
        Sms.create({"number": "+33611223344", "body": "Rappel", "state": "error"})
        person._psys_anonymise()
        self.env.flush_all()
        self.assertTrue(contact.psys_retain_until, "kept for the invoice")
        for login in ("psys_therapist", "psys_coordinator", "psys_reception", "psys_employee"):
            self.assertRefused(login, "res.partner", "read", [contact.ids, ["name"]])
            result, error = self._call(
                login,
                "res.partner",
                "search_read",
                [[("id", "=", contact.id)], ["name"]],
                {"context": {"active_test": False}},
            )
            self.assertFalse(error)
            self.assertEqual(result, [], login)
        result, error = self._call(accountant.login, "res.partner", "read", [contact.ids, ["name"]])
        self.assertFalse(error)
        self.assertEqual(result[0]["name"], "Nadia Zerbinatti")
        # Nor does a user hide a named contact from the team that way.
        named = self.person.partner_id
        self.assertRefused("psys_therapist", "res.partner", "write", [named.ids, {"psys_retain_until": "2036-12-31"}])
        self.assertFalse(named.psys_retain_until)
        self.env.cr.execute(
            "SELECT count(*) FROM sms_sms WHERE number LIKE %s OR partner_id = %s", ["%611223344", contact.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "no SMS keeps the number")

    # Hole 16 ---------------------------------------------------------------

    def _stored_links(self, token):
        found = {}
        for table, column in (("mail_message", "body"), ("mail_mail", "body_html"), ("sms_sms", "body")):
            self.env.cr.execute(
                SQL(
                    "SELECT count(*) FROM %s WHERE %s::text LIKE %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    f"%{token}%",
                )
            )
            found[table] = self.env.cr.fetchone()[0]
        return found

    @mute_logger("odoo.addons.mail.models.mail_mail", "odoo.addons.sms.models.sms_sms")
    def test_no_message_keeps_a_clear_invitation_link(self):
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open(
            "/my/psys/invite",
            data={
                "partnership_id": self.partnership.id,
                "beneficiary_id": self.person.id,
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(page.status_code, 200)
        token = html.fromstring(page.text).find_class("o_psys_invite_link")[0].get("value").rsplit("/", 1)[1]
        invitation = self.env["psys.invitation"].search([("beneficiary_id", "=", self.person.id)])
        self.assertEqual(len(invitation), 1)
        # The chatter copy, read by a coordinator, never held the link.
        result, error = self._call(
            "psys_coordinator",
            "mail.message",
            "search_read",
            [[("model", "=", "psys.invitation"), ("res_id", "=", invitation.id)], ["body"]],
        )
        self.assertFalse(error)
        self.assertTrue(result)
        for message in result:
            self.assertNotIn(token, message["body"])
        # Sending fails (mail server down, SMS provider refusing): nothing keeps it.
        mails = self.env["mail.mail"].search([("model", "=", "psys.invitation"), ("res_id", "=", invitation.id)])
        sms = self.env["sms.sms"].search([("partner_id", "=", self.person.partner_id.id)])
        self.assertTrue(mails and sms)
        with patch.object(IrMailServer, "send_email", side_effect=ConnectionRefusedError("down")):
            mails.send()
        with patch.object(SmsApi, "_send_sms_batch", side_effect=ConnectionRefusedError("down")):
            sms.send(unlink_failed=False)
        self.env.flush_all()
        self.assertEqual(set(mails.exists().mapped("state")), {"exception"})
        self.assertEqual(set(sms.exists().mapped("state")), {"error"})
        self.assertEqual(self._stored_links(token), {"mail_message": 0, "mail_mail": 0, "sms_sms": 0})
        self.env.cr.execute(
            "SELECT count(*) FROM mail_mail WHERE body_html LIKE %s AND id IN %s", ["%/rdv/%", tuple(mails.ids)]
        )
        self.assertTrue(self.env.cr.fetchone()[0], "the failed e-mail still says a link was sent")

    def test_a_sent_invitation_keeps_no_clear_link(self):
        _invitation, url = (
            self.env["psys.invitation"].sudo()._psys_create_invitation(self.partnership, self.person, self.user_portal)
        )
        _invitation._psys_send(url)
        token = url.rsplit("/", 1)[1]
        mails = self.env["mail.mail"].search([("model", "=", "psys.invitation"), ("res_id", "=", _invitation.id)])
        sms = self.env["sms.sms"].search([("partner_id", "=", self.person.partner_id.id)])
        sent = []
        with patch.object(
            IrMailServer, "send_email", lambda server, message, *a, **k: sent.append(message.as_string()) or "<id@x>"
        ):
            mails.send()
        with patch.object(
            SmsApi,
            "_send_sms_batch",
            lambda api, messages, **kw: sent.extend(m["content"] for m in messages)
            or [{"uuid": s.uuid, "state": "success"} for s in sms],
        ):
            sms.send()
        self.env.flush_all()
        self.assertTrue(any(token in text for text in sent), "the person got the link")
        self.assertEqual(self._stored_links(token), {"mail_message": 0, "mail_mail": 0, "sms_sms": 0})

    # Hole 17 ---------------------------------------------------------------

    def test_portal_reads_no_price_invoice_nor_encounter_of_its_bookings(self):
        booking = self.named
        booking.sudo().write({"price": 30.0, "tariff": "preferential"})
        for name in (
            "price",
            "tariff",
            "invoice_id",
            "invoice_line_id",
            "statement_id",
            "encounter_id",
            "session_number",
        ):
            self.assertRefused("psys_portal", "psys.booking", "read", [booking.ids, [name]])
            self.assertRefused("psys_portal", "psys.booking", "search_read", [[("id", "=", booking.id)], [name]])
            self.assertRefused("psys_portal", "psys.booking", "search_count", [[(name, "!=", False)]])
        self.assertRefused("psys_portal", "psys.booking", "read_group", [[], ["price:sum"], ["structure_id"]])
        self.assertRefused("psys_portal", "psys.booking", "read_group", [[], ["structure_id"], ["tariff"]])
        self.assertRefused("psys_portal", "psys.booking", "search", [[]], {"order": "price desc"})
        # What the portal pages show still reads.
        result, error = self._call("psys_portal", "psys.booking", "search_read", [[("id", "=", booking.id)]])
        self.assertFalse(error)
        self.assertEqual(result[0]["state"], "booked")
        self.assertFalse(
            {"price", "tariff", "invoice_id", "statement_id", "encounter_id", "session_number"} & set(result[0])
        )
        # The back office still reads them.
        result, error = self._call("psys_therapist", "psys.booking", "read", [booking.ids, ["price", "tariff"]])
        self.assertFalse(error)
        self.assertEqual(result[0]["price"], 30.0)

    # Hole 18 ---------------------------------------------------------------

    def _invite(self):
        invitation, url = (
            self.env["psys.invitation"].sudo()._psys_create_invitation(self.partnership, self.person, self.user_portal)
        )
        return invitation, url.rsplit("/", 1)[1]

    def _log_count(self):
        self.env.cr.execute("SELECT count(*) FROM psys_invitation_log")
        return self.env.cr.fetchone()[0]

    def test_refused_links_write_no_row_and_lock_no_other_link(self):
        self.authenticate(None, None)
        invitation, token = self._invite()
        before = self._log_count()
        # Forged links from one address, far beyond the limit: no row at all...
        statuses = set()
        for index in range(MAX_UNKNOWN_PER_ADDRESS + 5):
            forged = f"{index:043d}"
            statuses.add(self.url_open(f"/rdv/{forged}").status_code)
        self.assertEqual(statuses, {404, 429})
        self.assertEqual(self._log_count(), before, "a refused request writes no row")
        # ...and this address still opens a real link.
        page = self.url_open(f"/rdv/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(invitation.log_ids.mapped("event"), ["view"])
        # A used or expired link: refused, without a row.
        invitation.sudo().write({"state": "cancelled"})
        self.env.flush_all()
        before = self._log_count()
        self.assertEqual(self.url_open(f"/rdv/{token}").status_code, 410)
        self.assertEqual(self._log_count(), before)

    def test_limits_are_per_address_and_link_behind_a_proxy(self):
        self.authenticate(None, None)
        invitation, token = self._invite()

        def open_from(address):
            headers = {"X-Forwarded-For": address, "X-Forwarded-Host": "psys.example.org"}
            return self.url_open(f"/rdv/{token}", headers=headers).status_code

        with patch.dict(config.options, {"proxy_mode": True}):
            statuses = [open_from("203.0.113.7") for _index in range(MAX_PER_ADDRESS_TOKEN + 2)]
            self.assertEqual(statuses, [200] * MAX_PER_ADDRESS_TOKEN + [429, 429])
            # Another person behind the same proxy, with her own address, still opens it.
            self.assertEqual(open_from("198.51.100.9"), 200)
        logs = invitation.log_ids
        self.assertEqual(len(logs), MAX_PER_ADDRESS_TOKEN + 1, "the refused requests wrote no row")
        self.assertEqual(set(logs.mapped("address")), {"203.0.113.7", "198.51.100.9"})
