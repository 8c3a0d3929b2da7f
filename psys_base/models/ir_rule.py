from odoo import api, models
from odoo.osv import expression

from .psys_secured import policy_domain


class IrRule(models.Model):
    """The record rules of a model with a declared policy (``psys.secured``)
    include the policy's own: company, owner and creator. They are computed
    from the policy, so no such model exists without them."""

    _inherit = "ir.rule"

    @api.model
    def _compute_domain(self, model_name, mode="read"):
        domain = super()._compute_domain(model_name, mode)
        extra = policy_domain(self.env[model_name], mode)
        if not extra:
            return domain
        return expression.AND([domain, extra]) if domain else extra
