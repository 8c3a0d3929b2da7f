import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.resource.models.utils import Intervals

from ..tools.availability import Availability


class PsysCalendarOwner(models.AbstractModel):
    """A record with a resource calendar of its own, created with it: a
    place (its closing days are the calendar's leaves), a permanence (its
    weekly opening hours are the calendar's lines), a partnership (its
    on-site days).

    The model says what the calendar of a new record is
    (``_psys_calendar_values``, from the record's create values); the mixin
    creates the calendars of the new records that have none in one
    ``create`` and, when records are deleted, deletes their calendars that
    nothing else uses, with their leaves (a closing day never outlives its
    place to become a closure of the whole company).

    The calendar is an ownership field: a user never gives a record another
    calendar (another association's, another partnership's, the company's
    standard hours), neither at creation nor later (``psys.secured``).
    """

    _name = "psys.calendar.owner"
    _description = "Record with its own resource calendar"

    resource_calendar_id = fields.Many2one(
        "resource.calendar", string="Calendar", ondelete="restrict", copy=False, index=True
    )

    # The availability engine ----------------------------------------------

    def _psys_tz(self):
        """The name of the time zone the record's hours are in."""
        self.ensure_one()
        return self.resource_calendar_id.tz or self.env.user.tz or "Europe/Paris"

    def _psys_closing_calendars(self):
        """The calendars whose days off close this record too (the place of
        a permanence or a partnership)."""
        return self.env["resource.calendar"]

    def _psys_availability(self, start, stop, busy=None, lines=None):
        """{record id: ``Availability``} between the aware datetimes ``start``
        and ``stop``: the one answer to « when is it open? » of a place, a
        permanence, a partnership.

        Odoo's resource calendars compute it: the hours are the calendar's
        lines (``_attendance_intervals_batch``, in the record's time zone,
        summer time included; ``lines``: a domain on them), the days off its
        leaves and the company-wide ones of its association, public holidays
        included, plus those of its closing calendars
        (``_leave_intervals_batch``); open is the hours minus the days off
        (``_work_intervals_batch``'s difference) minus ``busy`` (``Intervals``,
        the same for every record: a practitioner's commitments)."""
        result = {}
        for record in self:
            # sudo: the hours and days off of the record's own calendars, dates only.
            calendars = (record.resource_calendar_id | record._psys_closing_calendars()).sudo()
            tz = pytz.timezone(record._psys_tz())
            days_off = [("time_type", "=", "leave"), ("company_id", "in", [False, record.company_id.id])]
            hours, closed = Intervals(), Intervals()
            for calendar in calendars:
                if calendar == record.resource_calendar_id:
                    hours = calendar._attendance_intervals_batch(start, stop, domain=lines, tz=tz)[False]
                closed |= calendar._leave_intervals_batch(start, stop, None, days_off, tz)[False]
            result[record.id] = Availability(hours, closed, hours - closed - (busy or Intervals()))
        return result

    @api.model
    def _psys_calendar_values(self, vals):
        """The values of the calendar of a new record, from its create
        ``vals`` (which it may check, or take the calendar's lines out of)."""
        raise NotImplementedError(f"{self._name} owns a calendar: it must say its values.")

    @api.model
    def _psys_create_calendars(self, vals_list):
        """The calendars of new records, one for each of ``vals_list`` (their
        create values), in order, created in one ``create``."""
        values = [self._psys_calendar_values(vals) for vals in vals_list]
        # sudo: each calendar belongs to a record being created, which the
        # caller may create (checked by the record's own create); its lines and
        # leaves are edited later under the record rules of the resource models.
        return self.env["resource.calendar"].sudo().create(values)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]  # the caller's values stay as given
        if not self.env.su and any(vals.get("resource_calendar_id") for vals in vals_list):
            raise AccessError(
                _("%(model)s gets a calendar of its own: it cannot be given another one.", model=self._description)
            )
        missing = [vals for vals in vals_list if not vals.get("resource_calendar_id")]
        for vals, calendar in zip(missing, self._psys_create_calendars(missing), strict=True):
            vals["resource_calendar_id"] = calendar.id
        return super().create(vals_list)

    def unlink(self):
        self.check_access("unlink")
        calendar_ids = self.resource_calendar_id.ids
        result = super().unlink()
        # sudo: a record's own calendar goes with it, with its lines and
        # leaves, unless anything else (another owner, archived or that the
        # caller cannot see, a company, a resource) still uses it.
        calendars = self.env["resource.calendar"].sudo().browse(calendar_ids)
        unused = calendars - calendars._psys_used_calendars()
        self.env["resource.calendar.leaves"].sudo().search([("calendar_id", "in", unused.ids)]).unlink()
        unused.unlink()
        return result
