"""Menus by role, each entry once: what each role finds in the Psys app.

A permanence volunteer (reception or interviews) finds the desk and her
shifts; an independent practitioner (a therapist with a partnership and no
shift) finds her partnerships and no permanence; nobody reaches the same
screen twice, and no section of the menu bar has the name of an entry of
another section (in French, the users' language)."""

from collections import Counter

from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_permanence.tests.common import PermanenceCase

VOLUNTEER = "psys_permanence.group_psys_volunteer"
THERAPIST = "psys_base.group_psys_therapist"
RECEPTION = "psys_base.group_psys_reception"
COORDINATOR = "psys_base.group_psys_coordinator"
PERMANENCES = "psys_permanence.psys_permanence_menu_root"
REFERRALS = "psys_referral.psys_referral_menu_root"
CONFIGURATION = "psys_base.psys_menu_config"
MY_PARTNERSHIPS = "psys_referral.psys_partnership_menu_availability"
MY_AVAILABILITY = "psys_referral.psys_availability_menu"


@tagged("post_install", "-at_install", "psys", "psys_repo")
class TestMenusByRole(PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk_volunteer = cls._menu_user("psys_menu_desk", f"{RECEPTION},{VOLUNTEER}")
        cls.interview_volunteer = cls._menu_user("psys_menu_interviews", f"{THERAPIST},{VOLUNTEER}")
        cls.coordinator = cls._menu_user("psys_menu_coordinator", COORDINATOR)
        cls.practitioner = cls._menu_user("psys_menu_practitioner", THERAPIST)
        structure = cls.env["res.partner"].create(
            {"name": "CCAS des menus", "is_company": True, "psys_structure_type": "ccas"}
        )
        cls.env["psys.partnership"].create(
            {
                "name": "Convention des menus",
                "practitioner_id": cls.practitioner.id,
                "structure_id": structure.id,
                "location_id": cls.location.id,
            }
        )

    @classmethod
    def _menu_user(cls, login, groups):
        return mail_new_test_user(cls.env, login=login, groups=groups, name=login.replace("_", " ").title())

    def _menus(self, user):
        """{xmlid: (name, action, parent xmlid)} of the Psys menus ``user`` sees, in French."""
        Menu = self.env["ir.ui.menu"].with_user(user).with_context(lang="fr_FR")
        loaded = Menu.load_menus(False)
        root = self.env.ref("psys_base.psys_menu_root").id
        menus, todo = {}, [(root, None)]
        while todo:
            menu_id, parent = todo.pop()
            menu = loaded[menu_id]
            if menu_id != root:
                menus[menu["xmlid"]] = (menu["name"], menu["action"], parent)
            todo.extend((child, menu["xmlid"] if menu_id != root else None) for child in menu["children"])
        return menus

    def _sections(self, menus):
        return {xmlid for xmlid, (_name, _action, parent) in menus.items() if parent is None}

    def assertEachEntryOnce(self, user):
        menus = self._menus(user)
        actions = Counter(action for _name, action, _parent in menus.values() if action)
        self.assertFalse([action for action, count in actions.items() if count > 1], "a screen reached twice")
        leaves = Counter(
            name for xmlid, (name, action, _parent) in menus.items() if action and xmlid not in self._sections(menus)
        )
        self.assertFalse([name for name, count in leaves.items() if count > 1], "two entries of the same name")
        for section in self._sections(menus):
            name = menus[section][0]
            # Configuration names the kinds of records the other sections run.
            others = [
                xmlid
                for xmlid, (other, _action, parent) in menus.items()
                if other == name and xmlid != section and parent not in (section, CONFIGURATION)
            ]
            self.assertFalse(others, f"the section {name} has the name of {others}")
        return menus

    def test_desk_volunteer(self):
        menus = self.assertEachEntryOnce(self.desk_volunteer)
        self.assertIn("psys_permanence.psys_desk_visit_menu", menus)
        self.assertIn("psys_permanence.psys_shift_menu_open", menus)
        self.assertNotIn(MY_PARTNERSHIPS, menus)
        self.assertNotIn(CONFIGURATION, menus)

    def test_interview_volunteer(self):
        menus = self.assertEachEntryOnce(self.interview_volunteer)
        self.assertIn("psys_permanence.psys_shift_menu_mine", menus)
        self.assertIn("psys_base.psys_note_menu", menus)
        self.assertNotIn("psys_permanence.psys_shift_menu_rota", menus)

    def test_practitioner(self):
        """Her partnerships and their days on site under Referrals; no desk,
        no shifts to take, no availability of a permanence volunteer."""
        menus = self.assertEachEntryOnce(self.practitioner)
        self.assertNotIn(PERMANENCES, menus)
        self.assertNotIn("psys_permanence.psys_shift_menu_open", menus)
        self.assertNotIn("psys_permanence.psys_volunteer_availability_menu", menus)
        self.assertEqual(menus[MY_PARTNERSHIPS][2], MY_AVAILABILITY)
        self.assertEqual(menus[MY_AVAILABILITY][2], REFERRALS)
        self.assertEqual(menus[MY_AVAILABILITY][0], "Mes disponibilités")
        self.assertNotIn(CONFIGURATION, menus)

    def test_coordinator(self):
        menus = self.assertEachEntryOnce(self.coordinator)
        self.assertIn("psys_permanence.psys_shift_menu_rota", menus)
        self.assertIn("psys_permanence.psys_desk_visit_menu", menus)
        self.assertIn("psys_referral.psys_partnership_menu", menus)

    def test_orientations_once(self):
        """ "Orientations" was both People › Orientations and the Referrals section."""
        menus = self._menus(self.coordinator)
        named = [xmlid for xmlid, (name, _action, _parent) in menus.items() if name == "Orientations"]
        self.assertEqual(named, ["psys_base.psys_orientation_menu"])

    def test_demo_roles(self):
        """The demo users of `setup/psys demo`, when this database has them."""
        expected = {
            "coordination": (PERMANENCES, "psys_permanence.psys_shift_menu_rota"),
            "therapeute": (PERMANENCES, "psys_permanence.psys_shift_menu_mine"),
            "accueil": (PERMANENCES, "psys_permanence.psys_desk_visit_menu"),
            "praticienne": (MY_PARTNERSHIPS,),
        }
        users = self.env["res.users"].search([("login", "in", list(expected))])
        if not users:
            self.skipTest("no demo users in this database")
        for user in users:
            with self.subTest(login=user.login):
                menus = self.assertEachEntryOnce(user)
                for xmlid in expected[user.login]:
                    self.assertIn(xmlid, menus)
                if user.login == "praticienne":
                    self.assertNotIn(PERMANENCES, menus)

    def test_each_home_is_an_entry_of_the_menu(self):
        """The web client finds the app of the screen it lands on (a fresh
        tab, a login) from the menu entry of that screen's action: each
        role's home must be one, or the Psys menu bar is missing."""
        for user in (self.desk_volunteer, self.interview_volunteer, self.coordinator, self.practitioner):
            with self.subTest(login=user.login):
                home = self.env["psys.dashboard"].with_user(user)._psys_home_action()
                actions = {action for _name, action, _parent in self._menus(user).values()}
                self.assertIn(f"{home['type']},{home['id']}", actions)
