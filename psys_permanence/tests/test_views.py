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
            with form.attendance_ids.new() as line:
                line.dayofweek = "2"
                line.hour_from = 9.5
                line.hour_to = 12.5
            form.date_start = date(2027, 3, 1)
        permanence = form.record
        self.assertEqual(
            sorted((need.role, need.count) for need in permanence.need_ids), [("interview", 1), ("reception", 1)]
        )
        self.assertEqual(permanence.volunteer_count, 2)
        self.assertEqual(permanence.opening_summary, "Wednesday 09:30–12:30")
        self.assertEqual(permanence.resource_calendar_id.tz, "Europe/Paris")
        sessions = permanence._generate_sessions(date(2027, 3, 1), date(2027, 3, 14))
        self.assertEqual(sessions.mapped("date"), [date(2027, 3, 3), date(2027, 3, 10)])
        self.assertEqual(permanence.session_count, 2)
        self.assertEqual(permanence.action_view_sessions()["domain"], [("permanence_id", "=", permanence.id)])

    def test_opening_hours_in_french(self):
        """The form shows the opening hours as the lines of the permanence's
        calendar, one per day, with French labels."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "psys_permanence")])._update_translations(["fr_FR"])
        views = self.env["psys.permanence"].with_context(lang="fr_FR").get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        group = arch.xpath("//group[@name='opening_hours']")[0]
        self.assertEqual(group.get("string"), "Horaires d'ouverture")
        columns = [field.get("string") for field in group.xpath(".//field[@name='attendance_ids']/list/field")]
        self.assertEqual(columns, ["Jour", "De", "À"])
        self.assertFalse(arch.xpath("//field[@name='mon']"))
