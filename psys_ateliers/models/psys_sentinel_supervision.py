from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.psys_base.tools.policy import Policy


class PsysSentinelSupervision(models.Model):
    _name = "psys.sentinel.supervision"
    _inherit = ["psys.secured"]
    _description = "Supervision meeting of sentinels"
    _psys_policy = Policy()
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now)
    duration = fields.Float(string="Duration (hours)", default=1.5)
    territory_id = fields.Many2one("psys.territory", string="Neighbourhood")
    user_ids = fields.Many2many(
        "res.users",
        "psys_sentinel_supervision_res_users_rel",
        "supervision_id",
        "user_id",
        string="Facilitators",
        default=lambda self: self.env.user,
    )
    sentinel_ids = fields.Many2many(
        "psys.sentinel",
        "psys_sentinel_supervision_rel",
        "supervision_id",
        "sentinel_id",
        string="Sentinels present",
    )
    topic = fields.Char()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.constrains("duration")
    def _check_duration(self):
        if any(not 0 < supervision.duration <= 24 for supervision in self):
            raise ValidationError(_("A supervision meeting lasts more than 0 and at most 24 hours."))
