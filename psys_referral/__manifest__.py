# Copyright 2026 psys contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Psys - Referrals and partnerships",
    "summary": "Partnerships with partner structures, bookable slots, portal booking "
    "by structure staff, closed-loop orientations, paid sessions and receipts",
    "version": "18.0.1.1.0",
    "category": "Services/Psys",
    "website": "https://github.com/psys-odoo/psys",
    "author": "psys contributors",
    "maintainers": ["psys-odoo"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["psys_base", "portal", "calendar", "account", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/psys_referral_rules.xml",
        "data/res_users_data.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "report/psys_receipt_report.xml",
        "views/psys_partnership_views.xml",
        "views/psys_slot_views.xml",
        "views/psys_agenda_views.xml",
        "views/psys_booking_views.xml",
        "views/psys_referral_views.xml",
        "views/psys_orientation_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "wizards/psys_receipt_wizard_views.xml",
        "views/psys_referral_menus.xml",
    ],
    "demo": [
        "demo/psys_referral_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "psys_referral/static/tests/tours/*.js",
        ],
    },
}
