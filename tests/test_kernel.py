"""The authorization kernel (psys_base ``psys.secured``, ``ir.rule``): every
model declares its policy, the policy gives its rules, and the holes of the
second attack (issue "Trust, second pass") stay closed, each tried as the
role over ``/web/dataset/call_kw``.
"""

import json
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_base.tests.common import call_kw
from odoo.addons.psys_permanence.tests.common import PermanenceCase
from odoo.addons.psys_referral.tests.common import PsysReferralCase

ACCESS_ERROR = "odoo.exceptions.AccessError"

# What an attacker puts in the context: archived records, and every context
# key the psys code reads or ever read, set.
ATTACKER_CONTEXT = {
    "active_test": False,
    "psys_booking_mirror": True,
    "psys_defer_calendar_sync": True,
    "psys_defer_notices": True,
    "psys_note_log_purge": True,
    "psys_note_access_type": "export",
    "tracking_disable": True,
    "mail_notrack": True,
    "install_mode": True,
}


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestKernel(HttpCase, PsysReferralCase, PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other = mail_new_test_user(
            cls.env,
            login="psys_other_coordinator",
            groups="psys_base.group_psys_coordinator,psys_base.group_psys_therapist,psys_base.group_psys_clinical",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        # A file and a message of a psys record, for the enumerations.
        cls.env["ir.attachment"].create(
            {"name": "plan.txt", "raw": b"plan", "res_model": "psys.location", "res_id": cls.location.id}
        )
        person = cls.env["psys.beneficiary"].create({"gender": "undisclosed"})
        person.message_post(body="Rappel : rendez-vous confirmé", message_type="comment")

    def _call(self, login, model, method, args, kwargs=None, context=None):
        """(result, error name) of a JSON-RPC call_kw as ``login``."""
        self.authenticate(login, login)
        result, error = call_kw(self, model, method, args, kwargs, context)
        return result, error and error["name"]

    def assertRefused(self, login, model, method, args, kwargs=None, context=None, error=ACCESS_ERROR):
        result, name = self._call(login, model, method, args, kwargs, context)
        self.assertEqual(name, error, f"{login} {model}.{method}{args!r}: {result!r}")
        self.env.invalidate_all()

    # Calendars and events --------------------------------------------------

    def test_no_calendar_can_be_given_to_a_new_record(self):
        """Holes 1 and 2: a partnership or a place created on another's
        calendar (another association's, the company's standard hours)."""
        calendar = self.partnership.resource_calendar_id
        values = {"name": "Lieu pirate", "resource_calendar_id": calendar.id}
        self.assertRefused("psys_other_coordinator", "psys.location", "create", [values])
        self.assertRefused("psys_coordinator", "psys.location", "create", [values])
        standard = self.env.company.resource_calendar_id
        self.assertRefused(
            "psys_therapist",
            "psys.partnership",
            "create",
            [
                {
                    "name": "Convention pirate",
                    "practitioner_id": self.user_therapist.id,
                    "structure_id": self.structure.id,
                    "location_id": self.location.id,
                    "date_start": "2020-01-01",
                    "resource_calendar_id": standard.id,
                }
            ],
        )
        self.assertTrue(calendar.exists() and standard.exists())

    def test_a_record_keeps_its_calendar(self):
        other = self.partnership_b.resource_calendar_id
        self.assertRefused(
            "psys_coordinator", "psys.location", "write", [self.location.ids, {"resource_calendar_id": other.id}]
        )
        self.assertRefused(
            "psys_therapist", "psys.partnership", "write", [self.partnership.ids, {"resource_calendar_id": other.id}]
        )
        self.assertNotEqual(self.location.resource_calendar_id, other)

    def test_deleting_a_place_deletes_its_closing_days_only(self):
        """Hole 3: a place's closing day became a closure of the whole
        company when the place went (its leave lost its calendar)."""
        place = self.env["psys.location"].create({"name": "Antenne éphémère", "territory_id": self.territory.id})
        day = self.start + timedelta(days=1)
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Fermeture",
                "calendar_id": place.resource_calendar_id.id,
                "date_from": day,
                "date_to": day + timedelta(hours=8),
            }
        )
        Leaves = self.env["resource.calendar.leaves"].with_context(active_test=False)
        company_wide = Leaves.search_count([("calendar_id", "=", False)])
        _result, error = self._call("psys_coordinator", "psys.location", "unlink", [place.ids])
        self.assertIsNone(error)
        self.assertFalse(leave.exists())
        self.assertEqual(Leaves.search_count([("calendar_id", "=", False)]), company_wide)

    def test_a_shared_calendar_outlives_the_record(self):
        place = self.env["psys.location"].create({"name": "Antenne sœur", "territory_id": self.territory.id})
        calendar = place.resource_calendar_id
        # As an older release could leave it: a second place on the same calendar.
        twin = self.env["psys.location"].create({"name": "Antenne jumelle", "territory_id": self.territory.id})
        own = twin.resource_calendar_id
        twin.sudo().write({"resource_calendar_id": calendar.id})
        own.unlink()
        _result, error = self._call("psys_coordinator", "psys.location", "unlink", [twin.ids])
        self.assertIsNone(error)
        self.assertTrue(calendar.exists(), "the other place still uses it")

    def test_a_practitioner_cannot_edit_another_calendar(self):
        """Hole 2: the company's standard hours set to 23:30 through a door's rules."""
        standard = self.env.company.resource_calendar_id
        line = standard.attendance_ids[:1]
        self.assertRefused("psys_therapist", "resource.calendar.attendance", "write", [line.ids, {"hour_to": 23.5}])
        line.invalidate_recordset()
        self.assertNotEqual(line.hour_to, 23.5)

    def test_booking_event_moves_with_its_booking_only(self):
        """Hole 4: a context key let the practitioner move her booking's event."""
        booking = self.env["psys.booking"]._psys_book(
            {"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id}
        )
        self._before_commit()
        event = booking.calendar_event_id
        self.assertTrue(event)
        start = event.start
        for context in ({}, {"psys_booking_mirror": True}):
            self.assertRefused(
                "psys_therapist",
                "calendar.event",
                "write",
                [event.ids, {"start": str(start + timedelta(hours=3)), "stop": str(start + timedelta(hours=4))}],
                context=context,
            )
            self.assertRefused(
                "psys_therapist",
                "calendar.event",
                "unlink",
                [event.ids],
                context=context,
            )
        self.assertEqual(event.start, start)

    def test_a_meeting_about_a_person_is_its_organiser_s(self):
        """A meeting a coordinator schedules about a person (an activity of
        the person's record) is no mirror: hers to move and delete, and two
        of them about the same person may exist; a user never marks an
        event as a mirror."""
        person = self._beneficiary()
        Event = self.env["calendar.event"].with_user(self.user_coordinator)
        values = {
            "name": "Synthèse",
            "start": self.start,
            "stop": self.start + timedelta(hours=1),
            "res_model_id": self.env["ir.model"]._get_id("psys.beneficiary"),
            "res_id": person.id,
        }
        meetings = Event.create([values, values])
        meetings[0].write({"start": self.start + timedelta(hours=2), "stop": self.start + timedelta(hours=3)})
        meetings[1].unlink()
        self.assertEqual(meetings.exists(), meetings[0])
        with self.assertRaises(AccessError):
            Event.create(dict(values, psys_mirror=True))
        with self.assertRaises(AccessError):
            meetings[0].write({"psys_mirror": True})
        self.assertFalse(meetings[0].psys_mirror)

    def test_booking_event_is_found_by_its_attendees_only(self):
        """Hole 5: another employee searched the events by the person's code."""
        booking = self.env["psys.booking"]._psys_book(
            {"slot_id": self.slot.id, "beneficiary_id": self._beneficiary().id}
        )
        self._before_commit()
        event = booking.calendar_event_id
        for domain in (
            [("name", "ilike", event.name)],
            [("res_id", "=", booking.id)],
            [("res_model", "=", "psys.booking")],
            [("location", "=", event.location)],
        ):
            for login in ("psys_employee", "psys_therapist_2"):
                with self.subTest(domain=domain, login=login):
                    result, error = self._call(login, "calendar.event", "search_count", [domain])
                    self.assertIsNone(error)
                    self.assertEqual(result, 0)
            result, _error = self._call("psys_therapist", "calendar.event", "search_count", [domain])
            self.assertEqual(result, 1, "she finds her own")

    # Ownership -------------------------------------------------------------

    def test_a_practitioner_keeps_to_her_partnerships(self):
        """Hole 7: another practitioner edited, took over or swapped a partnership."""
        theirs = self.partnership  # practitioner: psys_therapist
        for values in ({"funded_rate": 999}, {"session_quota": 99}, {"practitioner_id": self.user_therapist_2.id}):
            self.assertRefused("psys_therapist_2", "psys.partnership", "write", [theirs.ids, values])
        # Her own: she may edit it, not give it away.
        self.assertRefused(
            "psys_therapist", "psys.partnership", "write", [theirs.ids, {"practitioner_id": self.user_therapist_2.id}]
        )
        _result, error = self._call("psys_therapist", "psys.partnership", "write", [theirs.ids, {"session_quota": 4}])
        self.assertIsNone(error)
        theirs.invalidate_recordset()
        self.assertEqual((theirs.practitioner_id, theirs.session_quota), (self.user_therapist, 4))

    def test_a_leave_stays_on_its_calendar(self):
        """Hole 8: a leave made on one's own calendar, then moved onto hers."""
        mine = self.partnership_b.resource_calendar_id  # psys_therapist_2's
        hers = self.partnership.resource_calendar_id
        day = self.start + timedelta(days=2)
        leave = self.env["resource.calendar.leaves"].create(
            {"name": "Congé", "calendar_id": mine.id, "date_from": day, "date_to": day + timedelta(hours=2)}
        )
        self.assertRefused(
            "psys_therapist_2", "resource.calendar.leaves", "write", [leave.ids, {"calendar_id": hers.id}]
        )
        line = mine.attendance_ids[:1]
        self.assertRefused(
            "psys_therapist_2", "resource.calendar.attendance", "write", [line.ids, {"calendar_id": hers.id}]
        )
        self.assertEqual((leave.calendar_id, line.calendar_id), (mine, mine))

    def test_portal_access_of_another_association_structure(self):
        """Hole 9: another association's coordinator granted and revoked portal access."""
        staff = self.env["res.partner"].create(
            {
                "name": "Agent CCAS 3",
                "parent_id": self.structure.id,
                "email": "agent3.ccas@example.com",
                "company_id": self.company.id,
            }
        )
        result, error = self._call(
            "psys_other_coordinator", "portal.wizard", "create", [{}], context={"active_ids": staff.ids}
        )
        if error is None:
            wizard = self.env["portal.wizard"].browse(result)
            self.assertRefused(
                "psys_other_coordinator", "portal.wizard.user", "action_grant_access", [wizard.user_ids.ids]
            )
        self.assertFalse(staff.with_context(active_test=False).user_ids)
        self.assertRefused(
            "psys_other_coordinator",
            "portal.wizard.user",
            "action_revoke_access",
            [
                self.env["portal.wizard"]
                .with_context(active_ids=self.user_portal.partner_id.ids)
                .create({})
                .user_ids.ids
            ],
        )
        self.assertTrue(self.user_portal.active)

    def test_forms_are_their_creator_only(self):
        """Hole 10: other users' forms (a named contact's name and phone) were readable."""
        contact = (
            self.env["psys.named.contact"]
            .with_user(self.user_coordinator)
            .create({"beneficiary_id": self._beneficiary().id, "name": "Karima B.", "consent": True})
        )
        for login in ("psys_other_coordinator", "psys_therapist", "psys_clinical_coordinator"):
            result, error = self._call(login, "psys.named.contact", "search_read", [[]], {"fields": ["name"]})
            self.assertIsNone(error)
            self.assertNotIn(contact.id, [row["id"] for row in result])
            self.assertRefused(login, "psys.named.contact", "read", [contact.ids, ["name"]])

    def test_a_linking_key_changes_by_a_coordinator_and_leaves_a_trace(self):
        """Hole 11: reception overwrote a person's linking inputs without a trace."""
        person = self._beneficiary()
        person.write({"link_initials": "KB", "link_birth_year": "1980", "link_sex": "f"})
        key = person._psys_read_linking_keys()
        self.assertRefused(
            "psys_reception",
            "psys.beneficiary",
            "write",
            [person.ids, {"link_initials": "ZZ", "link_birth_year": "1990"}],
        )
        self.assertEqual(person._psys_read_linking_keys(), key)
        messages = person.message_ids
        _result, error = self._call(
            "psys_coordinator",
            "psys.beneficiary",
            "write",
            [person.ids, {"link_initials": "KC", "link_birth_year": "1980", "link_sex": "f"}],
        )
        self.assertIsNone(error)
        self.assertNotEqual(person._psys_read_linking_keys(), key)
        self.assertTrue(person.message_ids - messages, "the change is in the person's history")

    # People's data ---------------------------------------------------------

    def test_a_note_body_is_not_searched(self):
        """Hole 15: a note's text recovered prefix by prefix with search_count."""
        person = self._beneficiary()
        self.env["psys.note"].create({"beneficiary_id": person.id, "body": "Idées suicidaires"})
        for method in ("search_count", "search"):
            self.assertRefused("psys_therapist", "psys.note", method, [[("body", "=like", "Id%")]])
        self.assertRefused("psys_therapist", "psys.note", "search_read", [[]], {"order": "body"})

    # Publication -----------------------------------------------------------

    def test_published_files_are_frozen(self):
        """Hole 20: a published bilan's XLSX replaced and its PDF deleted."""
        bilan = self.env["psys.bilan"].create(
            {"date_from": "2025-01-01", "date_to": "2025-12-31", "edition": "internal"}
        )
        attachment = self.env["ir.attachment"].create(
            {"name": "bilan.xlsx", "raw": b"figures", "res_model": "psys.bilan", "res_id": bilan.id}
        )
        bilan.sudo().write({"state": "published", "xlsx_attachment_id": attachment.id})
        self.assertRefused(
            "psys_coordinator",
            "ir.attachment",
            "write",
            [attachment.ids, {"raw": "b3RoZXI="}],
            error="odoo.exceptions.UserError",
        )
        self.assertRefused(
            "psys_coordinator", "ir.attachment", "unlink", [attachment.ids], error="odoo.exceptions.UserError"
        )
        self.assertEqual(attachment.raw, b"figures")

    # Enumerated from the registry ------------------------------------------

    def test_no_role_changes_an_ownership_field(self):
        """Every model with a policy × every role that may write some of its
        records × every ownership field: the write is refused and the record
        is as it was (a new model or field is covered without a line here)."""
        tried = self._try_writes(
            lambda policy: policy.guarded_fields,
            lambda field, policy: field.store and (field.type == "many2one" or field.name in policy.belongs_to),
        )
        self.assertGreater(tried, 20, "the enumeration reached the models")

    def test_other_association_sees_nothing(self):
        """Every model with a company in its policy: another association's
        coordinator (and therapist) finds none of this association's records
        by search, search_count or read_group, and reads none."""
        for name, model in self.env.registry.items():
            policy = getattr(model, "_psys_policy", None)
            if model._abstract or model._transient or policy is None or not policy.company:
                continue
            ours = (
                self.env[name]
                .sudo()
                .with_context(active_test=False)
                .search([(policy.company, "in", self.company.ids)], limit=50)
            )
            if not ours:
                continue
            for user in (self.user_other, self.user_therapist_b):
                Model = self.env[name].with_user(user).with_context(active_test=False)
                if not Model.has_access("read"):
                    continue
                with self.subTest(model=name, user=user.login):
                    domain = [("id", "in", ours.ids)]
                    self.assertFalse(Model.search(domain))
                    self.assertEqual(Model.search_count(domain), 0)
                    self.assertFalse(Model._read_group(domain, [], ["__count"])[0][0])
                    with self.assertRaises(AccessError):
                        ours[:1].with_user(user).read(["id"])

    def test_no_role_writes_a_workflow_field(self):
        """Every model with workflow fields × every role that may write some
        of its records × every workflow field: refused, nothing changed."""
        tried = self._try_writes(
            lambda policy: policy.workflow,
            lambda field, policy: field.store and field.type not in ("one2many", "many2many", "binary"),
        )
        self.assertGreater(tried, 10, "the enumeration reached the models")

    def test_every_model_every_role_over_call_kw(self):
        """Every model with a policy × every role, over ``call_kw`` with an
        attacker's context (archived records, and every context key the
        psys code reads, set): the records the role may not read are
        neither found (search_read, search_count, read_group), exported nor
        copied; those it may not change are neither written nor deleted;
        and each refusal leaves the database as it was."""
        context = dict(ATTACKER_CONTEXT, psys_waiting_entry_id=1)
        internal = (
            self.env["res.users"].union(*self._roles(), self.user_therapist_b).filtered(lambda user: not user.share)
        )
        internal.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        tried = 0
        for user in (*self._roles(), self.user_therapist_b, self.user_portal_b):
            self.authenticate(user.login, user.login)
            for name, model in self.env.registry.items():
                policy = getattr(model, "_psys_policy", None)
                if model._abstract or model._transient or not model._auto or policy is None:
                    continue
                hidden, fixed = self._out_of_reach(name, policy, user)
                with self.subTest(model=name, user=user.login):
                    tried += self._refused_over_call_kw(name, policy, hidden, fixed, context, user.login)
                    tried += self._created_elsewhere_over_call_kw(name, policy, user, context)
        self.assertGreater(tried, 500, "the enumeration reached the models")

    def _out_of_reach(self, name, policy, user):
        """(Up to 3 records of ``name`` that ``user`` may not read, up to 3
        that it may read but not change): another association's first, then
        what the plain ORM refuses it, with no context."""
        everything = self.env[name].sudo().with_context(active_test=False)
        domain = [(policy.belongs_to[0], "=like", "psys.%")] if policy.belongs_to else []
        if policy.company:
            others = everything.search(
                domain + [(policy.company, "!=", False), (policy.company, "not in", user.company_ids.ids)], limit=3
            )
            if others:
                domain = domain + [("id", "not in", others.ids)]
        else:
            others = everything.browse()
        sample = everything.search(domain, limit=40, order="id desc")
        mine = sample.with_user(user)
        readable = mine._filtered_access("read")
        hidden = (others | (sample - readable.sudo())[:3]).sudo()
        changeable = readable._filtered_access("write")
        fixed = (readable - changeable)[:3].sudo()
        return hidden, fixed

    def _created_elsewhere_over_call_kw(self, name, policy, user, context):
        """A copy of one of the role's own records, created over call_kw in
        another association: refused and nothing created, or created in the
        role's own (its company follows a parent). Returns 1 if tried."""
        Model = self.env[name].with_user(user)
        if not policy.company or not Model.has_access("create"):
            return 0
        mine = Model.search([(policy.company, "in", user.company_ids.ids)], limit=1)
        elsewhere = (self.company | self.company_b) - user.company_ids
        if not mine or not elsewhere:
            return 0
        values = json.loads(json.dumps(mine.sudo().copy_data()[0], default=str))  # dates as the client sends them
        values[policy.company] = elsewhere[:1].id
        Everything = self.env[name].sudo().with_context(active_test=False)
        count = Everything.search_count([])
        result, error = call_kw(self, name, "create", [values], {}, context)
        if error:
            self.assertEqual(Everything.search_count([]), count)
        else:  # a company that follows its parent's (a related field) ignores the value given
            self.assertIn(Everything.browse(result)[policy.company], user.company_ids, f"{user.login} {name}")
        return 1

    def _refused_over_call_kw(self, name, policy, hidden, fixed, context, login):
        """Try each way in to ``hidden`` and ``fixed`` over call_kw; returns
        how many calls were tried."""
        tried = 0
        domain = [["id", "in", hidden.ids]]
        for method, args, kwargs, empty in (
            ("search_read", [domain], {"fields": ["id"]}, []),
            ("search_count", [domain], {}, 0),
            ("read_group", [domain, ["__count"], []], {"lazy": False}, None),
        ):
            if not hidden:
                break
            result, error = call_kw(self, name, method, args, kwargs, context)
            tried += 1
            if error:
                self.assertEqual(error["name"], ACCESS_ERROR, f"{login} {name}.{method}: {error['message']}")
            elif method == "read_group":
                self.assertEqual(sum(row["__count"] for row in result), 0, f"{login} {name}.{method}")
            else:
                self.assertEqual(result, empty, f"{login} {name}.{method}")
        count = self.env[name].sudo().with_context(active_test=False).search_count([])
        guarded = [field for field in policy.guarded_fields if self.env[name]._fields[field].type != "many2many"][:1]
        for method, records, args in (
            ("export_data", hidden, [["id"]]),
            ("copy", hidden[:1], []),
            ("write", (hidden[:1] | fixed[:1]) if guarded else (), None),
            ("unlink", hidden[:1] | fixed[:1], []),
        ):
            for record in records:
                if method == "write":  # the record's own owner, written again: a write all the same
                    field = record._fields[guarded[0]]
                    args = [{field.name: field.convert_to_write(record[field.name], record)}]
                before = record.write_date
                result, error = call_kw(self, name, method, [record.ids, *args], {}, context)
                tried += 1
                self.assertTrue(error, f"{login} {method} {record}: {result!r}")
                if method != "copy":  # a copy may fail on what it would copy first
                    self.assertEqual(error["name"], ACCESS_ERROR, f"{login} {method} {record}: {error['message']}")
                self.env.invalidate_all()
                self.assertTrue(record.exists(), f"{login} {method} deleted {record}")
                self.assertEqual(record.write_date, before, f"{login} {method} changed {record}")
        self.assertEqual(self.env[name].sudo().with_context(active_test=False).search_count([]), count)
        return tried

    def _try_writes(self, names_of, kept):
        """Write, as each role, a new value of each field ``names_of(policy)``
        (those ``kept(field, policy)``) on a record of each model with a policy that
        the role may write: each write refused, the record unchanged. Returns
        how many writes were tried."""
        tried = 0
        for name, model in self.env.registry.items():
            policy = getattr(model, "_psys_policy", None)
            if model._abstract or model._transient or not model._auto or policy is None:
                continue
            fields = [model._fields[field] for field in names_of(policy) if kept(model._fields[field], policy)]
            # A policy of files or messages governs those of psys records.
            domain = [(policy.belongs_to[0], "=like", "psys.%")] if policy.belongs_to else []
            for user in self._roles() if fields else ():
                Model = self.env[name].with_user(user)
                if not Model.has_access("write"):
                    continue
                record = Model.search(domain, limit=20)._filtered_access("write")[:1]
                for field in fields if record else ():
                    before, value = record.sudo()[field.name], self._other_value(record, field)
                    if value is False and field.type == "many2one":
                        continue
                    tried += 1
                    with self.subTest(model=name, user=user.login, field=field.name):
                        with self.assertRaises(AccessError), self.env.cr.savepoint():
                            record.write({field.name: value})
                        record.invalidate_recordset()
                        self.assertEqual(record.sudo()[field.name], before)
        return tried

    def test_restricted_fields_are_not_searched(self):
        """Every psys field restricted to some groups × every role outside
        them: a search, a count or a group-by on it is refused like a read."""
        tried = 0
        for name, model in self.env.registry.items():
            if model._abstract or not model._auto or getattr(model, "_psys_policy", None) is None:
                continue
            for field in model._fields.values():
                if not field.groups or not field.store or not (field._module or "").startswith("psys_"):
                    continue
                for user in self._roles():
                    Model = self.env[name].with_user(user)
                    if not Model.has_access("read") or field.is_accessible(Model.env):
                        continue
                    tried += 1
                    with self.subTest(model=name, field=field.name, user=user.login):
                        with self.assertRaises(AccessError):
                            Model.search_count([(field.name, "!=", False)])
                        if field.type not in ("one2many", "many2many"):
                            with self.assertRaises(AccessError):
                                Model.search([], order=field.name)
                        if field.type != "one2many":
                            with self.assertRaises(AccessError):
                                Model.read_group([], [field.name], [field.name])
        self.assertGreater(tried, 5, "the enumeration reached the restricted fields")

    def _roles(self):
        return (
            self.user_reception,
            self.user_therapist,
            self.user_therapist_2,
            self.user_coordinator,
            self.user_clinical_coordinator,
            self.user_other,
            self.user_employee,
            self.user_portal,
        )

    def _other_value(self, record, field):
        """A value ``field`` of ``record`` does not hold."""
        if field.type == "many2one":
            current = record.sudo()[field.name]
            return self.env[field.comodel_name].sudo().search([("id", "!=", current.id)], limit=1).id or False
        if field.type == "selection":
            values = [value for value, _label in field._description_selection(self.env)]
            return next((value for value in values if value != record.sudo()[field.name]), False)
        if field.type == "boolean":
            return not record.sudo()[field.name]
        if field.type in ("integer", "float", "monetary", "many2one_reference"):
            return (record.sudo()[field.name] or 0) + 1
        if field.type in ("date", "datetime"):
            return "2030-01-01"
        return "x"
