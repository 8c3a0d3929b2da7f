import logging
from datetime import date

import holidays
import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.calendar import local_days_to_utc

_logger = logging.getLogger(__name__)

# The public holidays are written for the current year and the next ones.
HOLIDAY_YEARS = 3


class ResCompany(models.Model):
    _inherit = "res.company"

    psys_retention_months = fields.Integer(
        string="Anonymise after (months of inactivity)",
        default=24,
        help="Beneficiaries without any activity for this many months are "
        "anonymised by the daily purge. 0 disables the purge.",
    )

    psys_note_log_retention_months = fields.Integer(
        string="Keep the note access log (months)",
        default=12,
        help="Entries of the confidential notes' access log older than this are deleted by a "
        "daily purge. 0 keeps them for good.",
    )
    psys_alsace_moselle = fields.Boolean(
        string="Alsace-Moselle public holidays",
        help="The association works in Alsace or Moselle: Good Friday and Saint Stephen's Day "
        "(26 December) are public holidays too.",
    )

    @api.constrains("psys_retention_months", "psys_note_log_retention_months")
    def _check_psys_retention_months(self):
        for company in self:
            if company.psys_retention_months < 0 or company.psys_note_log_retention_months < 0:
                raise ValidationError(_("The retention period cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._psys_refresh_public_holidays()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if "psys_alsace_moselle" in vals:
            self._psys_refresh_public_holidays()
        return result

    @api.model
    def _cron_psys_public_holidays(self):
        """The yearly job: every association's public holidays, this year and the next two."""
        self.search([])._psys_sync_public_holidays()

    def _psys_refresh_public_holidays(self):
        """Bring the public holidays in line with the companies' setting: at
        once for those the user works in (the leaves are written as them),
        at the job's next run, triggered now, for the others (a company an
        administrator has just made for someone else)."""
        mine = self if self.env.su else self & self.env.user.company_ids
        mine._psys_sync_public_holidays(strict=True)
        if self - mine:
            self.env.ref("psys_base.ir_cron_psys_public_holidays")._trigger()

    def _psys_public_holidays(self, years):
        """{date: name} of the company's public holidays in ``years``, named
        in the company's language."""
        self.ensure_one()
        lang = "fr" if (self.partner_id.lang or self.env.lang or "").startswith("fr") else "en_US"
        # Alsace-Moselle: the Moselle's holidays, which are also the Bas-Rhin's and the Haut-Rhin's.
        subdivision = "57" if self.psys_alsace_moselle else None
        return dict(holidays.country_holidays("FR", subdiv=subdivision, years=list(years), language=lang))

    def _psys_sync_public_holidays(self, first_year=None, years=HOLIDAY_YEARS, strict=False):
        """Write the public holidays of ``years`` years from ``first_year``
        (the current year) as company-wide leaves of each company, named
        « Public holiday: … ». Idempotent: a day that has its leave gets
        nothing, a day a coordinator dismissed (``psys.holiday.dismissal``)
        neither; a leave of the job whose day is no longer a holiday (the
        Alsace-Moselle setting turned off) goes. Returns the leaves made.

        A holiday a door refuses (appointments booked that day) is left for
        the next run and logged; ``strict``, the refusal is raised instead,
        for the user who asked for it to read.

        Run by the job, or as the user who changed the setting or took back
        a dismissed holiday: they may write the association's days off."""
        first_year = first_year or fields.Date.context_today(self).year
        year_range = range(first_year, first_year + years)
        date_from, date_to = date(first_year, 1, 1), date(first_year + years - 1, 12, 31)
        Leave = self.env["resource.calendar.leaves"]
        written = Leave._psys_holiday_dates(self, date_from, date_to)
        dismissed = {
            (dismissal.company_id.id, dismissal.date)
            for dismissal in self.env["psys.holiday.dismissal"].search(
                [("company_id", "in", self.ids), ("date", ">=", date_from), ("date", "<=", date_to)]
            )
        }
        made = Leave
        for company in self:
            # Named in the association's language; refused, if so, in the user's.
            named = company.with_context(lang=company.partner_id.lang or self.env.lang).env
            days_off = company._psys_public_holidays(year_range)
            stale = set(written[company.id]) - set(days_off)
            if stale:
                company._psys_forget_holidays(stale)
            tz = company.partner_id.tz or "Europe/Paris"
            for day, name in sorted(days_off.items()):
                if day in written[company.id] or (company.id, day) in dismissed:
                    continue
                start, stop = local_days_to_utc(day, day, tz)
                made |= company._psys_write_holiday(
                    strict,
                    {
                        "name": named._("Public holiday: %(name)s", name=name),
                        "company_id": company.id,
                        "calendar_id": False,
                        "resource_id": False,
                        "time_type": "leave",
                        "date_from": start,
                        "date_to": stop,
                        "psys_holiday_date": day,
                    },
                )
        return made

    def _psys_write_holiday(self, strict, vals):
        """The leave of one public holiday, or none when another run wrote it
        meanwhile or, unless ``strict``, when a door refuses it (a day off
        over booked appointments): the day is tried again at the next run,
        and the log says why."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                # A leave without calendar belongs to the environment's
                # company (resource computes it, whatever the values say):
                # created and computed in the company's environment.
                leave = self.env["resource.calendar.leaves"].with_company(self).create(vals)
                leave.flush_recordset()
                return leave
        except (ValidationError, psycopg2.IntegrityError) as error:
            if strict and isinstance(error, ValidationError):
                raise
            _logger.warning(
                "Public holiday %s of %s not written: %s", vals["psys_holiday_date"], self.name, error.args[0]
            )
            return self.env["resource.calendar.leaves"]

    def _psys_forget_holidays(self, days):
        """Remove the job's leaves of ``days``, no longer holidays of the company."""
        self.ensure_one()
        leaves = self.env["resource.calendar.leaves"].search(
            [("company_id", "=", self.id), ("psys_holiday_date", "in", list(days))]
        )
        # No longer a public holiday of the company: not remembered as dismissed.
        leaves.unlink()
