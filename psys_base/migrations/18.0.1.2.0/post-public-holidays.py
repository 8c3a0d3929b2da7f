"""The public holidays become data: the yearly job's first run writes those
of this year and the next two as company-wide leaves of every association
(until then they were computed in the code)."""

import logging

from openupgradelib import openupgrade

_logger = logging.getLogger(__name__)


@openupgrade.migrate()
def migrate(env, version):
    leaves = env["res.company"].search([])._psys_sync_public_holidays()
    _logger.info("%s public holidays written as company-wide leaves", len(leaves))
