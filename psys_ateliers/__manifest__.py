# Copyright 2026 psys contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Psys - Workshops and Sentinels",
    "summary": "Workshop cycles in priority neighbourhoods, individual interviews, "
    "evaluation questionnaires, orientations and the Sentinelles register",
    "version": "18.0.1.1.0",
    "category": "Services/Psys",
    "website": "https://github.com/psys-odoo/psys",
    "author": "psys contributors",
    "maintainers": ["psys-odoo"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["psys_base", "mail", "event", "survey"],
    "data": [
        "security/psys_ateliers_security.xml",
        "security/ir.model.access.csv",
        "security/psys_ateliers_rules.xml",
        "data/survey_survey_data.xml",
        "views/psys_workshop_cycle_views.xml",
        "views/event_event_views.xml",
        "views/psys_workshop_interview_views.xml",
        "views/psys_sentinel_views.xml",
        "views/psys_orientation_views.xml",
        "wizards/psys_workshop_generate_views.xml",
        "views/psys_ateliers_menus.xml",
    ],
    "demo": [
        "demo/psys_ateliers_demo.xml",
    ],
}
