from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.policy import Policy

AUDIENCES = [
    ("residents", "Residents"),
    ("women", "Women"),
    ("students", "Students"),
    ("elderly", "Elderly people"),
    ("volunteers", "Volunteers of local structures"),
    ("professionals", "Field professionals"),
    ("other", "Other"),
]


class PsysEncounterAudience(models.Model):
    """How many people of an audience took part in a group session (no stubs)."""

    _name = "psys.encounter.audience"
    _inherit = ["psys.secured"]
    _description = "Group session participants per audience"
    _psys_policy = Policy(ownership=("encounter_id",))
    _order = "encounter_id, audience"

    encounter_id = fields.Many2one("psys.encounter", required=True, ondelete="cascade", index=True)
    audience = fields.Selection(AUDIENCES, required=True)
    count = fields.Integer(string="Participants", required=True, default=1)
    company_id = fields.Many2one(related="encounter_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("audience_uniq", "unique(encounter_id, audience)", "Count each audience once per group session."),
    ]

    @api.constrains("count")
    def _check_count(self):
        for line in self:
            if line.count < 1:
                raise ValidationError(_("An audience line counts at least one participant."))
