# Copyright 2026 psys contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "Psys - Permanences",
    "summary": "Drop-in permanences: volunteer rotas, coverage, shifts in the calendar "
    "and the reception desk for walk-ins",
    "version": "18.0.1.2.0",
    "category": "Services/Psys",
    "website": "https://github.com/psys-odoo/psys",
    "author": "psys contributors",
    "maintainers": ["psys-odoo"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["psys_base", "calendar", "mail", "resource"],
    "data": [
        "security/psys_permanence_security.xml",
        "security/ir.model.access.csv",
        "security/psys_permanence_rules.xml",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "wizards/psys_session_generate_views.xml",
        "views/psys_permanence_views.xml",
        "views/psys_session_views.xml",
        "views/psys_shift_views.xml",
        "views/psys_volunteer_availability_views.xml",
        "views/resource_calendar_leaves_views.xml",
        "views/psys_desk_visit_views.xml",
        "views/psys_encounter_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/psys_dashboard_views.xml",
        "wizards/psys_rota_autofill_views.xml",
        "wizards/psys_session_cancel_views.xml",
        "wizards/psys_shift_replacement_wizard_views.xml",
        "wizards/psys_desk_register_views.xml",
        "views/psys_rota_week_views.xml",
        "views/psys_permanence_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "psys_permanence/static/src/**/*",
        ],
        "web.assets_tests": [
            "psys_permanence/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/psys_permanence_demo.xml",
    ],
}
