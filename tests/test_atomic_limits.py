"""Atomic limits (issue "Trust, second pass", holes 13 and 18), proved for
real: the data is committed, a served database answers requests sent at once
from threads, each with its own HTTP session and so its own cursor. N
parallel requests get at most the limit."""

import secrets
import threading

import requests

from odoo.tests import HOST, get_db_name, new_test_user, tagged
from odoo.tools import config

from odoo.addons.psys_base.models.psys_linking_audit import DEFAULT_LOOKUPS_PER_MINUTE
from odoo.addons.psys_referral.models import psys_invitation
from odoo.addons.psys_referral.tests.common import PsysRaceCase

MAX_PER_ADDRESS_TOKEN = psys_invitation.MAX_PER_ADDRESS_TOKEN
SENT_AT_ONCE = 20


def base_url():
    return f"http://{HOST}:{config['http_port']}"


def at_once(count, send):
    """``send(index)`` from ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait(30)
        try:
            results[index] = send(index)
        except Exception as error:  # the test reads what went wrong
            results[index] = repr(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestAtomicLimits(PsysRaceCase):
    def _race_setup(self, env):
        login = f"psys_race_{secrets.token_hex(4)}"
        user = new_test_user(env, login=login, password=login, groups="psys_base.group_psys_reception")
        ids = self._race_slot(env, login)
        beneficiary = env["psys.beneficiary"].create({"age_bracket": "26_39", "gender": "female"})
        invitation, url = env["psys.invitation"]._psys_create_invitation(
            env["psys.partnership"].browse(ids["partnership"]), beneficiary, env.user
        )
        return dict(
            ids,
            user=user.id,
            login=login,
            beneficiary=beneficiary.id,
            invitation=invitation.id,
            token=url.rsplit("/", 1)[1],
        )

    def _race_cleanup(self, env):
        env["psys.invitation"].browse(self.ids["invitation"]).unlink()
        self._race_slot_cleanup(env)
        env["psys.referral"].search([("beneficiary_id", "=", self.ids["beneficiary"])]).unlink()
        env["psys.beneficiary"].browse(self.ids["beneficiary"]).unlink()
        env["psys.linking.audit"].search([("user_id", "=", self.ids["user"])]).unlink()
        env["psys.beneficiary.lookup"].search([("create_uid", "=", self.ids["user"])]).unlink()
        Limit = env["psys.rate.limit"]
        keys = [
            Limit._psys_key("lookup", self.ids["user"]),
            Limit._psys_key("invitation", HOST, self.ids["invitation"]),
            Limit._psys_key("invitation", self.ids["invitation"]),
        ]
        Limit.search([("key", "in", keys)]).unlink()
        user = env["res.users"].browse(self.ids["user"])
        partner = user.partner_id
        user.unlink()
        partner.unlink()

    def _session(self):
        session = requests.Session()
        response = session.post(
            f"{base_url()}/web/session/authenticate",
            json={"params": {"db": get_db_name(), "login": self.ids["login"], "password": self.ids["login"]}},
            timeout=60,
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json().get("error"))
        return session

    @staticmethod
    def _call(session, model, method, args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": {}},
        }
        body = session.post(f"{base_url()}/web/dataset/call_kw", json=payload, timeout=120).json()
        return body.get("result"), body.get("error") and body["error"]["data"]["message"]

    def test_lookups_sent_at_once_get_the_limit(self):
        """Hole 13: twenty lookups by initials, birth year and sex sent at once
        by one reception user; ten are answered."""
        session = self._session()
        wizards = []
        for index in range(SENT_AT_ONCE):
            wizard_id, error = self._call(
                session,
                "psys.beneficiary.lookup",
                "create",
                [{"link_initials": "ZQ", "link_birth_year": 1930 + index, "link_sex": "m"}],
            )
            self.assertFalse(error)
            wizards.append(wizard_id)
        results = at_once(
            SENT_AT_ONCE,
            lambda index: self._call(session, "psys.beneficiary.lookup", "action_search", [[wizards[index]]]),
        )
        answered = [result for result, error in results if result]
        refused = [error for result, error in results if error]
        self.assertEqual(len(answered), DEFAULT_LOOKUPS_PER_MINUTE, results)
        self.assertEqual(len(refused), SENT_AT_ONCE - DEFAULT_LOOKUPS_PER_MINUTE, results)
        self.assertTrue(all(str(DEFAULT_LOOKUPS_PER_MINUTE) in error for error in refused), refused)
        with self.committed_env() as env:
            audits = env["psys.linking.audit"].search([("user_id", "=", self.ids["user"])])
            self.assertEqual(len(audits.filtered(lambda audit: not audit.refused)), DEFAULT_LOOKUPS_PER_MINUTE)
            self.assertLessEqual(len(audits.filtered("refused")), 1, "refused lookups leave one trace at most")

    def test_invitation_link_opened_at_once_gets_the_limit(self):
        """Hole 18: thirty requests on one link from one address at once; the
        limit of that address and link is answered, the rest refused without
        a row."""
        url = f"{base_url()}/rdv/{self.ids['token']}"
        count = 3 * MAX_PER_ADDRESS_TOKEN
        statuses = at_once(count, lambda index: requests.get(url, timeout=120).status_code)
        self.assertEqual(statuses.count(200), MAX_PER_ADDRESS_TOKEN, statuses)
        self.assertEqual(statuses.count(429), count - MAX_PER_ADDRESS_TOKEN, statuses)
        with self.committed_env() as env:
            logs = env["psys.invitation.log"].search([("invitation_id", "=", self.ids["invitation"])])
            self.assertEqual(logs.mapped("event"), ["view"] * MAX_PER_ADDRESS_TOKEN)
