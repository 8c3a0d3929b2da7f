from datetime import date, datetime, timedelta

from odoo import fields, models
from odoo.tools import SQL


class PsysReportDateMixin(models.AbstractModel):
    """Analysis views whose ``date`` is the local day of an encounter's
    ``date_start`` (UTC): a condition on ``date`` also bounds ``date_start``
    (with a day's margin for any time zone), a condition the planner can
    take to the index of ``psys_encounter.date_start``; without it a year's
    pivot reads every encounter of the association's history."""

    _name = "psys.report.date.mixin"
    _description = "Analysis view dated by its encounters"

    date_start = fields.Datetime(string="Start (UTC)", readonly=True)

    def _condition_to_sql(self, alias, fname, operator, value, query):
        condition = super()._condition_to_sql(alias, fname, operator, value, query)
        bounds = self._psys_date_start_bounds(operator, value) if fname == "date" else []
        if not bounds:
            return condition
        column = SQL.identifier(alias, "date_start")
        return SQL(" AND ").join([condition, *(SQL("%s %s %s", column, SQL(op), when) for op, when in bounds)])

    def _psys_date_start_bounds(self, operator, value):
        """``[(operator, naive UTC datetime)]`` implied on ``date_start`` by
        ``date operator value`` (empty when nothing is implied)."""
        if isinstance(value, datetime):
            value = value.date()
        elif isinstance(value, str):
            try:
                value = fields.Date.to_date(value)
            except ValueError:
                return []
        if not isinstance(value, date):
            return []
        midnight = datetime.combine(value, datetime.min.time())
        lower = (">=", midnight - timedelta(days=1))
        upper = ("<", midnight + timedelta(days=2))
        return {">=": [lower], ">": [lower], "=": [lower, upper], "<=": [upper], "<": [upper]}.get(operator, [])
