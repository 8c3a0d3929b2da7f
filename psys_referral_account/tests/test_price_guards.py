from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.psys_base.tests.common import call_kw

from .common import PsysReferralAccountCase


@tagged("post_install", "-at_install", "psys", "psys_referral_account", "psys_rpc")
class TestPriceGuards(HttpCase, PsysReferralAccountCase):
    """Money changes only through its actions (JSON-RPC as each role)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["psys_base", "psys_referral", "psys_referral_account"], ["fr_FR"], overwrite=True
        )
        cls.person = cls._beneficiary()
        cls.booking = cls.env["psys.booking"].create(
            {"slot_id": cls.slot.id, "beneficiary_id": cls.person.id, "structure_id": cls.structure.id}
        )

    def _call_kw(self, model, method, args, kwargs=None):
        """``(result, error)`` of a JSON-RPC call_kw in French."""
        return call_kw(self, model, method, args, kwargs, context={"lang": "fr_FR"})

    def test_reception_cannot_write_price_tariff_or_state(self):
        self.authenticate("psys_reception", "psys_reception")
        for values in ({"price": -999999}, {"tariff": "funded"}, {"state": "seen"}, {"price": 50, "state": "seen"}):
            with self.subTest(values=values):
                _result, error = self._call_kw("psys.booking", "write", [self.booking.ids, values])
                self.assertEqual(error["name"], "odoo.exceptions.AccessError")
                self.assertIn("ne changent que par les boutons", error["message"])
        self.booking.invalidate_recordset()
        self.assertEqual((self.booking.state, self.booking.price, self.booking.tariff), ("booked", 0.0, False))
        self.assertFalse(self.booking.encounter_id)

    def test_reception_cannot_create_a_priced_booking(self):
        self.authenticate("psys_reception", "psys_reception")
        values = {"slot_id": self.slot_2.id, "beneficiary_id": self.person.id}
        _result, error = self._call_kw("psys.booking", "create", [[dict(values, price=-5)]])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self.env["psys.booking"].search([("slot_id", "=", self.slot_2.id)]))
        booking_id, error = self._call_kw(
            "psys.booking", "create", [[values]], {"context": {"default_price": 9, "default_tariff": "funded"}}
        )
        self.assertFalse(error)
        booking = self.env["psys.booking"].browse(booking_id)
        self.assertEqual((booking.price, booking.tariff), (0.0, False))

    def test_price_has_sane_bounds(self):
        for price in (-1, 10**6):
            with self.subTest(price=price), self.assertRaises(ValidationError):
                self.booking.write({"price": price})
                self.booking.flush_recordset()

    def test_marking_seen_sets_the_price(self):
        """Through its action, as the practitioner: an encounter, a tariff, a price."""
        booking = self.env["psys.booking"].create(
            {"slot_id": self.slot_past.id, "beneficiary_id": self.person.id, "structure_id": self.structure.id}
        )
        self.partnership.tariff_policy = "funded"
        self.authenticate("psys_therapist", "psys_therapist")
        _result, error = self._call_kw("psys.booking", "action_mark_seen", [booking.ids])
        self.assertFalse(error)
        booking.invalidate_recordset()
        self.assertEqual((booking.state, booking.tariff, booking.price), ("seen", "funded", 0.0))
        self.assertTrue(booking.encounter_id)
