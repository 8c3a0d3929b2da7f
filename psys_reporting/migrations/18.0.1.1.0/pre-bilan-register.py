"""The bilan wizard's ``mode`` is now ``edition`` (shared with ``psys.bilan``)."""

from openupgradelib import openupgrade


def migrate(cr, version):
    if openupgrade.column_exists(cr, "psys_bilan_wizard", "mode") and not openupgrade.column_exists(
        cr, "psys_bilan_wizard", "edition"
    ):
        openupgrade.rename_columns(cr, {"psys_bilan_wizard": [("mode", "edition")]})
