"""Every public method of a psys model is an RPC endpoint: each one refuses
the roles that may not act on its records, through /web/dataset/call_kw.

``ENDPOINTS`` lists every public method the psys addons define, with the
record it is called on and the roles that must be refused there. The
registry is introspected: a public method added later and missing from the
table (or a stale entry) fails ``test_table_covers_every_public_method``;
``test_each_endpoint_refuses`` calls each one as each refused role and
checks the answer is an AccessError and that nothing changed.
"""

import json
from datetime import date, timedelta

from odoo import models
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_ateliers.tests.common import PsysAteliersCase
from odoo.addons.psys_permanence.tests.common import PermanenceCase
from odoo.addons.psys_referral_account.tests.common import PsysReferralAccountCase

# The ORM's own public methods (create, read, write, unlink, search,
# export_data, default_get...) and the form's save (``web_save``, which
# psys.booking routes to its steps as the caller): access rights and record
# rules check them.
ORM_METHODS = {name for name in dir(models.Model) if not name.startswith("_")} | {"web_save"}

ALL = ("portal", "employee", "other_company", "reception")
# Actions reception may run on its own association's records.
NOT_RECEPTION = ("portal", "employee", "other_company")

# "model.method": (record factory, roles refused on that record)
ENDPOINTS = {
    # psys_base
    "psys.beneficiary.action_view_encounters": ("beneficiary", NOT_RECEPTION),
    "psys.beneficiary.action_anonymise": ("beneficiary", ALL),
    "psys.beneficiary.lookup.action_search": ("lookup", ALL),  # a coordinator's wizard
    "psys.note.action_delete": ("note", ALL),  # its author's
    "psys.encounter.action_add_note": ("encounter", ALL),
    # psys_permanence
    "psys.permanence.action_generate_sessions": ("permanence", ALL),
    "psys.permanence.action_view_sessions": ("permanence", NOT_RECEPTION),
    "psys.session.action_cancel": ("session", ALL),
    "psys.session.action_reopen": ("session", ALL),
    "psys.session.action_open_desk": ("session", NOT_RECEPTION),
    "psys.session.action_new_encounter": ("session", NOT_RECEPTION),
    "psys.shift.action_sign_up": ("held_shift", ALL),  # held by another volunteer
    "psys.shift.action_take_over": ("held_shift", ALL),
    "psys.shift.action_request_replacement": ("held_shift", ALL),
    "psys.shift.action_cancel_replacement": ("held_shift", ALL),
    "psys.desk.visit.action_open_register": ("visit", NOT_RECEPTION),
    "psys.desk.visit.action_start_interview": ("visit", ALL),
    "psys.desk.visit.action_open_encounter": ("visit", NOT_RECEPTION),
    "psys.desk.visit.action_done": ("visit", NOT_RECEPTION),
    "psys.desk.visit.action_left": ("visit", NOT_RECEPTION),
    "psys.desk.visit.action_back_to_queue": ("visit", NOT_RECEPTION),
    "psys.desk.register.action_register": ("desk_register", ALL),
    "psys.rota.autofill.action_fill": ("autofill", ALL),
    "psys.session.cancel.action_confirm": ("session_cancel", ALL),
    "psys.shift.action_ask_volunteers": ("held_shift", ALL),
    # The week grid: the coordinator's, of her own association.
    "psys.shift.psys_week_grid": ("held_shift", ("portal", "employee", "reception")),
    "psys.shift.psys_candidates": ("held_shift", ALL),
    "psys.shift.psys_fill": ("held_shift", ALL),
    "psys.shift.replacement.wizard.action_confirm": ("shift_replacement", ALL),
    "psys.rota.autofill.action_ask_volunteers": ("autofill", ALL),
    "psys.rota.autofill.action_open_unfilled": ("autofill", ALL),
    "psys.session.generate.action_generate": ("session_generate", ALL),
    "psys.desk.register.action_print_card": ("desk_register", ALL),
    "psys.desk.register.action_back_to_desk": ("desk_register", ALL),
    "psys.dashboard.action_open_coverage": ("dashboard", ALL),
    "psys.dashboard.action_open_replacements": ("dashboard", ALL),
    "psys.dashboard.action_open_queue": ("dashboard", ALL),
    "psys.dashboard.action_open_my_shifts": ("dashboard", ALL),
    "psys.dashboard.action_open_pending_relays": ("dashboard", ALL),
    # psys_referral
    "psys.partnership.action_generate_slots": ("partnership", ALL),
    "psys.partnership.action_generate_next_slots": ("partnership", ALL),
    "psys.partnership.action_view_bookings": ("partnership", NOT_RECEPTION),
    "psys.partnership.action_psys_invite": ("partnership", ALL),  # practitioners only
    "psys.beneficiary.action_psys_invite": ("beneficiary", ALL),  # practitioners only
    "psys.invitation.wizard.action_send": ("invitation_wizard", ALL),  # a practitioner's wizard
    "psys.booking.action_mark_seen": ("booking", ALL),
    "psys.booking.action_mark_excused": ("booking", NOT_RECEPTION),
    "psys.booking.action_mark_no_show": ("booking", NOT_RECEPTION),
    "psys.booking.action_cancel": ("booking", NOT_RECEPTION),
    "psys.booking.action_propose_relay": ("booking", ALL),
    "psys.referral.action_accept": ("referral", NOT_RECEPTION),
    "psys.referral.action_refuse": ("referral", NOT_RECEPTION),
    "psys.referral.action_start": ("referral", NOT_RECEPTION),
    "psys.referral.action_complete": ("referral", NOT_RECEPTION),
    "psys.referral.action_hand_over": ("referral", NOT_RECEPTION),
    "psys.referral.action_reopen": ("referral", NOT_RECEPTION),
    "psys.referral.action_psys_invite": ("referral", ALL),  # practitioners only
    "psys.waiting.entry.action_book_offer": ("waiting_entry", NOT_RECEPTION),
    "psys.waiting.entry.action_withdraw": ("waiting_entry", NOT_RECEPTION),
    "psys.orientation.action_received": ("orientation", ALL),
    "psys.orientation.action_accepted": ("orientation", ALL),
    "psys.orientation.action_refused": ("orientation", ALL),
    "psys.orientation.action_done": ("orientation", ALL),
    "psys.receipt.wizard.action_print": ("receipt", ALL),
    "psys.statement.action_view_invoice": ("statement", ALL),
    "psys.statement.wizard.action_generate": ("statement_wizard", ALL),  # a coordinator's wizard
    "psys.named.contact.action_confirm": ("named_contact", ALL),  # a practitioner's wizard
    "portal.wizard.user.action_grant_access": ("portal_wizard_user", ALL),  # a coordinator's wizard
    "portal.wizard.user.action_revoke_access": ("portal_wizard_user", ALL),
    # psys_ateliers
    "event.event.action_psys_new_evaluation": ("workshop", ALL),
    "event.event.action_psys_view_answers": ("workshop", ALL),
    "psys.workshop.cycle.action_open_generate": ("cycle", ALL),
    "psys.workshop.cycle.action_view_workshops": ("cycle", ALL),
    "psys.workshop.interview.action_book": ("interview", ALL),
    "psys.workshop.interview.action_mark_held": ("interview", ALL),
    "psys.workshop.interview.action_mark_no_show": ("interview", ALL),
    "psys.workshop.interview.action_free": ("interview", ALL),
    "psys.workshop.interview.action_orient": ("interview", ALL),
    "psys.workshop.generate.action_generate": ("workshop_generate", ALL),
    "psys.sentinel.action_start_training": ("sentinel", ALL),
    "psys.sentinel.action_activate": ("sentinel", ALL),
    "psys.sentinel.action_deactivate": ("sentinel", ALL),
    # psys_reporting: the indicator catalogue is shared by every association,
    # so another association's coordinator may refresh it.
    "psys.indicator.action_refresh": ("indicator", ("portal", "employee", "reception")),
    "psys.bilan.wizard.action_print_pdf": ("bilan", ALL),
    "psys.bilan.wizard.action_export_xlsx": ("bilan", ALL),
    "psys.bilan.wizard.action_create_bilan": ("bilan", ALL),
    "psys.bilan.action_publish": ("bilan_record", ALL),
    "psys.bilan.action_withdraw": ("bilan_record", ALL),
    "psys.bilan.action_run_audit": ("bilan_record", ALL),
    "psys.bilan.action_print_pdf": ("bilan_record", ALL),
    "psys.bilan.action_export_xlsx": ("bilan_record", ALL),
    "psys.bilan.withdraw.wizard.action_withdraw": ("bilan_withdraw", ALL),
}

