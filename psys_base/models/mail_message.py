from odoo import models

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write


class MailMessage(models.Model):
    """The messages of psys records (their chatter, the notes' traces) stay
    on their record: a user's write never moves one onto or off it."""

    _name = "mail.message"
    _inherit = ["mail.message", "psys.action.guard"]
    _psys_policy = Policy(company=None, shared=CORE, belongs_to=("model", "res_id"))

    def write(self, vals):
        return secured_write(self, vals, super().write)

    def _psys_kept_by_law(self):
        """Those of these messages that the retention purge must not delete
        (an audit trail the law requires). Doors extend it."""
        return self.browse()
