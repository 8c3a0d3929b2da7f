"""The practitioner's accounting left psys_referral for psys_referral_account
(tariffs and prices, invoices, receipts, monthly statements, Factur-X). A
database upgraded from an earlier release had all of it in psys_referral:
its records and fields change owner (nothing is deleted, no column dropped;
18.0.1.2.1, so that a database already at the unreleased 18.0.1.2.0 of
psys_referral — a demo built from main before the split — moves too),
and psys_referral_account is upgraded in the same run from the release the
database was at, so that its own migrations bring its data up to date."""

from openupgradelib import openupgrade

ADDON = "psys_referral_account"

# The records of psys_referral_account's data files, by their XML id.
RECORDS = (
    "access_psys_receipt_wizard_reception",
    "access_psys_statement_coordinator",
    "access_psys_statement_wizard_coordinator",
    "action_report_psys_receipt",
    "action_report_psys_statement",
    "facturx_export_legal_identifier_scheme",
    "facturx_export_seller_tax_registration",
    "ir_cron_psys_monthly_statements",
    "ir_cron_psys_monthly_statements_ir_actions_server",
    "pricelist_preferential",
    "pricelist_preferential_item",
    "pricelist_standard",
    "pricelist_standard_item",
    "product_session",
    "product_session_product_template",
    "psys_document_issuer",
    "psys_receipt_wizard_action",
    "psys_receipt_wizard_menu",
    "psys_receipt_wizard_view_form",
    "psys_statement_action",
    "psys_statement_menu",
    "psys_statement_rule_company",
    "psys_statement_view_form",
    "psys_statement_view_list",
    "psys_statement_view_search",
    "psys_statement_wizard_action",
    "psys_statement_wizard_menu",
    "psys_statement_wizard_view_form",
    "report_invoice_document",
    "report_invoice_document_exempt_tax",
    "report_invoice_document_no_debits_option",
    "report_psys_receipt",
    "report_psys_statement",
    "res_partner_rule_psys_retained_accounting",
)
# The models psys_referral_account declares, and the fields it adds to others.
MODELS = ("psys.statement", "psys.receipt.wizard", "psys.statement.wizard")
FIELDS = {
    "res.company": ("psys_vat_exemption",),
    "res.config.settings": ("psys_vat_exemption",),
    "account.tax": ("psys_vat_exemption",),
    "account.move": ("psys_partnership_id",),
    "account.move.line": ("psys_booking_id",),
    "psys.booking": ("price", "tariff", "invoice_line_id", "statement_id", "invoice_id", "currency_id"),
    "psys.partnership": (
        "tariff_policy",
        "funder_id",
        "funded_rate",
        "currency_id",
        "payer",
        "product_id",
        "standard_pricelist_id",
        "preferential_pricelist_id",
    ),
}


def _moved_names():
    """LIKE patterns of the XML ids that change owner."""
    patterns = list(RECORDS)
    for model in MODELS:
        key = model.replace(".", "_")
        patterns += [f"model_{key}", f"field_{key}__%", f"selection__{key}__%", f"constraint_{key}_%"]
    for model, names in FIELDS.items():
        key = model.replace(".", "_")
        for name in names:
            patterns += [f"field_{key}__{name}", f"selection__{key}__{name}__%"]
    return patterns


def _like(pattern):
    """The LIKE form of a name or a ``prefix%`` pattern (``_`` is literal)."""
    literal = pattern.rstrip("%")
    return literal.replace("_", "\\_") + ("%" if pattern.endswith("%") else "")


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    for pattern in _moved_names():
        openupgrade.logged_query(
            cr,
            """UPDATE ir_model_data SET module = %s
                WHERE module = 'psys_referral' AND name LIKE %s
                  AND NOT EXISTS (SELECT 1 FROM ir_model_data other
                                   WHERE other.module = %s AND other.name = ir_model_data.name)""",
            (ADDON, _like(pattern), ADDON),
        )
    openupgrade.logged_query(
        cr,
        """UPDATE ir_model_constraint SET module = (SELECT id FROM ir_module_module WHERE name = %s)
            WHERE module = (SELECT id FROM ir_module_module WHERE name = 'psys_referral')
              AND model IN (SELECT id FROM ir_model WHERE model IN %s)""",
        (ADDON, MODELS),
    )
    # Upgraded, not installed: from the release psys_referral was at, so that
    # its migrations run (the module list was updated before this script).
    openupgrade.logged_query(
        cr,
        """UPDATE ir_module_module SET state = 'to upgrade', latest_version = %s,
                  demo = (SELECT demo FROM ir_module_module WHERE name = 'psys_referral')
            WHERE name = %s AND state IN ('uninstalled', 'to install')""",
        (version, ADDON),
    )
