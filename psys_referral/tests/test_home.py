from odoo.tests import tagged

from .common import PsysReferralCase


@tagged("post_install", "-at_install", "psys", "psys_referral")
class TestPractitionerHome(PsysReferralCase):
    def test_practitioner_lands_on_her_agenda(self):
        action = self.env.ref("psys_base.action_psys_home").with_user(self.user_therapist).run()
        # Her slots, booked and free side by side.
        self.assertEqual(action["res_model"], "psys.slot")
        self.assertIn("search_default_mine", action["context"])

    def test_therapist_without_partnership_does_not(self):
        action = self.env.ref("psys_base.action_psys_home").with_user(self.user_therapist_2).run()
        self.assertNotEqual(action.get("res_model"), "psys.slot")
