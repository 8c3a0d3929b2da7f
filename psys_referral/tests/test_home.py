from odoo.tests import tagged

from odoo.addons.psys_base.tests.common import PSYS_GROUPS

from .common import PsysReferralCase


@tagged("post_install", "-at_install", "psys", "psys_referral")
class TestPractitionerHome(PsysReferralCase):
    def test_practitioner_lands_on_her_agenda(self):
        action = self.env.ref("psys_base.action_psys_home").with_user(self.user_therapist).run()
        self.assertEqual(action["res_model"], "psys.booking")
        self.assertIn("search_default_mine", action["context"])

    def test_therapist_without_partnership_does_not(self):
        # (the second therapist of the common set-up holds the Mission Locale's partnership)
        newcomer = self._psys_user("psys_therapist_newcomer", PSYS_GROUPS["therapist"])
        action = self.env.ref("psys_base.action_psys_home").with_user(newcomer).run()
        self.assertNotEqual(action.get("res_model"), "psys.booking")
