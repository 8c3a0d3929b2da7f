"""Linking keys of 18.0.1.0.0 (PBKDF2 with the database's salt only) become
legacy keys, peppered and stretched like the new ones.

The inputs of a key are never stored, so the old keys cannot be recomputed
with the new derivation. Each is kept, wrapped: scrypt(HMAC(pepper, "legacy|"
+ old key)), in ``linking_hash_legacy``. A lookup also derives the old key of
the typed inputs and wraps it the same way while legacy keys remain; a person
found that way gets the new key and loses the legacy one. A dump alone
(without the pepper) then allows no guess, old keys included; nobody loses
recognition. The old ``linking_key`` column is dropped by the upgrade once
the field is gone.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version or not column_exists(cr, "psys_beneficiary", "linking_key"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Beneficiary = env["psys.beneficiary"]
    cr.execute("SELECT DISTINCT linking_key FROM psys_beneficiary WHERE linking_key IS NOT NULL")
    old_keys = [row[0] for row in cr.fetchall()]
    for old_key in old_keys:
        cr.execute(
            SQL(
                "UPDATE psys_beneficiary SET linking_hash = NULL, linking_hash_legacy = %s WHERE linking_key = %s",
                Beneficiary._psys_wrap_legacy_key(old_key),
                old_key,
            )
        )
    cr.execute("UPDATE psys_beneficiary SET linking_key = NULL")
    # Keys typed in wizards before the upgrade are of no use any more.
    cr.execute("DELETE FROM psys_beneficiary_lookup")
    _logger.info("psys: %s linking keys of 18.0.1.0.0 kept as peppered legacy keys", len(old_keys))
