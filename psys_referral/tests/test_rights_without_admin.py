from odoo.api import call_kw
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsysReferralCase


@tagged("psys_referral", "psys_security", "post_install", "-at_install")
class TestRightsWithoutAdmin(PsysReferralCase):
    """The coordinator sets up a new partner structure and its portal staff,
    the practitioner records the contact of a person who pays: no admin."""

    def _new_structure(self, user):
        Partner = self.env["res.partner"].with_user(user)
        structure = Partner.create({"name": "CAF de Test", "is_company": True, "psys_structure_type": "caf"})
        staff = Partner.create({"name": "Agent CAF", "parent_id": structure.id, "email": "agent.caf@example.com"})
        return structure, staff

    def _portal_line(self, user, partner):
        wizard = self.env["portal.wizard"].with_user(user).with_context(active_ids=partner.ids).create({})
        return wizard.user_ids.filtered(lambda line: line.partner_id == partner)

    def _grant(self, user, line):
        return call_kw(self.env["portal.wizard.user"].with_user(user), "action_grant_access", [line.ids], {})

    def test_coordinator_sets_up_a_structure_and_its_portal_staff(self):
        structure, staff = self._new_structure(self.user_coordinator)
        self.assertEqual(structure.psys_structure_type, "caf")
        structure.with_user(self.user_coordinator).write({"city": "Lille"})
        self._grant(self.user_coordinator, self._portal_line(self.user_coordinator, staff))
        agent = staff.user_ids
        self.assertEqual(len(agent), 1)
        self.assertTrue(agent._is_portal())
        self.assertEqual(agent.commercial_partner_id, structure)
        # The coordinator lists the agent on a partnership: the agent may book there.
        partnership = self._partnership(structure, self.env["res.users"])
        partnership.with_user(self.user_coordinator).booking_user_ids = agent
        self.assertEqual(self.env["psys.booking"]._psys_portal_partnerships(agent), partnership)
        with self.assertRaises(AccessError, msg="Deleting contacts stays with the administrators"):
            staff.with_user(self.user_coordinator).unlink()

    def test_coordinator_invites_only_the_staff_of_structures(self):
        contact = self.env["res.partner"].create(
            {"name": "Nadia", "email": "nadia@example.com", "psys_private_contact": True}
        )
        lonely = self.env["res.partner"].create({"name": "Voisin", "email": "voisin@example.com"})
        for partner in (contact, lonely, self.structure_b):
            line = self._portal_line(self.user_coordinator, partner)
            with self.subTest(partner=partner.name), self.assertRaises(AccessError):
                self._grant(self.user_coordinator, line)
            self.assertFalse(partner.user_ids)
        # The administrator may give it to someone who is no structure's staff, never to a named contact.
        admin = self.env.ref("base.user_admin")
        self._grant(admin, self._portal_line(admin, lonely))
        self.assertTrue(lonely.user_ids._is_portal())
        with self.assertRaises(AccessError):
            self._grant(admin, self._portal_line(admin, contact))

    def test_coordinator_revokes_the_staff_access(self):
        _structure, staff = self._new_structure(self.user_coordinator)
        line = self._portal_line(self.user_coordinator, staff)
        self._grant(self.user_coordinator, line)
        call_kw(self.env["portal.wizard.user"].with_user(self.user_coordinator), "action_revoke_access", [line.ids], {})
        self.assertFalse(staff.with_context(active_test=False).user_ids.active)

    def test_refused_to_reception_practitioner_and_portal(self):
        _structure, staff = self._new_structure(self.user_coordinator)
        line = self._portal_line(self.user_coordinator, staff)
        for user in (self.user_reception, self.user_therapist, self.user_portal, self.user_employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._new_structure(user)
                with self.assertRaises(AccessError):
                    self.env["portal.wizard"].with_user(user).create({"partner_ids": staff.ids})
                with self.assertRaises(AccessError):
                    self._grant(user, line)
                with self.assertRaises(AccessError):
                    self.structure.with_user(user).write({"psys_structure_type": "caf"})
        # Another association's coordinator, on our coordinator's wizard line.
        other = self._psys_user("psys_coordinator_b", "psys_base.group_psys_coordinator")
        other.write({"company_id": self.company_b.id, "company_ids": [(6, 0, self.company_b.ids)]})
        with self.assertRaises(AccessError):
            self._grant(other, line)
        self.assertFalse(staff.user_ids)
