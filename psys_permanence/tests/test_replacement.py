from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestReplacement(PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._sessions(cls.permanence, date(2026, 11, 13), date(2026, 11, 13))
        cls.interview = cls.session.shift_ids.filtered(lambda shift: shift.role == "interview")
        cls.reception = cls.session.shift_ids.filtered(lambda shift: shift.role == "reception")
        cls.interview.with_user(cls.user_therapist).action_sign_up()
        # A colleague without e-mail, notified by e-mail: the case that failed.
        cls.user_therapist_2.write({"notification_type": "email"})
        cls.user_therapist_2.partner_id.email = False

    def test_button_asks_the_reason(self):
        action = self.interview.with_user(self.user_therapist).action_request_replacement()
        self.assertEqual(action["res_model"], "psys.shift.replacement.wizard")
        self.assertFalse(self.interview.replacement_requested, "nothing asked before the reason is given")
        wizard = (
            self.env["psys.shift.replacement.wizard"]
            .with_user(self.user_therapist)
            .with_context(**action["context"])
            .create({"reason": "Malade"})
        )
        result = wizard.action_confirm()
        self.assertEqual(result["tag"], "display_notification", "the volunteer sees that it worked")
        self.assertEqual(self.interview.state, "replacement")
        self.assertEqual(self.interview.replacement_reason, "Malade")
        with self.assertRaisesRegex(UserError, "reason"):
            self.interview.with_user(self.user_therapist)._request_replacement("  ")

    def test_qualified_available_colleagues_are_told(self):
        # Available elsewhere only: not told.
        outsider = self._volunteer("psys_outsider")
        self._availability(outsider, location_ids=[(6, 0, self.location_2.ids)])
        self.interview.with_user(self.user_therapist).action_request_replacement("Malade")
        candidates = self.interview._get_replacement_candidates()
        self.assertIn(self.user_therapist_2, candidates)
        self.assertNotIn(self.user_therapist, candidates, "not the holder")
        self.assertNotIn(self.user_reception, candidates, "interviews are for therapists")
        self.assertNotIn(outsider, candidates, "not available at this antenna")
        message = self.interview.message_ids[0]
        self.assertIn("Malade", message.body)
        # Without an e-mail address: an activity, and no failed e-mail.
        self.assertNotIn(self.user_therapist_2.partner_id, message.partner_ids)
        activity = self.interview.activity_ids.filtered(lambda act: act.user_id == self.user_therapist_2)
        self.assertTrue(activity)
        failures = self.env["mail.notification"].search(
            [("mail_message_id.model", "=", "psys.shift"), ("mail_message_id.res_id", "=", self.interview.id)]
        )
        self.assertFalse(failures.filtered(lambda notif: notif.notification_status in ("exception", "bounce")))

    def test_take_over_tells_the_holder_without_email(self):
        self.user_therapist.partner_id.email = False
        self.user_therapist.notification_type = "email"
        self.interview.with_user(self.user_therapist).action_request_replacement("Malade")
        self.interview.with_user(self.user_therapist_2).action_take_over()
        self.assertEqual(self.interview.user_id, self.user_therapist_2)
        self.assertTrue(self.interview.activity_ids.filtered(lambda act: act.user_id == self.user_therapist))

    def test_shifts_i_can_take(self):
        other = self._sessions(self.permanence_2, date(2026, 11, 13), date(2026, 11, 13))
        away = self._volunteer("psys_away")
        self._availability(away, location_ids=[(6, 0, self.location_2.ids)], fri=False)
        Shift = self.env["psys.shift"]
        takeable = Shift.with_user(self.user_therapist_2).search([("is_takeable", "=", True)])
        self.assertIn(self.reception, takeable)
        self.assertNotIn(self.interview, takeable, "held, no replacement asked")
        self.assertTrue(other.shift_ids <= takeable)
        for_reception = Shift.with_user(self.user_reception).search([("is_takeable", "=", True)])
        self.assertIn(self.reception, for_reception)
        self.assertNotIn(other.shift_ids.filtered(lambda shift: shift.role == "interview"), for_reception)
        sessions = self.session | other
        self.assertFalse(
            Shift.with_user(away).search([("is_takeable", "=", True), ("session_id", "in", sessions.ids)]),
            "not on Fridays",
        )
        self.assertTrue(self.reception.with_user(self.user_therapist_2).is_takeable)

    def test_never_the_other_shift_of_my_session(self):
        """Issue 27, point 9: « Créneaux que je peux prendre » offered the other
        shift of a session the volunteer already works (and any shift at the
        same time), which then failed on saving."""
        other = self._sessions(self.permanence_2, date(2026, 11, 13), date(2026, 11, 13))  # 14:00-18:00, same day
        next_week = self._sessions(self.permanence, date(2026, 11, 20), date(2026, 11, 20))
        Shift = self.env["psys.shift"].with_user(self.user_therapist)  # holds this session's interview
        takeable = Shift.search([("is_takeable", "=", True)])
        self.assertNotIn(self.reception, takeable, "the other shift of her own session")
        self.assertFalse(other.shift_ids & takeable, "another antenna at the same hours")
        self.assertTrue(next_week.shift_ids <= takeable, "another day")
        self.assertFalse(self.reception.with_user(self.user_therapist).is_takeable)
        # Nor is she asked to replace someone at a time she already works.
        self.reception.with_user(self.user_therapist_2).action_sign_up()
        self.assertNotIn(self.user_therapist, self.reception._get_replacement_candidates())
        self.assertIn(self.user_reception, self.reception._get_replacement_candidates())

    def test_history_reads_the_status(self):
        """Issue 27, point 16: asking for a replacement reads « Pourvu →
        Remplacement recherché », not « Non → Oui (Remplacement demandé) »."""
        self.env.cr.precommit.data.pop("mail.tracking.psys.shift", None)
        interview = self.interview.with_context(tracking_disable=False)
        interview.with_user(self.user_therapist).action_request_replacement("Malade")
        self.env.flush_all()
        self.env.cr.flush()
        values = self.env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", "psys.shift"), ("mail_message_id.res_id", "=", self.interview.id)]
        )
        self.assertEqual(values.field_id.mapped("name"), ["state"])
        self.assertEqual((values.old_value_char, values.new_value_char), ("Filled", "Replacement wanted"))