# Records whose rows a refused call must leave as they were (besides the target).
WATCHED_MODELS = ("account.move", "calendar.event", "event.event", "survey.user_input", "mail.message")


def psys_public_methods(env):
    """``{"model.method"}`` of every public method that a psys addon defines
    on a model and that RPC can call, the ORM's own methods excepted."""
    found = set()
    for name in env.registry:
        model = env[name]
        for cls in type(model).mro():
            if not cls.__module__.startswith("odoo.addons.psys_"):
                continue
            for attr, value in vars(cls).items():
                if attr.startswith("_") or attr in ORM_METHODS or not callable(value):
                    continue
                try:
                    get_public_method(model, attr)
                except (AccessError, AttributeError):
                    continue
                found.add(f"{name}.{attr}")
    return found


@tagged("post_install", "-at_install", "psys", "psys_security", "psys_rpc")
class TestRpcEndpoints(HttpCase, PsysReferralAccountCase, PermanenceCase, PsysAteliersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other = mail_new_test_user(
            cls.env,
            login="psys_other_company",
            groups="psys_base.group_psys_coordinator,psys_base.group_psys_therapist,"
            "psys_base.group_psys_clinical,psys_ateliers.group_psys_facilitator",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.logins = {
            "portal": "psys_portal",
            "employee": "psys_employee",
            "other_company": "psys_other_company",
            "reception": "psys_reception",
        }
        cls.workshops = cls._generate(cls.cycle)

    # Record factories (as the superuser, in the association of the tests) ----

    def _record(self, factory):
        return getattr(self, f"_make_{factory}")()

    def _make_beneficiary(self):
        return self._beneficiary()

    def _as_coordinator(self, model, values):
        return self.env[model].with_user(self.user_coordinator).create(values).sudo()

    def _make_lookup(self):
        return self._as_coordinator("psys.beneficiary.lookup", {"code": self._beneficiary().code})

    def _make_note(self):
        return (
            self.env["psys.note"]
            .with_user(self.user_therapist)
            .create({"beneficiary_id": self._beneficiary().id, "body": "Note de test"})
            .sudo()
        )

    def _make_encounter(self):
        return self._encounter(self._beneficiary())

    def _make_permanence(self):
        return self.permanence

    def _make_session(self):
        friday = date(2026, 11, 6)
        return self.permanence.session_ids.filtered(lambda s: s.date == friday) or self._sessions(
            self.permanence, friday, friday
        )

    def _make_held_shift(self):
        shift = self._make_session().shift_ids.filtered(lambda shift: shift.role == "reception")[:1]
        shift.user_id = self.user_therapist_2
        return shift

    def _make_visit(self):
        return self.env["psys.desk.visit"].create(
            {"session_id": self._make_session().id, "beneficiary_id": self._beneficiary().id}
        )

    def _make_desk_register(self):
        return self._as_coordinator("psys.desk.register", {"session_id": self._make_session().id, "mode": "new"})

    def _make_autofill(self):
        return self._as_coordinator("psys.rota.autofill", {})

    def _make_shift_replacement(self):
        return self._as_coordinator(
            "psys.shift.replacement.wizard", {"shift_ids": self._make_held_shift().ids, "reason": "Empêchement"}
        )

    def _make_session_generate(self):
        return self._as_coordinator(
            "psys.session.generate",
            {"permanence_ids": self.permanence.ids, "date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31)},
        )

    def _make_dashboard(self):
        return self._as_coordinator("psys.dashboard", {})

    def _make_session_cancel(self):
        return self._as_coordinator("psys.session.cancel", {"session_ids": self._make_session().ids, "reason": "x"})

    def _make_partnership(self):
        return self.partnership

    def _make_booking(self):
        return self.env["psys.booking"].create(
            {"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id, "structure_id": self.structure.id}
        )

    def _make_referral(self):
        return self.env["psys.referral"].create(
            {
                "beneficiary_id": self._beneficiary().id,
                "partnership_id": self.partnership.id,
                "structure_id": self.structure.id,
                "refusal_reason": "Hors champ",
            }
        )

    def _make_waiting_entry(self):
        return self.env["psys.waiting.entry"].create(
            {"partnership_id": self.partnership.id, "beneficiary_id": self._beneficiary().id}
        )

    def _make_invitation_wizard(self):
        return self._as_coordinator(
            "psys.invitation.wizard", {"beneficiary_id": self._beneficiary().id, "partnership_id": self.partnership.id}
        )

    def _make_orientation(self):
        encounter = self._make_encounter()
        return self.env["psys.orientation"].create(
            {
                "encounter_id": encounter.id,
                "beneficiary_id": encounter.beneficiary_id.id,
                "target_id": self.target_cmp.id,
            }
        )

    def _make_receipt(self):
        return self._as_coordinator(
            "psys.receipt.wizard", {"beneficiary_id": self._beneficiary().id, "date_from": date(2026, 1, 1)}
        )

    def _make_statement(self):
        return self.env["psys.statement"].create(
            {
                "kind": "funder",
                "partner_id": self.structure.id,
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 10, 31),
                "company_id": self.env.company.id,
            }
        )

    def _make_statement_wizard(self):
        return self._as_coordinator("psys.statement.wizard", {"date_from": date(2026, 10, 1)})

    def _make_named_contact(self):
        return self._as_coordinator(
            "psys.named.contact", {"beneficiary_id": self._beneficiary().id, "name": "Karima B.", "consent": True}
        )

    def _make_portal_wizard_user(self):
        staff = self.env["res.partner"].create(
            {"name": "Agent CCAS 2", "parent_id": self.structure.id, "email": "agent2.ccas@example.com"}
        )
        wizard = (
            self.env["portal.wizard"].with_user(self.user_coordinator).with_context(active_ids=staff.ids).create({})
        )
        return wizard.user_ids.sudo()

    def _make_workshop(self):
        return self.workshops[0]

    def _make_cycle(self):
        return self.cycle

    def _make_interview(self):
        return self.env["psys.workshop.interview"].create(
            {
                "event_id": self.workshops[0].id,
                "date_start": self.workshops[0].date_end,
                "beneficiary_id": self._beneficiary().id,
            }
        )

    def _make_workshop_generate(self):
        return self._as_coordinator("psys.workshop.generate", {"cycle_id": self.cycle.id, "tz": "Europe/Paris"})

    def _make_sentinel(self):
        return self.env["psys.sentinel"].create(
            {"beneficiary_id": self._beneficiary().id, "territory_id": self.territory.id}
        )

    def _make_indicator(self):
        indicators = self.env["psys.indicator"]
        if not indicators.search([], limit=1):
            indicators.action_refresh()
        return indicators.search([], limit=1)

    def _make_bilan(self):
        today = date(2026, 11, 4)
        return self._as_coordinator(
            "psys.bilan.wizard", {"date_from": today - timedelta(days=365), "date_to": today, "edition": "internal"}
        )

    def _make_bilan_record(self):
        today = date(2026, 11, 4)
        return self._as_coordinator(
            "psys.bilan", {"date_from": today - timedelta(days=365), "date_to": today, "edition": "internal"}
        )

    def _make_bilan_withdraw(self):
        return self._as_coordinator(
            "psys.bilan.withdraw.wizard", {"bilan_id": self._make_bilan_record().id, "reason": "Erreur de période"}
        )

    # Helpers -------------------------------------------------------------------

    def _call_kw(self, record, method):
        """The error name a JSON-RPC call_kw of ``method`` on ``record`` answers, or None."""
        return self._call_kw_with(record, method, [record.ids])

    def _snapshot(self, record):
        record = record.sudo().with_context(active_test=False)
        stored = [name for name, field in record._fields.items() if field.store and field.type != "binary"]
        self.env.invalidate_all()
        counts = {
            name: self.env[name].sudo().with_context(active_test=False).search_count([])
            for name in self.env.registry
            if (name.startswith("psys.") or name in WATCHED_MODELS)
            and not self.env[name]._abstract
            and self.env[name]._auto
        }
        return record.read(stored), counts

    # Tests ---------------------------------------------------------------------

    def test_table_covers_every_public_method(self):
        found = psys_public_methods(self.env)
        self.assertFalse(
            found - set(ENDPOINTS),
            "Public psys methods are RPC endpoints: check the caller first (_psys_check_action) "
            "and add them to ENDPOINTS",
        )
        self.assertFalse(set(ENDPOINTS) - found, "Stale ENDPOINTS entries")

    def test_each_endpoint_refuses(self):
        # One record per factory: a refused call leaves it as it was.
        records = {factory: self._record(factory) for factory in {factory for factory, _roles in ENDPOINTS.values()}}
        for role, login in self.logins.items():
            self.authenticate(login, login)
            for key, (factory, roles) in ENDPOINTS.items():
                if role not in roles:
                    continue
                record = records[factory]
                self.assertTrue(record, factory)
                method = key.removeprefix(f"{record._name}.")
                with self.subTest(role=role, endpoint=key):
                    before = self._snapshot(record)
                    self.assertEqual(self._call_kw(record, method), "odoo.exceptions.AccessError")
                    self.assertEqual(self._snapshot(record), before, "A refused call changes nothing")

    def test_portal_cannot_anonymise(self):
        """The incident: a CCAS agent anonymised a person over JSON-RPC."""
        person = self._beneficiary()
        self.authenticate("psys_portal", "psys_portal")
        self.assertEqual(self._call_kw(person, "action_anonymise"), "odoo.exceptions.AccessError")
        self.assertEqual(person.state, "active")
        # A coordinator of the association may.
        self.authenticate("psys_coordinator", "psys_coordinator")
        self.assertIsNone(self._call_kw(person, "action_anonymise"))
        person.invalidate_recordset()
        self.assertEqual(person.state, "anonymised")

    def test_workflow_fields_change_only_through_actions(self):
        """Even a role that may write the record cannot set its status (or
        price) directly over RPC: only the actions do, after their checks."""
        cases = [
            ("beneficiary", "psys_reception", {"state": "anonymised"}),
            ("visit", "psys_reception", {"state": "done"}),
            ("visit", "psys_therapist", {"therapist_id": self.user_therapist.id}),
            ("session", "psys_coordinator", {"state": "cancelled"}),
            ("booking", "psys_coordinator", {"tariff": "preferential", "price": 30}),
            ("booking", "psys_coordinator", {"cancelled_by": "structure"}),
            ("referral", "psys_coordinator", {"state": "completed"}),
            ("orientation", "psys_therapist", {"state": "done"}),
            ("sentinel", "psys_facilitator", {"state": "active"}),
            ("interview", "psys_facilitator", {"no_show": True}),
        ]
        records = {}
        for factory, login, values in cases:
            if factory not in records:
                records[factory] = self._record(factory)
            record = records[factory]
            self.authenticate(login, login)
            with self.subTest(factory=factory, values=values):
                before = self._snapshot(record)
                payload_error = self._call_kw_with(record, "write", [record.ids, values])
                self.assertEqual(payload_error, "odoo.exceptions.AccessError")
                self.assertEqual(self._snapshot(record), before)

    def test_contribution_has_sane_bounds(self):
        encounter = self._make_encounter()
        self.authenticate("psys_therapist", "psys_therapist")
        for amount in (10**15, -5):
            with self.subTest(amount=amount):
                error = self._call_kw_with(encounter, "write", [encounter.ids, {"contribution_amount": amount}])
                self.assertEqual(error, "odoo.exceptions.ValidationError")
        self.assertIsNone(self._call_kw_with(encounter, "write", [encounter.ids, {"contribution_amount": 5}]))
        encounter.invalidate_recordset()
        self.assertEqual(encounter.contribution_amount, 5)

    def _call_kw_with(self, record, method, args):
        """The error name a JSON-RPC call_kw answers, or None when it succeeds."""
        payload = {
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": record._name, "method": method, "args": args, "kwargs": {}},
        }
        response = self.url_open(
            "/web/dataset/call_kw", data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 200)
        error = response.json().get("error")
        return error and error["data"]["name"]
