from odoo import api, fields, models

from ..tools.policy import CORE, Policy
from .psys_secured import secured_write


class ResourceCalendarLeaves(models.Model):
    """A leave or a closing day stays on the calendar and the resource it
    was made for: moved onto another's, it would close her days.

    The public holidays are company-wide leaves (no calendar, no resource)
    written by a yearly job (``res.company._psys_sync_public_holidays``) and
    recognised by their ``psys_holiday_date`` (set when written, changed by
    nobody). A coordinator removes one for an association that stays open
    that day: the removal is remembered (``psys.holiday.dismissal``), so the
    next run does not bring it back."""

    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "psys.action.guard"]
    _psys_policy = Policy(
        company=None, shared=CORE, ownership=("company_id", "calendar_id", "resource_id", "psys_holiday_date")
    )

    psys_holiday_date = fields.Date(
        string="Public holiday",
        readonly=True,
        copy=False,
        help="Set on the public holidays the yearly job writes: the day it is a holiday of the association.",
    )

    _sql_constraints = [
        (
            "psys_holiday_unique",
            "UNIQUE(company_id, psys_holiday_date)",
            "A public holiday is written once per association.",
        ),
    ]

    def write(self, vals):
        return secured_write(self, vals, super().write)

    def unlink(self):
        dismissed = self._psys_dismissed_holidays()
        result = super().unlink()
        if dismissed:
            self.env["psys.holiday.dismissal"]._remember(dismissed)
        return result

    def _psys_dismissed_holidays(self):
        """[{company_id, date, name}] of these leaves that are public holidays
        of their company: removed, the association stays open that day. (A
        day that is no longer a holiday, the Alsace-Moselle setting turned
        off, goes without a trace.)"""
        dismissed = []
        for company in self.filtered("psys_holiday_date").company_id:
            leaves = self.filtered(
                lambda leave, company=company: leave.psys_holiday_date and leave.company_id == company
            )
            days_off = company._psys_public_holidays({leave.psys_holiday_date.year for leave in leaves})
            dismissed += [
                {"company_id": company.id, "date": leave.psys_holiday_date, "name": leave.name}
                for leave in leaves
                if leave.psys_holiday_date in days_off
            ]
        return dismissed

    @api.model
    def _psys_holiday_dates(self, companies, date_from, date_to):
        """{company id: {date: name}} of the public holidays of ``companies``
        from ``date_from`` to ``date_to`` (dates, both included), as the
        yearly job wrote them and the coordinators kept them."""
        # As the caller: every internal user reads the company-wide days off
        # (resource's own rule).
        leaves = self.search_read(
            [
                ("company_id", "in", companies.ids),
                ("psys_holiday_date", ">=", date_from),
                ("psys_holiday_date", "<=", date_to),
            ],
            ["company_id", "psys_holiday_date", "name"],
        )
        found = {company.id: {} for company in companies}
        for leave in leaves:
            found[leave["company_id"][0]][leave["psys_holiday_date"]] = leave["name"]
        return found
