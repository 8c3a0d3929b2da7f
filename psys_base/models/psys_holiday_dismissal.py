from odoo import api, fields, models

from ..tools.policy import Policy


class PsysHolidayDismissal(models.Model):
    """A public holiday a coordinator removed: the association stays open
    that day. The yearly job (``res.company._psys_sync_public_holidays``)
    writes no leave on a dismissed day; deleting the dismissal brings the
    holiday back at once."""

    _name = "psys.holiday.dismissal"
    _description = "Dismissed public holiday"
    _psys_policy = Policy()
    _inherit = ["psys.secured"]
    _order = "date desc"

    name = fields.Char(string="Holiday", readonly=True)
    date = fields.Date(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)

    _sql_constraints = [
        ("date_unique", "UNIQUE(company_id, date)", "A public holiday is dismissed once per association."),
    ]

    @api.model
    def _remember(self, vals_list):
        """Record these dismissals ({company_id, date, name}), those not yet recorded."""
        known = {
            (dismissal.company_id.id, dismissal.date)
            for dismissal in self.search(
                [
                    ("company_id", "in", list({vals["company_id"] for vals in vals_list})),
                    ("date", "in", list({vals["date"] for vals in vals_list})),
                ]
            )
        }
        new = {(vals["company_id"], vals["date"]): vals for vals in vals_list}
        return self.create([vals for key, vals in new.items() if key not in known])

    def unlink(self):
        companies = self.company_id
        result = super().unlink()
        companies._psys_refresh_public_holidays()
        return result
