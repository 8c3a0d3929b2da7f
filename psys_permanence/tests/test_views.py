from datetime import date

from lxml import etree

from odoo.tests import Form, tagged

from .common import PermanenceCase

ACTIONS = [
    "psys_permanence.psys_permanence_action",
    "psys_permanence.psys_session_action",
    "psys_permanence.psys_shift_action_rota",
    "psys_permanence.psys_shift_action_mine",
    "psys_permanence.psys_shift_action_open",
    "psys_permanence.psys_shift_action_history",
    "psys_permanence.psys_desk_visit_action",
    "psys_permanence.psys_desk_register_action",
    "psys_permanence.psys_volunteer_availability_action",
    "psys_permanence.resource_calendar_leaves_action_psys_closing",
    "psys_permanence.psys_rota_autofill_action",
    "psys_permanence.psys_session_generate_action",
    "psys_base.psys_dashboard_action",
]


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestViews(PermanenceCase):
    def test_views_load_for_each_role(self):
        for user in (self.user_coordinator, self.user_therapist, self.user_reception):
            for xmlid in ACTIONS:
                if xmlid.endswith(("autofill_action", "generate_action")) and user != self.user_coordinator:
                    continue  # its menu and model are the coordinators'
                action = self.env.ref(xmlid)
                model = self.env[action.res_model].with_user(user)
                modes = [(False, mode) for mode in action.view_mode.split(",")] + [(False, "search")]
                views = model.get_views(modes)["views"]
                self.assertEqual(set(views), {mode for _id, mode in modes}, xmlid)
        # Reception never receives the themes in the encounter form.
        arch = (
            self.env["psys.encounter"]
            .with_user(self.user_reception)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("theme_ids", arch)

    def test_permanence_form_defaults_and_generation(self):
        with Form(self.env["psys.permanence"].with_user(self.user_coordinator)) as form:
            form.name = "Permanence de Suresnes"
            form.location_id = self.location_2
            form.wed = True
            form.hour_from = 9.5
            form.hour_to = 12.5
            form.date_start = date(2027, 3, 1)
        permanence = form.record
        self.assertEqual(
            sorted((need.role, need.count) for need in permanence.need_ids), [("interview", 1), ("reception", 1)]
        )
        self.assertEqual(permanence.volunteer_count, 2)
        sessions = permanence._generate_sessions(date(2027, 3, 1), date(2027, 3, 14))
        self.assertEqual(sessions.mapped("date"), [date(2027, 3, 3), date(2027, 3, 10)])
        self.assertEqual(permanence.session_count, 2)
        self.assertEqual(permanence.action_view_sessions()["domain"], [("permanence_id", "=", permanence.id)])

    def test_weekday_checkbox_beside_its_own_day(self):
        """A Friday permanence shows its ticked box next to "Friday" (the
        col="7" group put it next to "Saturday")."""
        arch = etree.fromstring(self.env["psys.permanence"].get_views([(False, "form")])["views"]["form"]["arch"])
        for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            field = arch.xpath(f"//div[@name='weekdays']//field[@name='{day}']")
            self.assertEqual(len(field), 1)
            label = field[0].getnext()
            self.assertEqual((label.tag, label.get("for")), ("label", day))
        self.assertFalse(arch.xpath("//group[@col='7']"))
