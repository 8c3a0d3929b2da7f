from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PsysCase, stored_row


@tagged("post_install", "-at_install", "psys")
class TestBeneficiary(PsysCase):
    def test_code_from_sequence(self):
        first, second = self.env["psys.beneficiary"].create([{}, {}])
        self.assertRegex(first.code, r"^P\d{2}-\d{5}$")
        self.assertNotEqual(first.code, second.code)
        self.assertEqual(first.state, "active")

    def test_empty_or_duplicate_code_is_refused(self):
        beneficiary = self._beneficiary()
        code = beneficiary.code
        with self.assertRaisesRegex(ValidationError, "needs a code"), self.cr.savepoint():
            beneficiary.write({"code": "   "})
        beneficiary.invalidate_recordset()
        self.assertEqual(beneficiary.code, code)
        other = self._beneficiary()
        with self.assertRaises(Exception), self.cr.savepoint():
            other.write({"code": beneficiary.code})
            other.flush_recordset()
        # The same code is free in another association.
        self._beneficiary(code=beneficiary.code, company_id=self.company_b.id)

    def test_linking_key_recognises_without_storing(self):
        beneficiary = self._beneficiary(link_initials="j-d", link_birth_year=1980, link_sex="f")
        self.assertTrue(beneficiary.has_linking_key)
        self.assertEqual(len(beneficiary._psys_read_linking_keys()[0]), 64)
        found = self.env["psys.beneficiary"]._find_by_linking_inputs("JD", 1980, "f")
        self.assertEqual(found, beneficiary)
        self.assertFalse(self.env["psys.beneficiary"]._find_by_linking_inputs("JD", 1981, "f"))
        self.assertFalse(self.env["psys.beneficiary"]._find_by_linking_inputs("JD", 1980, "m"))
        # Accents and separators do not change the key.
        self.assertEqual(
            self.env["psys.beneficiary"]._find_by_linking_inputs("Jé", 1980, "f"), self.env["psys.beneficiary"]
        )
        self.assertEqual(self.env["psys.beneficiary"]._find_by_linking_inputs("j.d.", 1980, "f"), beneficiary)
        # Re-typing them on another record would record the person twice.
        with self.assertRaisesRegex(ValidationError, "are those of " + beneficiary.code), self.cr.savepoint():
            self._beneficiary(link_initials="JD", link_birth_year="1980", link_sex="f")
        # The inputs are nowhere in the row.
        self.env.flush_all()
        row = stored_row(self.cr, "psys_beneficiary", beneficiary.id)
        self.assertNotIn("1980", row)
        self.assertNotIn('"JD"', row)
        beneficiary.invalidate_recordset()
        self.assertFalse(beneficiary.link_initials)
        self.assertFalse(beneficiary.link_birth_year)

    def test_linking_key_depends_on_the_salt(self):
        model = self.env["psys.beneficiary"]
        key = model._make_linking_key("JD", 1980, "f")
        self.env["ir.config_parameter"].sudo().set_param("psys_base.linking_salt", "another-database")
        self.assertNotEqual(model._make_linking_key("JD", 1980, "f"), key)
        self.assertEqual(model._make_linking_key("JD", 1980, "f"), model._make_linking_key("jd", 1980, "f"))

    @freeze_time("2026-06-15")
    def test_age_bracket_derived_from_birth_year(self):
        cases = {
            2016: "under_12",
            2010: "12_17",
            2005: "18_25",
            1990: "26_39",
            1970: "40_59",
            1960: "60_74",
            1940: "75_plus",
        }
        for year, bracket in cases.items():
            beneficiary = self.env["psys.beneficiary"].create(
                {"link_initials": "AB", "link_birth_year": year, "link_sex": "m"}
            )
            self.assertEqual(beneficiary.age_bracket, bracket, year)
        # An age bracket entered by hand wins over the derived one.
        entered = self.env["psys.beneficiary"].create(
            {"age_bracket": "40_59", "link_initials": "CD", "link_birth_year": 1990, "link_sex": "m"}
        )
        self.assertEqual(entered.age_bracket, "40_59")

    def test_bad_linking_inputs(self):
        count = self.env["psys.beneficiary"].search_count([])
        for values, message in [
            ({"link_initials": "AB", "link_birth_year": 2999, "link_sex": "f"}, "not possible"),
            ({"link_initials": "AB", "link_birth_year": 1850, "link_sex": "f"}, "not possible"),
            ({"link_initials": "AB", "link_birth_year": "19a0", "link_sex": "f"}, "four digits"),
            ({"link_initials": "ABCDEF", "link_birth_year": 1980, "link_sex": "f"}, "1 to 4 letters"),
            ({"link_initials": "AB"}, "together"),
            ({"link_initials": "12", "link_birth_year": 1980, "link_sex": "f"}, "together"),
        ]:
            with self.assertRaisesRegex(ValidationError, message), self.cr.savepoint():
                self.env["psys.beneficiary"].create(values)
        self.assertEqual(self.env["psys.beneficiary"].search_count([]), count, "nothing half-written")

    def test_errors_speak_french(self):
        beneficiary = self._beneficiary().with_context(lang="fr_FR")
        with self.assertRaisesRegex(ValidationError, "Un bénéficiaire doit avoir un code."):
            beneficiary.write({"code": " "})
        with self.assertRaisesRegex(ValidationError, "L'année de naissance 2999 n'est pas possible"):
            beneficiary._make_linking_key("AB", 2999, "f")

    def test_first_contact_in_the_future_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self._beneficiary(first_contact_date="2999-01-01")

    def test_named_contact_needs_consent(self):
        beneficiary = self._beneficiary()
        contact = self.env["res.partner"].create({"name": "Karim B.", "psys_private_contact": True})
        with self.assertRaisesRegex(ValidationError, "no current consent"):
            beneficiary.partner_id = contact
        consent = self.env["psys.consent"].create({"beneficiary_id": beneficiary.id, "scope": "named_contact"})
        beneficiary.partner_id = contact
        self.assertTrue(beneficiary.has_contact_consent)
        # Withdrawing the consent forgets the name...
        consent.withdrawn_date = consent.given_date
        self.assertEqual(consent.state, "withdrawn")
        self.assertFalse(beneficiary.partner_id)
        # ...and a name cannot come back without a new consent.
        with self.assertRaisesRegex(ValidationError, "no current consent"):
            beneficiary.partner_id = contact

    def test_consent_dates(self):
        beneficiary = self._beneficiary()
        with self.assertRaisesRegex(ValidationError, "future"):
            self.env["psys.consent"].create(
                {"beneficiary_id": beneficiary.id, "scope": "reminders", "given_date": "2999-01-01"}
            )
        with self.assertRaisesRegex(ValidationError, "before it was given"):
            self.env["psys.consent"].create(
                {
                    "beneficiary_id": beneficiary.id,
                    "scope": "reminders",
                    "given_date": "2025-05-02",
                    "withdrawn_date": "2025-05-01",
                }
            )

    def test_lookup_wizard(self):
        beneficiary = self._beneficiary(link_initials="MT", link_birth_year=1975, link_sex="m")
        lookup = Form(self.env["psys.beneficiary.lookup"].with_user(self.user_reception))
        lookup.link_initials = "mt"
        lookup.link_birth_year = 1975
        lookup.link_sex = "m"
        action = lookup.save().action_search()
        self.assertEqual(action["res_id"], beneficiary.id)
        by_code = (
            self.env["psys.beneficiary.lookup"]
            .with_user(self.user_reception)
            .create({"code": beneficiary.code.lower()})
        )
        self.assertEqual(by_code.action_search()["res_id"], beneficiary.id)
        # The wizard keeps only the key, like the beneficiary.
        self.env.flush_all()
        self.assertNotIn("1975", stored_row(self.cr, "psys_beneficiary_lookup", by_code.id))
        empty = self.env["psys.beneficiary.lookup"].create({})
        with self.assertRaisesRegex(Exception, "Give a code"):
            empty.action_search()

    def test_territory_hierarchy(self):
        town = self.env["psys.territory"].create({"name": "Brive", "kind": "town"})
        district = self.env["psys.territory"].create({"name": "Rivet", "parent_id": town.id, "is_qpv": True})
        self.assertEqual(district.complete_name, "Brive / Rivet")
        with self.assertRaises(UserError):
            town.parent_id = district


