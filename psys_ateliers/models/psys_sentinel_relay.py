from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy

SITUATION_KINDS = [
    ("isolation", "Isolation"),
    ("distress", "Psychological distress"),
    ("suicide_risk", "Suicide risk"),
    ("violence", "Conflict or violence"),
    ("addiction", "Addiction"),
    ("elderly", "Elderly person in difficulty"),
    ("youth", "Young person in difficulty"),
    ("other", "Other"),
]


class PsysSentinelRelay(models.Model):
    """A situation a sentinel noticed and relayed. Deliberately without any
    field that could identify the person they helped."""

    _name = "psys.sentinel.relay"
    _inherit = ["psys.secured"]
    _description = "Relay reported by a sentinel"
    _psys_policy = Policy()
    _order = "date desc, id desc"

    sentinel_id = fields.Many2one("psys.sentinel", required=True, ondelete="cascade", index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    territory_id = fields.Many2one(
        "psys.territory",
        string="Neighbourhood",
        compute="_compute_territory_id",
        store=True,
        readonly=False,
    )
    situation_kind = fields.Selection(SITUATION_KINDS, string="Kind of situation", required=True)
    orientation_target_id = fields.Many2one("psys.orientation.target", string="Oriented to")
    company_id = fields.Many2one(related="sentinel_id.company_id", store=True, index=True)

    @api.depends("sentinel_id")
    def _compute_territory_id(self):
        for relay in self:
            if not relay.territory_id:
                relay.territory_id = relay.sentinel_id.territory_id

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        if any(relay.date > today for relay in self):
            raise ValidationError(_("A relay records what happened: it cannot be dated in the future."))
