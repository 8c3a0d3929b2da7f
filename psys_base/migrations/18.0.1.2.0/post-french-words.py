"""« Repeat visit » read « Nouvelle venue » (a new person): its French is
corrected in i18n/fr.po, written here over the upgraded database."""

import logging

from openupgradelib import openupgrade

from odoo.addons.psys_base.tools.translations import reload_french_terms

_logger = logging.getLogger(__name__)


@openupgrade.migrate()
def migrate(env, version):
    count = reload_french_terms(env, "psys_base", {"Repeat visit", "Repeat visits"})
    _logger.info("%s French terms of psys_base corrected", count)
