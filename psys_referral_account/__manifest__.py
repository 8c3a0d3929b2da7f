# Copyright 2026 psys contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Psys - Referrals: invoicing",
    "summary": "Paid sessions of the partnerships: standard, preferential and funded tariffs, "
    "invoices with the French VAT mentions and Factur-X, receipts for mutuelles, monthly statements",
    "version": "18.0.1.2.1",
    "category": "Services/Psys",
    "website": "https://github.com/psys-odoo/psys",
    "author": "psys contributors",
    "maintainers": ["psys-odoo"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "auto_install": ["psys_referral", "account"],
    "depends": [
        "psys_referral",
        "account",
        "account_edi_ubl_cii",
        "l10n_fr_account",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/psys_statement_rules.xml",
        "security/psys_accounting_rules.xml",
        "data/res_users_data.xml",
        "data/psys_statement_cron.xml",
        "report/psys_invoice_report.xml",
        "report/psys_receipt_report.xml",
        "report/psys_statement_report.xml",
        "report/psys_einvoicing_templates.xml",
        "views/psys_partnership_views.xml",
        "views/psys_booking_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/psys_receipt_wizard_views.xml",
        "wizards/psys_statement_wizard_views.xml",
        "views/psys_statement_views.xml",
        "views/psys_referral_account_menus.xml",
    ],
    "demo": [
        "demo/psys_referral_account_demo.xml",
    ],
}
