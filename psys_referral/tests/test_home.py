from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.psys_base.tests.common import PSYS_GROUPS

from .common import PsysReferralCase


@tagged("post_install", "-at_install", "psys", "psys_referral")
class TestPractitionerHome(PsysReferralCase):
    def test_practitioner_lands_on_her_agenda(self):
        action = self.env.ref("psys_base.action_psys_home").with_user(self.user_therapist).run()
        # Her slots, booked and free side by side.
        self.assertEqual(action["res_model"], "psys.slot")
        self.assertIn("search_default_mine", action["context"])

    def test_therapist_without_partnership_does_not(self):
        # (the second therapist of the common set-up holds the Mission Locale's partnership)
        newcomer = self._psys_user("psys_therapist_newcomer", PSYS_GROUPS["therapist"])
        action = self.env.ref("psys_base.action_psys_home").with_user(newcomer).run()
        self.assertNotEqual(action.get("res_model"), "psys.slot")

    def test_my_partnerships_are_hers(self):
        """The practitioner finds her own partnerships (and their days on site)
        under Referrals, not only under the coordinator's Configuration."""
        other = self._partnership(self.structure_b, self.user_portal_b, practitioner_id=self.user_therapist_2.id)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_referral.psys_partnership_action_availability")
        Partnership = self.env["psys.partnership"].with_user(self.user_therapist)
        mine = Partnership.search(safe_eval(action["domain"], {"uid": self.user_therapist.id}))
        self.assertIn(self.partnership, mine)
        self.assertNotIn(other, mine)
        self.partnership.with_user(self.user_therapist).write(
            {"attendance_ids": [(0, 0, {"dayofweek": "3", "hour_from": 9.0, "hour_to": 12.0})]}
        )
        self.assertIn("3", self.partnership.attendance_ids.mapped("dayofweek"))
        menu = self.env.ref("psys_referral.psys_partnership_menu_availability")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_therapist)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_reception)._visible_menu_ids())


@tagged("post_install", "-at_install", "psys", "psys_referral")
class TestPendingRelays(PsysReferralCase):
    """The coordinator's home shows the relays the other structure has not closed."""

    def _dashboard(self, user):
        dashboard = self.env["psys.dashboard"].with_user(user).create({})
        dashboard.invalidate_recordset()
        return dashboard

    def test_coordinator_sees_pending_relays(self):
        person = self._beneficiary()
        relays = self.env["psys.orientation"].create(
            [{"beneficiary_id": person.id, "target_id": self.target_cmp.id, "date": "2026-10-01"} for _i in range(4)]
        )
        sent, received, accepted, closed = relays
        received.action_received()
        accepted.action_accepted()
        closed.action_accepted()
        closed.action_done()
        refused = self.env["psys.orientation"].create(
            {"beneficiary_id": person.id, "target_id": self.target_cmp.id, "refusal_reason": "Hors secteur"}
        )
        refused.action_refused()
        dashboard = self._dashboard(self.user_coordinator)
        self.assertTrue({sent, received, accepted} <= set(dashboard.pending_relay_ids))
        self.assertFalse(dashboard.pending_relay_ids & (closed | refused))
        pending = self.env["psys.orientation"].search([("state", "in", ("sent", "received", "accepted"))])
        self.assertEqual(dashboard.pending_relay_count, len(pending))
        action = dashboard.action_open_pending_relays()
        self.assertEqual(action["res_model"], "psys.orientation")
        opened = self.env["psys.orientation"].with_user(self.user_coordinator).search(action["domain"])
        self.assertTrue({sent, received, accepted} <= set(opened))
        self.assertFalse(opened & (closed | refused))

    def test_only_the_coordinator(self):
        self.env["psys.orientation"].create({"beneficiary_id": self._beneficiary().id, "target_id": self.target_cmp.id})
        dashboard = self._dashboard(self.user_therapist)
        self.assertFalse(dashboard.pending_relay_ids)
        self.assertFalse(dashboard.pending_relay_count)
        reception = self._dashboard(self.user_reception)
        with self.assertRaises(AccessError):
            reception.action_open_pending_relays()
