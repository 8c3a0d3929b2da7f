"""How a walk-in came (« Came on their own »…) read in English at the desk:
the desk's records now carry this addon's French terms, written here over
the upgraded database."""

import logging

from openupgradelib import openupgrade

from odoo.addons.psys_base.models.psys_referral_source_mixin import REFERRAL_SOURCES
from odoo.addons.psys_base.tools.translations import reload_french_terms

_logger = logging.getLogger(__name__)


@openupgrade.migrate()
def migrate(env, version):
    count = reload_french_terms(env, "psys_permanence", {label for _value, label in REFERRAL_SOURCES})
    _logger.info("%s French terms of psys_permanence corrected", count)
