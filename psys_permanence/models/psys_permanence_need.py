from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy

SHIFT_ROLES = [("reception", "Reception (accueil)"), ("interview", "Interviews (entretien)")]


class PsysPermanenceNeed(models.Model):
    """How many volunteers of a role a permanence needs."""

    _name = "psys.permanence.need"
    _inherit = ["psys.secured"]
    _description = "Role needed by a permanence"
    _psys_policy = Policy()
    _order = "permanence_id, role"

    permanence_id = fields.Many2one("psys.permanence", required=True, ondelete="cascade", index=True)
    role = fields.Selection(SHIFT_ROLES, required=True)
    count = fields.Integer(string="Volunteers", required=True, default=1)
    company_id = fields.Many2one(related="permanence_id.company_id", store=True)

    _sql_constraints = [
        ("role_uniq", "unique(permanence_id, role)", "A permanence lists each role once."),
    ]

    @api.constrains("count")
    def _check_count(self):
        for need in self:
            if not 1 <= need.count <= 20:
                raise ValidationError(_("A role needs between 1 and 20 volunteers."))
