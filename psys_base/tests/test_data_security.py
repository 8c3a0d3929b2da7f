from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import PsysCase


class PsysDataCase(PsysCase):
    """A person known by name (with consent), with a social and a clinical
    situation, an orientation to a CMP and a confidential note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag_student = cls.env.ref("psys_base.psys_situation_tag_student")
        cls.tag_pathology = cls.env.ref("psys_base.psys_situation_tag_heavy_pathology")
        cls.beneficiary = cls._beneficiary(
            situation_tag_ids=[(6, 0, cls.tag_student.ids)],
            clinical_tag_ids=[(6, 0, cls.tag_pathology.ids)],
        )
        cls.env["psys.consent"].create({"beneficiary_id": cls.beneficiary.id, "scope": "named_contact"})
        cls.contact = cls.env["res.partner"].create(
            {"name": "Karima Zed", "phone": "0612345678", "psys_private_contact": True}
        )
        cls.beneficiary.partner_id = cls.contact
        cls.encounter = cls._encounter(cls.beneficiary)
        cls.orientation = cls.env["psys.orientation"].create(
            {"encounter_id": cls.encounter.id, "target_id": cls.target_cmp.id}
        )
        cls.note = cls.env["psys.note"].create(
            {"beneficiary_id": cls.beneficiary.id, "body": "Reviviscences", "author_id": cls.user_therapist.id}
        )
        cls.env.ref("base.group_allow_export").users += (
            cls.user_reception
            | cls.user_therapist
            | cls.user_therapist_2
            | cls.user_coordinator
            | cls.user_employee
            | cls.user_therapist_b
        )

    def assertChannelsRefused(self, user, channels):
        for name, call in channels.items():
            # Portal users may not export at all: the refusal comes earlier.
            expected = UserError if user.share and "export" in name else AccessError
            with self.subTest(user=user.login, channel=name), self.assertRaises(expected):
                call()


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestNamedContacts(PsysDataCase):
    def test_contact_belongs_to_the_association(self):
        self.assertEqual(self.contact.company_id, self.company)

    def test_name_readers(self):
        for user in (self.user_therapist, self.user_coordinator):
            with self.subTest(user=user.login):
                partners = self.env["res.partner"].with_user(user)
                self.assertEqual(self.contact.with_user(user).read(["name"])[0]["name"], "Karima Zed")
                self.assertEqual(partners.search([("name", "=", "Karima Zed")]), self.contact)
                self.assertEqual(self.beneficiary.with_user(user).partner_id, self.contact)

    def test_no_name_for_other_roles(self):
        """Reception, a plain employee, another association's therapist and a
        portal user: the contact itself is out of reach on every read path."""
        for user in (self.user_reception, self.user_employee, self.user_therapist_b, self.user_portal):
            partners = self.env["res.partner"].with_user(user)
            contact = self.contact.with_user(user)
            self.assertChannelsRefused(
                user,
                {
                    "read": lambda contact=contact: contact.read(["name"]),
                    "export": lambda contact=contact: contact.export_data(["name"]),
                },
            )
            # Search paths filter what the record rules hide.
            with self.subTest(user=user.login, channel="search paths"):
                self.assertFalse(partners.search([("name", "=", "Karima Zed")]))
                self.assertFalse(partners.search([("psys_private_contact", "=", True)]))
                self.assertFalse(partners.search_read([("phone", "=", "0612345678")], ["name"]))
                self.assertFalse(partners.read_group([("name", "=", "Karima Zed")], ["name"], ["name"]))
                self.assertNotIn(self.contact, partners.search([], order="name"))

    def test_no_name_through_the_beneficiary(self):
        """The link on the person is a named-contact field too: no name leaks
        through the beneficiary's read (the name comes with the id), search,
        grouping, ordering or export."""
        for user in (self.user_reception, self.user_employee, self.user_portal):
            beneficiaries = self.env["psys.beneficiary"].with_user(user)
            beneficiary = self.beneficiary.with_user(user)
            self.assertChannelsRefused(
                user,
                {
                    "read": lambda beneficiary=beneficiary: beneficiary.read(["partner_id"]),
                    "search": lambda b=beneficiaries: b.search([("partner_id.name", "ilike", "Karima")]),
                    "search_read": lambda b=beneficiaries: b.search_read([], ["partner_id"]),
                    "read_group": lambda b=beneficiaries: b.read_group([], ["code"], ["partner_id"]),
                    "order": lambda b=beneficiaries: b.search([], order="partner_id"),
                    "export": lambda beneficiary=beneficiary: beneficiary.export_data(["partner_id/name"]),
                },
            )

    def test_reception_withdraws_consent_without_reading_names(self):
        consent = self.beneficiary.consent_ids.with_user(self.user_reception)
        consent.withdrawn_date = fields.Date.today()
        self.assertFalse(self.beneficiary.partner_id)

    def test_contact_stays_private(self):
        self.user_coordinator.groups_id += self.env.ref("base.group_partner_manager")
        with self.assertRaises(AccessError):
            self.contact.with_user(self.user_coordinator).write({"psys_private_contact": False})

    def test_contact_of_another_association(self):
        other = self._beneficiary(company_id=self.company_b.id)
        self.env["psys.consent"].create({"beneficiary_id": other.id, "scope": "named_contact"})
        # Odoo's company check (``check_company``): a UserError naming the field.
        with self.assertRaisesRegex(UserError, "Named contact.*belongs to another company"):
            other.partner_id = self.contact


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestClinicalFactsAtTheDesk(PsysDataCase):
    def test_reception_sees_social_situation_only(self):
        beneficiary = self.beneficiary.with_user(self.user_reception)
        self.assertEqual(beneficiary.read(["situation_tag_ids"])[0]["situation_tag_ids"], self.tag_student.ids)
        beneficiaries = self.env["psys.beneficiary"].with_user(self.user_reception)
        tags = self.env["psys.situation.tag"].with_user(self.user_reception)
        self.assertChannelsRefused(
            self.user_reception,
            {
                "read": lambda: beneficiary.read(["clinical_tag_ids"]),
                "search": lambda: beneficiaries.search([("clinical_tag_ids", "in", self.tag_pathology.ids)]),
                "search by name": lambda: beneficiaries.search([("clinical_tag_ids.name", "ilike", "Patho")]),
                "search_read": lambda: beneficiaries.search_read([], ["clinical_tag_ids"]),
                "read_group": lambda: beneficiaries.read_group([], ["code"], ["clinical_tag_ids"]),
                "web_read_group": lambda: beneficiaries.web_read_group([], ["code"], ["clinical_tag_ids"]),
                "order": lambda: beneficiaries.search([], order="clinical_tag_ids"),
                "export": lambda: beneficiary.export_data(["clinical_tag_ids/name"]),
                "tag read": lambda: self.tag_pathology.with_user(self.user_reception).read(["name"]),
            },
        )
        # Nor through the desk's own field: the catalogue hides clinical tags.
        self.assertFalse(tags.search([("name", "=", self.tag_pathology.name)]))
        self.assertFalse(beneficiaries.search([("situation_tag_ids", "in", self.tag_pathology.ids)]))
        with self.assertRaisesRegex(ValidationError, "Clinical situation tags"):
            beneficiary.write({"situation_tag_ids": [(4, self.tag_pathology.id)]})

    def test_therapist_and_coordinator_see_clinical_situation(self):
        for user in (self.user_therapist, self.user_coordinator):
            with self.subTest(user=user.login):
                beneficiaries = self.env["psys.beneficiary"].with_user(user)
                self.assertEqual(self.beneficiary.with_user(user).clinical_tag_ids, self.tag_pathology)
                self.assertIn(
                    self.beneficiary, beneficiaries.search([("clinical_tag_ids", "in", self.tag_pathology.ids)])
                )

    def test_a_tag_flagged_clinical_moves(self):
        self.tag_student.is_clinical = True
        self.assertFalse(self.beneficiary.situation_tag_ids)
        self.assertEqual(self.beneficiary.clinical_tag_ids, self.tag_student | self.tag_pathology)
        self.tag_student.is_clinical = False
        self.assertEqual(self.beneficiary.situation_tag_ids, self.tag_student)
        self.assertEqual(self.beneficiary.clinical_tag_ids, self.tag_pathology)

    def test_only_who_writes_tags_moves_them(self):
        with self.assertRaises(AccessError):
            self.tag_student.with_user(self.user_therapist).write({"is_clinical": True})
        self.assertEqual(self.beneficiary.situation_tag_ids, self.tag_student, "nothing moved")
        self.assertFalse(self.tag_student.is_clinical)

    def test_reception_reads_no_orientation(self):
        orientations = self.env["psys.orientation"].with_user(self.user_reception)
        encounters = self.env["psys.encounter"].with_user(self.user_reception)
        encounter = self.encounter.with_user(self.user_reception)
        self.assertEqual(encounter.read(["kind"])[0]["kind"], "individual")
        self.assertChannelsRefused(
            self.user_reception,
            {
                "read": lambda: self.orientation.with_user(self.user_reception).read(["target_id"]),
                "search": lambda: orientations.search([]),
                "search_read": lambda: orientations.search_read([], ["target_id"]),
                "read_group": lambda: orientations.read_group([], ["target_id"], ["target_id"]),
                "export": lambda: self.orientation.with_user(self.user_reception).export_data(["target_id/name"]),
                "via encounter": lambda: encounter.read(["orientation_ids"]),
                "encounter search": lambda: encounters.search([("orientation_ids.target_id", "=", self.target_cmp.id)]),
                "encounter group": lambda: encounters.read_group([], ["kind"], ["orientation_ids"]),
                "encounter order": lambda: encounters.search([], order="orientation_ids"),
                "encounter export": lambda: encounter.export_data(["orientation_ids/target_id"]),
                "attach": lambda: encounter.write({"orientation_ids": [(0, 0, {"target_id": self.target_cmp.id})]}),
            },
        )
        # Therapists do see them.
        self.assertEqual(self.encounter.with_user(self.user_therapist).orientation_ids, self.orientation)

    def test_desk_form_has_no_clinical_field(self):
        """The forms the desk opens load without the clinical fields (no
        access error on opening, nothing to see)."""
        for model in ("psys.beneficiary", "psys.encounter"):
            with self.subTest(model=model):
                views = self.env[model].with_user(self.user_reception).get_views([(False, "form"), (False, "list")])
                arch = views["views"]["form"]["arch"] + views["views"]["list"]["arch"]
                for name in ("clinical_tag_ids", "orientation_ids", "theme_ids", "partner_id", "note_ids"):
                    self.assertNotIn(f'name="{name}"', arch)


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestNotesAccessLog(PsysDataCase):
    def _log_count(self, user=None):
        domain = [("note_id", "=", self.note.id)] + ([("user_id", "=", user.id)] if user else [])
        return self.env["psys.note.access.log"].search_count(domain)

    def test_every_path_that_returns_the_body_is_logged(self):
        note = self.note.with_user(self.user_therapist_2)
        notes = self.env["psys.note"].with_user(self.user_therapist_2)
        domain = [("id", "=", self.note.id)]
        paths = {
            "read": lambda: note.read(["body"]),
            "web_read": lambda: note.web_read({"body": {}}),
            "search_read": lambda: notes.search_read(domain, ["body"]),
            "web_search_read": lambda: notes.web_search_read(domain, {"body": {}}),
            "export": lambda: note.export_data(["body"]),
            "copy_data": lambda: note.copy_data(),
            "via beneficiary": lambda: self.beneficiary.with_user(self.user_therapist_2).web_read(
                {"note_ids": {"fields": {"body": {}}}}
            ),
        }
        for name, call in paths.items():
            with self.subTest(path=name):
                before = self._log_count(self.user_therapist_2)
                result = call()
                self.assertIn("Reviviscences", str(result))
                self.assertEqual(self._log_count(self.user_therapist_2), before + 1)
        entry = self.env["psys.note.access.log"].search([("note_id", "=", self.note.id)], limit=1)
        self.assertEqual(entry.access_type, "read")  # the last path
        self.assertEqual(entry.beneficiary_id, self.beneficiary)

    def test_grouping_never_returns_the_body(self):
        notes = self.env["psys.note"].with_user(self.user_therapist_2)
        self.assertChannelsRefused(
            self.user_therapist_2,
            {
                "read_group": lambda: notes.read_group([], ["beneficiary_id"], ["body"]),
                "web_read_group": lambda: notes.web_read_group([], ["beneficiary_id"], ["body"]),
                "aggregate": lambda: notes._read_group([], ["beneficiary_id"], ["body:array_agg"]),
            },
        )
        # Grouping by what is not the text stays possible.
        self.assertTrue(notes.read_group([], ["beneficiary_id"], ["beneficiary_id"]))

    def test_author_and_date_are_the_servers(self):
        notes = self.env["psys.note"].with_user(self.user_therapist_2)
        note = notes.create(
            {
                "beneficiary_id": self.beneficiary.id,
                "body": "Suite",
                "author_id": self.user_therapist.id,
                "date": "2020-01-01 10:00:00",
            }
        )
        self.assertEqual(note.author_id, self.user_therapist_2)
        self.assertEqual(note.date, fields.Datetime.now())
        for values in ({"author_id": self.user_therapist.id}, {"date": "2020-01-01 10:00:00"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                note.write(values)

    def test_only_the_author_changes_or_deletes(self):
        note = self.note.with_user(self.user_therapist_2)
        self.assertFalse(note.is_author)
        self.assertTrue(self.note.with_user(self.user_therapist).is_author)
        with self.assertRaises(AccessError):
            note.write({"body": "Changé"})
        with self.assertRaises(AccessError):
            note.action_delete()
        with self.assertRaises(AccessError):
            note.unlink()
        # The screens offer no delete but the author's own button.
        for view_type in ("form", "list"):
            arch = self.env["psys.note"].with_user(self.user_therapist_2).get_view(view_type=view_type)["arch"]
            self.assertIn('delete="0"', arch)
        form = self.env["psys.note"].with_user(self.user_therapist_2).get_view(view_type="form")["arch"]
        self.assertIn('invisible="not id or not is_author"', form)
        self.note.with_user(self.user_therapist).action_delete()
        self.assertFalse(self.note.exists())

    def test_log_is_purged_after_its_retention(self):
        self.assertEqual(self.company.psys_note_log_retention_months, 12)
        logs = self.env["psys.note.access.log"]
        now = fields.Datetime.now()
        old, recent = logs.create(
            [
                {
                    "note_id": self.note.id,
                    "user_id": self.user_therapist.id,
                    "access_type": "read",
                    "company_id": self.company.id,
                    "date": date,
                }
                for date in (now - relativedelta(months=12, days=1), now - relativedelta(months=11))
            ]
        )
        # Nobody deletes entries by hand, not even with the purge's flag.
        with self.assertRaises(UserError):
            old.with_user(self.user_clinical_coordinator).with_context(psys_note_log_purge=True).unlink()
        # Nor through a superuser's unlink: the purge is the one way out.
        with self.assertRaises(UserError):
            old.sudo().with_context(psys_note_log_purge=True).unlink()
        logs._cron_purge_expired()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.company.psys_note_log_retention_months = 0
        ancient = logs.create(
            {
                "note_id": self.note.id,
                "user_id": self.user_therapist.id,
                "access_type": "read",
                "company_id": self.company.id,
                "date": datetime(2020, 1, 1),
            }
        )
        logs._cron_purge_expired()
        self.assertTrue(ancient.exists(), "0 keeps the log for good")


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestDataSecurityOverRpc(HttpCase, PsysDataCase):
    """The same promises through /web/dataset/call_kw, as the web client and
    any script call them."""

    def _call(self, login, model, method, *args, **kwargs):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertRefused(self, login, model, method, *args, **kwargs):
        with self.subTest(login=login, model=model, method=method, args=args, kwargs=kwargs):
            with self.assertRaises(JsonRpcException) as caught:
                self._call(login, model, method, *args, **kwargs)
            self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError", login)

    def test_named_contact_over_rpc(self):
        for login in ("psys_reception", "psys_employee", "psys_therapist_b", "psys_portal"):
            self.assertRefused(login, "res.partner", "read", [self.contact.id], ["name"])
            if login != "psys_portal":  # portal users may not export anything at all
                self.assertRefused(login, "res.partner", "export_data", [self.contact.id], ["name"])
            found = self._call(login, "res.partner", "search_read", [("name", "=", "Karima Zed")], ["name"])
            self.assertEqual(found, [])
        self.assertRefused("psys_reception", "psys.beneficiary", "read", [self.beneficiary.id], ["partner_id"])
        self.assertRefused(
            "psys_reception", "psys.beneficiary", "search_read", [("partner_id.name", "ilike", "Kar")], ["code"]
        )
        self.assertRefused("psys_reception", "psys.beneficiary", "read_group", [], ["code"], ["partner_id"])
        self.assertRefused("psys_reception", "psys.beneficiary", "search", [], order="partner_id")
        found = self._call("psys_therapist", "res.partner", "read", [self.contact.id], ["name"])
        self.assertEqual(found[0]["name"], "Karima Zed")

    def test_clinical_facts_over_rpc(self):
        login = "psys_reception"
        beneficiary_ids = [self.beneficiary.id]
        self.assertRefused(login, "psys.beneficiary", "read", beneficiary_ids, ["clinical_tag_ids"])
        self.assertRefused(login, "psys.beneficiary", "search", [("clinical_tag_ids", "in", self.tag_pathology.ids)])
        self.assertRefused(login, "psys.beneficiary", "web_read_group", [], ["code"], ["clinical_tag_ids"])
        self.assertRefused(login, "psys.beneficiary", "search", [], order="clinical_tag_ids")
        self.assertRefused(login, "psys.beneficiary", "export_data", beneficiary_ids, ["clinical_tag_ids/name"])
        self.assertRefused(login, "psys.orientation", "search_read", [], ["target_id"])
        self.assertRefused(login, "psys.encounter", "read", [self.encounter.id], ["orientation_ids"])
        tags = self._call(login, "psys.beneficiary", "read", beneficiary_ids, ["situation_tag_ids"])
        self.assertEqual(tags[0]["situation_tag_ids"], self.tag_student.ids)

    def test_notes_log_over_rpc(self):
        login = "psys_therapist_2"
        before = self._log_count()
        self._call(login, "psys.note", "search_read", [("id", "=", self.note.id)], ["body"])
        self._call(login, "psys.note", "web_search_read", [("id", "=", self.note.id)], {"body": {}})
        self._call(login, "psys.note", "copy_data", [self.note.id])
        self.assertEqual(self._log_count(), before + 3)
        self.assertRefused(login, "psys.note", "web_read_group", [], ["beneficiary_id"], ["body"])
        created = self._call(
            login,
            "psys.note",
            "create",
            {
                "beneficiary_id": self.beneficiary.id,
                "body": "Suite",
                "author_id": self.user_therapist.id,
                "date": "2020-01-01 10:00:00",
            },
        )
        note = self.env["psys.note"].browse(created)
        self.assertEqual(note.author_id, self.user_therapist_2)
        self.assertEqual(note.date.year, 2026)
        self.assertRefused(login, "psys.note", "write", [note.id], {"author_id": self.user_therapist.id})
        self.assertRefused(login, "psys.note", "unlink", [self.note.id])

    def _log_count(self):
        return self.env["psys.note.access.log"].search_count([("note_id", "=", self.note.id)])
