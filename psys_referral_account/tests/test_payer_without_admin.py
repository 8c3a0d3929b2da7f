from datetime import datetime

from odoo.api import call_kw
from odoo.tests import tagged

from .common import PsysReferralAccountCase


@tagged("psys_referral_account", "psys_security", "post_install", "-at_install")
class TestPayerWithoutAdmin(PsysReferralAccountCase):
    """The practitioner invoices without any administrator's help."""

    def test_practitioner_records_the_payer_then_invoices(self):
        """A self-referred person pays: the practitioner records the consented
        contact, marks the session seen, the invoice names the contact."""
        self._setup_accounting()
        person = self._beneficiary()
        slot = self._slot(self.partnership, datetime(2026, 11, 2, 9))
        booking = self.env["psys.booking"].create({"slot_id": slot.id, "beneficiary_id": person.id})
        practitioner = self.user_therapist
        wizard = (
            self.env["psys.named.contact"]
            .with_user(practitioner)
            .create(
                {
                    "beneficiary_id": person.id,
                    "name": "Sophie Martin",
                    "email": "sophie@example.com",
                    "city": "Lille",
                    "consent": True,
                }
            )
        )
        call_kw(self.env["psys.named.contact"].with_user(practitioner), "action_confirm", [wizard.ids], {})
        booking.with_user(practitioner).action_mark_seen()
        self.assertEqual(booking.invoice_id.partner_id, person.partner_id)
        self.assertEqual(booking.invoice_id.partner_id.name, "Sophie Martin")
        self.assertEqual(booking.price, 50.0)
