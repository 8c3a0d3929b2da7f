from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PsysCase


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestNamedContactWizard(PsysCase):
    """The practitioner records the consented contact of a person without
    any right on contacts in general; reception and portal users may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls._beneficiary()

    def _wizard(self, user, **values):
        return (
            self.env["psys.named.contact"]
            .with_user(user)
            .create(dict({"beneficiary_id": self.person.id, "name": "Karima B.", "email": "k@example.com"}, **values))
        )

    def test_practitioner_records_the_consented_contact(self):
        with self.assertRaises(AccessError, msg="No right on contacts in general"):
            self.env["res.partner"].with_user(self.user_therapist).create({"name": "Karima B."})
        form = Form(
            self.env["psys.named.contact"]
            .with_user(self.user_therapist)
            .with_context(default_beneficiary_id=self.person.id)
        )
        form.name = " Karima B. "
        form.email = "k@example.com"
        form.street = "3 rue des Lilas"
        form.consent = True
        wizard = form.save()
        # Through the RPC entry point, as the practitioner.
        call_kw(self.env["psys.named.contact"].with_user(self.user_therapist), "action_confirm", [wizard.ids], {})
        contact = self.person.partner_id
        self.assertEqual(
            (contact.name, contact.email, contact.street), ("Karima B.", "k@example.com", "3 rue des Lilas")
        )
        self.assertTrue(contact.psys_private_contact)
        self.assertEqual(contact.company_id, self.env.company)
        consents = self.person.consent_ids
        self.assertEqual(set(consents.mapped("scope")), {"named_contact", "invoicing"})
        self.assertEqual(consents.recorded_by_id, self.user_therapist)
        # Again, to correct the e-mail: the same contact, no consent twice.
        wizard = self._wizard(self.user_therapist, email="karima@example.com", consent=True)
        self.assertEqual(wizard.name, "Karima B.")
        wizard.action_confirm()
        self.assertEqual(self.person.partner_id, contact)
        self.assertEqual(contact.email, "karima@example.com")
        self.assertEqual(len(self.person.consent_ids), 2)

    def test_no_consent_no_name(self):
        wizard = self._wizard(self.user_therapist)
        with self.assertRaisesRegex(UserError, "consent"):
            wizard.action_confirm()
        self.assertFalse(self.person.partner_id)
        self.assertFalse(self.person.consent_ids)

    def test_refused_to_reception_portal_and_other_association(self):
        for user in (self.user_reception, self.user_portal, self.user_employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._wizard(user, consent=True)
        wizard = self._wizard(self.user_therapist, consent=True)
        for user in (self.user_reception, self.user_portal, self.user_therapist_2, self.user_therapist_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                call_kw(self.env["psys.named.contact"].with_user(user), "action_confirm", [wizard.ids], {})
        # Another association's practitioner, on their own form for our person.
        with self.assertRaises(AccessError):
            self._wizard(self.user_therapist_b, consent=True).action_confirm()
        self.assertFalse(self.person.partner_id)

    def test_a_shared_contact_is_not_edited(self):
        shared = self.env["res.partner"].create({"name": "CCAS accueil"})
        self.env["psys.consent"].create({"beneficiary_id": self.person.id, "scope": "named_contact"})
        self.person.partner_id = shared
        with self.assertRaisesRegex(UserError, "shared contact"):
            self._wizard(self.user_therapist, consent=True).action_confirm()
        self.assertEqual(shared.name, "CCAS accueil")
