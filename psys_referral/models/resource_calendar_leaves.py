from datetime import timedelta

from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime

from .psys_partnership import MAX_SLOT_DAYS

# Listed one per line in the message; beyond, "and N more".
MAX_LISTED = 20


class ResourceCalendarLeaves(models.Model):
    """A leave never falls silently on booked appointments: it is refused
    with the list of them, to move or cancel first. Once recorded, it takes
    the practitioners' free slots it covers, and gives them back when it
    moves or goes."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._psys_refresh_slots(leaves._psys_period())
        return leaves

    def write(self, vals):
        if not {"date_from", "date_to", "resource_id", "calendar_id", "time_type", "company_id"} & set(vals):
            return super().write(vals)
        before = self._psys_period()
        partnerships = self._psys_partnerships()
        result = super().write(vals)
        self._psys_refresh_slots(before, partnerships)
        self._psys_refresh_slots(self._psys_period())
        return result

    def unlink(self):
        period, partnerships = self._psys_period(), self._psys_partnerships()
        result = super().unlink()
        self.env["resource.calendar.leaves"]._psys_refresh_slots(period, partnerships)
        return result

    @api.constrains("name", "date_from", "date_to", "resource_id", "time_type")
    def _check_psys_time_off(self):
        """A practitioner's time off says why, and is recorded once: two
        leaves over the same hours would be two answers to one question."""
        for leave in self.filtered(lambda leave: leave.time_type == "leave" and leave.resource_id.user_id):
            if not (leave.name or "").strip():
                raise ValidationError(
                    _("Give the reason of the time off (holidays, training…): the coordination reads it.")
                )
            # Her own leaves: whoever records this one reads them.
            other = self.search(
                [
                    ("id", "!=", leave.id),
                    ("resource_id", "=", leave.resource_id.id),
                    ("time_type", "=", "leave"),
                    ("date_from", "<", leave.date_to),
                    ("date_to", ">", leave.date_from),
                ],
                order="date_from",
                limit=1,
            )
            if other:
                tz = leave.resource_id.tz or "Europe/Paris"
                raise ValidationError(
                    _(
                        "This time off overlaps another one, %(reason)s, from %(start)s to %(stop)s: "
                        "change its dates, or lengthen the other one.",
                        reason=other.name or "",
                        start=format_datetime(self.env, other.date_from, tz=tz, dt_format="dd/MM/yyyy HH:mm"),
                        stop=format_datetime(self.env, other.date_to, tz=tz, dt_format="dd/MM/yyyy HH:mm"),
                    )
                )

    @api.constrains("date_from", "date_to", "resource_id", "calendar_id", "time_type", "company_id")
    def _check_psys_bookings(self):
        """A clear list of the appointments a leave falls on, instead of
        appointments that stay booked on a day off."""
        Booking = self.env["psys.booking"].sudo()  # sudo: dates, codes and structures of the clashing appointments only
        for leave in self.filtered(lambda leave: leave.time_type == "leave"):
            domain = [
                ("state", "=", "booked"),
                ("start", "<", leave.date_to),
                ("stop", ">", leave.date_from),
            ]
            if leave.resource_id:
                if not leave.resource_id.user_id:
                    continue
                domain.append(("practitioner_id", "=", leave.resource_id.user_id.id))
            else:
                domain.append(("company_id", "=", leave.company_id.id))
                if leave.calendar_id:
                    domain += [
                        "|",
                        ("partnership_id.resource_calendar_id", "=", leave.calendar_id.id),
                        ("partnership_id.location_id.resource_calendar_id", "=", leave.calendar_id.id),
                    ]
            bookings = Booking.search(domain, order="start, id")
            if not bookings:
                continue
            lines = [
                _(
                    "%(date)s – %(code)s (%(structure)s)",
                    date=booking._psys_local_start(),
                    code=booking.beneficiary_code,
                    structure=booking.partnership_id.structure_id.name,
                )
                for booking in bookings[:MAX_LISTED]
            ]
            if len(bookings) > MAX_LISTED:
                lines.append(_("and %(count)s more", count=len(bookings) - MAX_LISTED))
            if len(bookings) == 1:
                message = _(
                    "This time off falls on a booked appointment; nothing was changed. "
                    "Move or cancel it first, then record the time off:\n%(bookings)s",
                    bookings="\n".join(lines),
                )
            else:
                message = _(
                    "This time off falls on %(count)s booked appointments; nothing was changed. "
                    "Move or cancel them first, then record the time off:\n%(bookings)s",
                    count=len(bookings),
                    bookings="\n".join(lines),
                )
            raise ValidationError(message)

    def _psys_period(self):
        """First and last day these leaves cover, or None."""
        if not self:
            return None
        return (min(self.mapped("date_from")).date(), max(self.mapped("date_to")).date())

    def _psys_partnerships(self):
        """The partnerships whose slots these leaves may take."""
        # sudo: whoever records a leave keeps the free slots it concerns in
        # step with it; no partnership data is shown to them.
        Partnership = self.env["psys.partnership"].sudo()
        users = self.resource_id.user_id
        partnerships = Partnership.search([("practitioner_id", "in", users.ids)]) if users else Partnership
        closings = self.filtered(lambda leave: not leave.resource_id)
        if closings:
            partnerships |= Partnership.search([("company_id", "in", closings.company_id.ids)])
        return partnerships

    def _psys_refresh_slots(self, period, partnerships=None):
        if not period:
            return
        partnerships = (partnerships or self.env["psys.partnership"].sudo()) | self._psys_partnerships()
        date_from, date_to = period
        if partnerships:
            partnerships.action_generate_slots(date_from, min(date_to, date_from + timedelta(days=MAX_SLOT_DAYS)))