@tagged("post_install", "-at_install", "psys", "psys_base")
class TestCreationMessage(PsysCase):
    def test_creation_message_in_one_language(self):
        """Data loading runs without a language: the chatter of a new record
        read "Beneficiary (pseudonymous) créé" for a French user."""
        self.user_reception.lang = "fr_FR"
        env = self.env(user=self.user_reception, context={})
        self.assertFalse(env.lang)
        beneficiary = env["psys.beneficiary"].create({"age_bracket": "26_39", "gender": "female"})
        body = beneficiary.message_ids[-1].body
        self.assertIn("Bénéficiaire (pseudonyme)", body)
        self.assertNotIn("Beneficiary", body)

    def test_creation_message_agrees_in_french(self):
        """Issue 27, point 16: "Rencontre créé" (mail's "%s created" on a
        feminine document): psys documents read "Rencontre : fiche créée"."""
        self.user_therapist.lang = "fr_FR"
        env = self.env(user=self.user_therapist, context=dict(self.env.context, lang="fr_FR", tracking_disable=False))
        encounter = env["psys.encounter"].create(
            {
                "beneficiary_id": self._beneficiary().id,
                "location_id": self.location.id,
                "practitioner_ids": [(6, 0, self.user_therapist.ids)],
            }
        )
        body = encounter.message_ids[-1].body
        self.assertIn("Rencontre : fiche créée", body)
        self.assertNotIn("créé<", body)
