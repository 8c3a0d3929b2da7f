# Copyright 2026 psys contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Psys - Reporting",
    "summary": "Analysis views, indicator catalogue and the yearly bilan (PDF, XLSX) "
    "with statistical secrecy for community mental-health programmes",
    "version": "18.0.1.1.0",
    "category": "Services/Psys",
    "website": "https://github.com/psys-odoo/psys",
    "author": "psys contributors",
    "maintainers": ["psys-odoo"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["psys_base", "web", "report_xlsx"],
    "external_dependencies": {"python": ["xlsxwriter", "scipy"]},
    "data": [
        "security/ir.model.access.csv",
        "security/psys_reporting_rules.xml",
        "data/psys_indicator_data.xml",
        "report/psys_bilan_report.xml",
        "report/psys_bilan_templates.xml",
        "views/psys_encounter_report_views.xml",
        "views/psys_encounter_theme_report_views.xml",
        "views/psys_orientation_report_views.xml",
        "views/psys_indicator_views.xml",
        "views/res_config_settings_views.xml",
        "views/psys_bilan_views.xml",
        "wizards/psys_bilan_wizard_views.xml",
        "views/psys_reporting_menus.xml",
    ],
}
