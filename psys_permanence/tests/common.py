from datetime import date

from odoo.fields import Command

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_base.tests.common import PSYS_GROUPS, PsysCase
from odoo.addons.psys_base.tools.calendar import local_days_to_utc

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class PermanenceCase(PsysCase):
    """PsysCase plus a second antenna, a Friday permanence at each and the
    availabilities of the role users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Paris"
        cls.location_2 = cls.env["psys.location"].create({"name": "Antenne bis", "territory_id": cls.territory.id})
        # Only the volunteers of the tests declare availabilities (not the demo ones).
        cls.env["psys.volunteer.availability"].search([]).unlink()
        cls.permanence = cls._permanence("Permanence du vendredi", cls.location, fri=True, hour_from=11, hour_to=17)
        cls.permanence_2 = cls._permanence("Permanence bis", cls.location_2, fri=True, hour_from=14, hour_to=18)
        for user in (cls.user_reception, cls.user_therapist, cls.user_therapist_2):
            cls._availability(user)

    @classmethod
    def _permanence(cls, name, location, **values):
        """A permanence open on the weekdays given as ``mon=True`` … from
        ``hour_from`` to ``hour_to`` (14:00–17:00 by default): shorthand
        for its opening hours (``attendance_ids``)."""
        days = [day for day in WEEKDAYS if values.pop(day, False)]
        hours = (values.pop("hour_from", 14.0), values.pop("hour_to", 17.0))
        if days and "attendance_ids" not in values:
            values["attendance_ids"] = cls._opening(days, *hours)
        return cls.env["psys.permanence"].create(
            dict({"name": name, "location_id": location.id, "date_start": date(2026, 1, 1)}, **values)
        )

    @staticmethod
    def _opening(days, hour_from, hour_to):
        """Commands replacing opening hours: ``days`` (``["fri"]``) from ``hour_from`` to ``hour_to``."""
        return [Command.clear()] + [
            Command.create({"dayofweek": str(WEEKDAYS.index(day)), "hour_from": hour_from, "hour_to": hour_to})
            for day in days
        ]

    @classmethod
    def _availability(cls, user, **values):
        return cls.env["psys.volunteer.availability"].create(
            dict(
                {
                    "user_id": user.id,
                    "max_shifts_month": 0,
                    **dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), True),
                },
                **values,
            )
        )

    @classmethod
    def _volunteer(cls, login, role="therapist"):
        return mail_new_test_user(cls.env, login=login, groups=PSYS_GROUPS[role], name=login.replace("_", " ").title())

    @classmethod
    def _close(cls, name, date_from, date_to, location=None):
        """Close ``location`` (every antenna when None) on whole local days:
        a leave on the antenna's calendar, or a company-wide one."""
        start, stop = local_days_to_utc(date_from, date_to, "Europe/Paris")
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": name,
                "calendar_id": location.resource_calendar_id.id if location else False,
                "time_type": "leave",
                "date_from": start,
                "date_to": stop,
            }
        )

    @classmethod
    def _sessions(cls, permanence, date_from, date_to):
        return permanence._generate_sessions(date_from, date_to)
