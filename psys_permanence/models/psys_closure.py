from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PsysClosure(models.Model):
    """A period when an antenna (or every antenna) is closed: no session then."""

    _name = "psys.closure"
    _description = "Antenna closure"
    _order = "date_from desc"

    name = fields.Char(string="Reason", required=True)
    location_id = fields.Many2one(
        "psys.location",
        string="Antenna",
        index=True,
        help="Empty: every antenna of the association is closed.",
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for closure in self:
            if closure.date_to < closure.date_from:
                raise ValidationError(_("A closure cannot end before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        closures = super().create(vals_list)
        closures._cancel_sessions()
        return closures

    def _cancel_sessions(self):
        """Cancel the planned sessions that fall in these closures."""
        today = fields.Date.context_today(self)
        for closure in self:
            domain = [
                ("state", "=", "planned"),
                ("company_id", "=", closure.company_id.id),
                ("date", ">=", max(closure.date_from, today)),
                ("date", "<=", closure.date_to),
            ]
            if closure.location_id:
                domain.append(("location_id", "=", closure.location_id.id))
            sessions = self.env["psys.session"].search(domain)
            if sessions:
                sessions._cancel(_("Antenna closed: %(reason)s", reason=closure.name))

    @api.model
    def _get_closed_days(self, locations, date_from, date_to):
        """{(location id or False, date)} closed between the two dates."""
        closures = self.search(
            [
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
                "|",
                ("location_id", "=", False),
                ("location_id", "in", locations.ids),
            ]
        )
        closed = set()
        for closure in closures:
            day = max(closure.date_from, date_from)
            while day <= min(closure.date_to, date_to):
                closed.add((closure.location_id.id, closure.company_id.id, day))
                day = fields.Date.add(day, days=1)
        return closed
