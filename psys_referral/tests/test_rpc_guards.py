from odoo.http import Request
from odoo.tests import HttpCase, tagged

from odoo.addons.psys_base.tests.common import call_kw

from .common import PsysReferralCase


@tagged("post_install", "-at_install", "psys", "psys_referral", "psys_rpc")
class TestRpcGuards(HttpCase, PsysReferralCase):
    """Money and statuses change only through their actions; bad input gets
    a clear French answer (JSON-RPC as each role, and the portal pages)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["psys_base", "psys_referral"], ["fr_FR"], overwrite=True)
        cls.person = cls._beneficiary()
        cls.booking = cls.env["psys.booking"].create(
            {"slot_id": cls.slot.id, "beneficiary_id": cls.person.id, "structure_id": cls.structure.id}
        )

    def _call_kw(self, model, method, args, kwargs=None):
        """``(result, error)`` of a JSON-RPC call_kw in French."""
        return call_kw(self, model, method, args, kwargs, context={"lang": "fr_FR"})

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=Request.csrf_token(self)), allow_redirects=False)

    # 5. Money and statuses ------------------------------------------------------

    def test_reception_cannot_write_the_state(self):
        self.authenticate("psys_reception", "psys_reception")
        _result, error = self._call_kw("psys.booking", "write", [self.booking.ids, {"state": "seen"}])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn("ne changent que par les boutons", error["message"])
        self.booking.invalidate_recordset()
        self.assertEqual(self.booking.state, "booked")
        self.assertFalse(self.booking.encounter_id)

    def test_reception_cannot_create_a_seen_booking(self):
        self.authenticate("psys_reception", "psys_reception")
        values = {"slot_id": self.slot_2.id, "beneficiary_id": self.person.id}
        _result, error = self._call_kw("psys.booking", "create", [[dict(values, state="seen")]])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self.env["psys.booking"].search([("slot_id", "=", self.slot_2.id)]))
        # A default in the context is no way round: the booking is simply booked.
        booking_id, error = self._call_kw("psys.booking", "create", [[values]], {"context": {"default_state": "seen"}})
        self.assertFalse(error)
        booking = self.env["psys.booking"].browse(booking_id)
        self.assertEqual(booking.state, "booked")

    def test_statuses_of_referrals_change_through_their_actions(self):
        referral = self.booking.referral_id or self.env["psys.referral"].create(
            {"beneficiary_id": self.person.id, "partnership_id": self.partnership.id}
        )
        self.authenticate("psys_therapist", "psys_therapist")
        _result, error = self._call_kw("psys.referral", "write", [referral.ids, {"state": "completed"}])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        # The action checks the transition: a received referral is not completed.
        _result, error = self._call_kw("psys.referral", "action_complete", [referral.ids])
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn("ne peut pas devenir", error["message"])
        self.assertFalse(self._call_kw("psys.referral", "action_accept", [referral.ids])[1])
        referral.invalidate_recordset()
        self.assertEqual(referral.state, "accepted")

    # 8. Bad input ---------------------------------------------------------------

    def test_portal_ids_out_of_range_are_not_found(self):
        self.authenticate("psys_portal", "psys_portal")
        huge = 2**31 + 5
        self.assertEqual(self.url_open(f"/my/psys/slots/{huge}/book").status_code, 404)
        self.assertEqual(self._post(f"/my/psys/slots/{huge}/book", self._book_values()).status_code, 404)
        self.assertEqual(self.url_open(f"/my/psys/bookings/{huge}/move").status_code, 404)
        self.assertEqual(self._post(f"/my/psys/bookings/{huge}/cancel", {}).status_code, 404)

    def test_portal_form_ids_that_are_not_numbers(self):
        self.user_portal.lang = "fr_FR"
        self.authenticate("psys_portal", "psys_portal")
        before = self.env["psys.booking"].search_count([])
        for field, value, message in (
            ("beneficiary_id", "abc", "pas été orientée par votre structure"),
            ("beneficiary_id", str(2**40), "pas été orientée par votre structure"),
            ("territory_id", "1; DROP TABLE", "Territoire inconnu"),
            ("territory_id", str(2**33), "Territoire inconnu"),
        ):
            with self.subTest(field=field, value=value):
                response = self._post(f"/my/psys/slots/{self.slot_2.id}/book", self._book_values(**{field: value}))
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertEqual(self.env["psys.booking"].search_count([]), before, "Nothing half-written")
        # Moving to a slot that is not a number.
        response = self._post(f"/my/psys/bookings/{self.booking.id}/move", {"slot_id": "x1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choisissez le nouveau créneau", response.text)
        self.assertEqual(self.booking.slot_id, self.slot)

    def test_referrals_page_shows_no_message_from_the_url(self):
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open("/my/psys/referrals?error=Votre+compte+est+bloqu%C3%A9+appelez+le+0899")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("appelez le 0899", page.text)
        self.assertNotIn("o_psys_error", page.text)

    def test_malformed_dates_over_rpc(self):
        encounter = self._encounter(self.person)
        self.authenticate("psys_therapist", "psys_therapist")
        for model, method, args in (
            ("psys.booking", "search_read", [[("start", ">", "2026-13-45")], ["id"]]),
            ("psys.booking", "search_count", [[("start", "=", "pas une date")]]),
            ("psys.encounter", "write", [encounter.ids, {"date_start": "31/02/2026"}]),
            ("psys.encounter", "create", [[{"beneficiary_id": self.person.id, "date_start": "2026-02-30"}]]),
        ):
            with self.subTest(model=model, method=method):
                _result, error = self._call_kw(model, method, args)
                self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
                self.assertIn("n'est pas une date valide", error["message"])
                self.assertNotIn("invalid input syntax", error["message"])

    def test_ids_out_of_range_over_rpc(self):
        self.authenticate("psys_reception", "psys_reception")
        for method, args in (
            ("read", [[2**40], ["state"]]),
            ("search_read", [[("id", "=", 2**35)], ["state"]]),
            ("action_cancel", [[2**33]]),
        ):
            with self.subTest(method=method):
                _result, error = self._call_kw("psys.booking", method, args)
                self.assertEqual(error["name"], "odoo.exceptions.MissingError")
                self.assertIn("Aucun enregistrement n'a le numéro", error["message"])
