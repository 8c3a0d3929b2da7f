import json
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

import freezegun

from odoo.tests import HttpCase, TransactionCase, new_test_user

from odoo.addons.mail.tests.common import mail_new_test_user

PSYS_GROUPS = {
    "reception": "psys_base.group_psys_reception",
    "therapist": "psys_base.group_psys_therapist",
    "coordinator": "psys_base.group_psys_coordinator",
    "clinical_coordinator": "psys_base.group_psys_coordinator,psys_base.group_psys_clinical",
    "clinical": "psys_base.group_psys_clinical",
}


# Tests own their clock: every psys test class runs at this instant (a
# Wednesday, 10:00 in Paris) unless it sets its own `psys_now`, and derives its
# dates from it. tests/test_repo.py fails on a test that reads the real clock.
PSYS_NOW = datetime(2026, 11, 4, 9, 0)


class PsysClock:
    """Freeze the clock for the whole class, set-up included. Browser tests'
    clock ticks from there: the test harness times its waits with it."""

    psys_now = PSYS_NOW

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freezegun.freeze_time(cls.psys_now, tick=issubclass(cls, HttpCase)))


class PsysCase(PsysClock, TransactionCase):
    """One user per role of DESIGN.md's security table, a second association,
    and a few reference records. Tracking is off, as in Odoo's own tests, and
    messages are in English (the French ones are tested on their own)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True, lang="en_US"))
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Autre association"})
        # The public holidays of 2026 to 2028, as the yearly job writes them
        # (already there when the database was made in those years).
        cls.company._psys_sync_public_holidays()
        cls.user_reception = cls._psys_user("psys_reception", PSYS_GROUPS["reception"])
        cls.user_therapist = cls._psys_user("psys_therapist", PSYS_GROUPS["therapist"])
        cls.user_therapist_2 = cls._psys_user("psys_therapist_2", PSYS_GROUPS["therapist"])
        cls.user_coordinator = cls._psys_user("psys_coordinator", PSYS_GROUPS["coordinator"])
        cls.user_clinical_coordinator = cls._psys_user("psys_clinical_coordinator", PSYS_GROUPS["clinical_coordinator"])
        cls.user_employee = mail_new_test_user(cls.env, login="psys_employee", groups="base.group_user")
        cls.user_therapist_b = mail_new_test_user(
            cls.env,
            login="psys_therapist_b",
            groups=PSYS_GROUPS["therapist"],
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.structure = cls.env["res.partner"].create(
            {"name": "CCAS de Test", "is_company": True, "psys_structure_type": "ccas"}
        )
        cls.user_portal = new_test_user(
            cls.env,
            login="psys_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"].create({"name": "Agent CCAS", "parent_id": cls.structure.id}).id,
        )
        cls.user_public = cls.env.ref("base.public_user")
        cls.territory = cls.env["psys.territory"].create({"name": "Quartier test", "is_qpv": True})
        cls.location = cls.env["psys.location"].create({"name": "Antenne test", "territory_id": cls.territory.id})
        cls.theme = cls.env.ref("psys_base.psys_theme_anxiety")
        cls.target_cmp = cls.env.ref("psys_base.psys_orientation_target_cmp")

    def _before_commit(self):
        """Run what waits for the transaction's commit (the calendar mirror,
        ``psys.calendar.mirror``), as the end of a request does."""
        self.env.flush_all()
        self.env.cr.flush()

    @classmethod
    def _psys_user(cls, login, groups):
        return mail_new_test_user(cls.env, login=login, groups=groups, name=login.replace("_", " ").title())

    @classmethod
    def _beneficiary(cls, **values):
        return cls.env["psys.beneficiary"].create(dict({"age_bracket": "26_39", "gender": "female"}, **values))

    @classmethod
    def _encounter(cls, beneficiary=False, **values):
        return cls.env["psys.encounter"].create(
            dict(
                {
                    "beneficiary_id": beneficiary and beneficiary.id,
                    "location_id": cls.location.id,
                    "practitioner_ids": [(6, 0, cls.user_therapist.ids)],
                },
                **values,
            )
        )


@contextmanager
def create_batches(env, model):
    """The sizes of the ``create`` calls made on ``model`` inside the block:
    ``[3]`` when three records were created in one batch."""
    Model = env.registry[model]
    original = Model.create
    sizes = []

    def create(records, vals_list):
        sizes.append(len(vals_list))
        return original(records, vals_list)

    with patch.object(Model, "create", create):
        yield sizes


def stored_row(cr, table, record_id=None):
    """The row of ``table`` (``record_id``, else the last one) as JSON text,
    without its linking digests: a hex digest may contain any four digits
    (a year typed at the desk, say) by chance; what a test looks for is the
    input itself, stored in plain."""
    where = "WHERE id = %s" if record_id else "ORDER BY id DESC LIMIT 1"
    cr.execute(f"SELECT row_to_json(t)::text FROM {table} t {where}", [record_id] if record_id else [])
    row = json.loads(cr.fetchone()[0])
    return json.dumps({key: value for key, value in row.items() if not key.startswith("linking_hash")})


def call_kw(case, model, method, args, kwargs=None, context=None):
    """``(result, error data)`` of ``model.method(*args, **kwargs)`` through
    ``/web/dataset/call_kw``, as the user ``case`` (an HttpCase) is
    authenticated as: what a client of the web API gets."""
    kwargs = dict(kwargs or {})
    if context:
        kwargs["context"] = dict(kwargs.get("context", {}), **context)
    payload = {
        "id": 0,
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
    }
    response = case.url_open(
        "/web/dataset/call_kw", data=json.dumps(payload), headers={"Content-Type": "application/json"}
    )
    case.assertEqual(response.status_code, 200)
    answer = response.json()
    return answer.get("result"), answer.get("error") and answer["error"]["data"]
