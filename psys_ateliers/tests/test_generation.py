from datetime import date, datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PsysAteliersCase


@tagged("post_install", "-at_install", "psys", "psys_ateliers")
class TestGeneration(PsysAteliersCase):
    def test_count_spacing_and_hours(self):
        workshops = self._generate(self.cycle)
        self.assertEqual(len(workshops), 4)
        self.assertEqual(workshops.mapped("psys_sequence"), [1, 2, 3, 4])
        # 85 days cut in 4: a workshop every 21.25 days, the first on the first day.
        days = [workshop.date_begin.date() for workshop in workshops]
        self.assertEqual(days, [date(2025, 1, 6), date(2025, 1, 27), date(2025, 2, 17), date(2025, 3, 10)])
        for workshop in workshops:
            # 14:00 in Paris in winter is 13:00 UTC; two hours long.
            self.assertEqual(workshop.date_begin.time(), datetime(2025, 1, 1, 13, 0).time())
            self.assertEqual(workshop.date_end - workshop.date_begin, timedelta(hours=2))
            self.assertEqual(workshop.psys_location_id, self.location)
            self.assertEqual(workshop.psys_facilitator_ids, self.user_facilitator)
            self.assertEqual(workshop.psys_survey_id, self.env.ref("psys_ateliers.survey_workshop_evaluation"))
            self.assertLessEqual(workshop.date_begin.date(), self.cycle.date_end)

    def test_workshops_avoid_weekends_and_holidays(self):
        # From Saturday 19 April 2025: day 0 is a Saturday, day 2 Easter Monday.
        self.cycle.write({"date_start": date(2025, 4, 19), "date_end": date(2025, 5, 30)})
        workshops = self._generate(self.cycle)
        days = [workshop.date_begin.date() for workshop in workshops]
        self.assertEqual(days[0], date(2025, 4, 22), "Saturday, Sunday and Easter Monday are skipped")
        self.assertTrue(all(day.weekday() < 5 for day in days))
        self.assertFalse({date(2025, 5, 1), date(2025, 5, 8), date(2025, 5, 29)} & set(days))

    def test_workshops_keep_their_local_hours_over_summer_time(self):
        """Summer time starts on Sunday 28 March 2027: a workshop at 14:00 in
        Paris is at 13:00 UTC on the 22nd and at 12:00 UTC on the 31st."""
        cycle = self._cycle(date_start=date(2027, 3, 22), date_end=date(2027, 4, 9))
        workshops = self._generate(cycle, workshop_count=2)
        self.assertEqual(
            [(workshop.date_begin.day, workshop.date_begin.hour) for workshop in workshops], [(22, 13), (31, 12)]
        )

    def _spring_2027(self):
        """A cycle from Easter Monday 2027 to 21 May: four workshops planned
        on 29 March (Easter Monday), 11 April (a Sunday), 25 April (a Sunday)
        and 8 May (a Saturday, and Victory Day)."""
        return self._cycle(date_start=date(2027, 3, 29), date_end=date(2027, 5, 21))

    def _generate_with_summary(self, cycle, env=None):
        env = env or self.env
        wizard = env["psys.workshop.generate"].create({"cycle_id": cycle.id, "tz": "Europe/Paris"})
        notification = wizard.action_generate()
        self.assertEqual(notification["params"]["next"]["res_model"], "event.event")
        days = [workshop.date_begin.date() for workshop in cycle.event_ids.sorted("date_begin")]
        return days, notification["params"]["message"]

    def test_a_workshop_on_easter_monday_moves_to_the_next_open_day(self):
        days, message = self._generate_with_summary(self._spring_2027())
        self.assertEqual(days, [date(2027, 3, 30), date(2027, 4, 12), date(2027, 4, 26), date(2027, 5, 10)])
        self.assertEqual(message, "4 workshops generated, 1 moved to the next open day for a public holiday.")
        _days, message = self._generate_with_summary(self._spring_2027(), self._french())
        self.assertEqual(message, "4 ateliers générés, 1 déplacé au jour d'ouverture suivant (jour férié).")

    def test_a_dismissed_holiday_is_a_working_day(self):
        holiday = self.env["resource.calendar.leaves"].search(
            [("company_id", "=", self.company.id), ("psys_holiday_date", "=", date(2027, 3, 29))]
        )
        holiday.unlink()
        days, message = self._generate_with_summary(self._spring_2027())
        self.assertEqual(days[0], date(2027, 3, 29))
        self.assertEqual(message, "4 workshops generated.")

    def test_a_workshop_on_a_closing_day_of_its_place_moves(self):
        """The place's closing day moves the workshop; another place's does
        not; a closure of the afternoon only moves it too (it takes its hours)."""
        Leave = self.env["resource.calendar.leaves"]
        Leave.create(
            {
                "name": "Travaux",
                "calendar_id": self.location.resource_calendar_id.id,
                "date_from": datetime(2027, 4, 11, 22, 0),
                "date_to": datetime(2027, 4, 12, 21, 59, 59),
            }
        )
        elsewhere = self.env["psys.location"].create({"name": "Autre lieu"})
        Leave.create(
            {
                "name": "Ailleurs",
                "calendar_id": elsewhere.resource_calendar_id.id,
                "date_from": datetime(2027, 4, 25, 22, 0),
                "date_to": datetime(2027, 4, 26, 21, 59, 59),
            }
        )
        Leave.create(
            {
                "name": "Réunion",
                "calendar_id": self.location.resource_calendar_id.id,
                "date_from": datetime(2027, 5, 10, 15, 0),  # 17:00 in Paris: the interviews' hours
                "date_to": datetime(2027, 5, 10, 16, 0),
            }
        )
        days, message = self._generate_with_summary(self._spring_2027())
        self.assertEqual(days, [date(2027, 3, 30), date(2027, 4, 13), date(2027, 4, 26), date(2027, 5, 11)])
        self.assertEqual(
            message,
            "4 workshops generated, 1 moved to the next open day for a public holiday, "
            "2 moved to the next open day for closing days.",
        )

    def test_no_open_day_left(self):
        # Ascension Day (Thursday 6 May 2027), then the place closed on the Friday.
        cycle = self._cycle(date_start=date(2027, 5, 6), date_end=date(2027, 5, 7))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Pont de l'Ascension",
                "calendar_id": self.location.resource_calendar_id.id,
                "date_from": datetime(2027, 5, 6, 22, 0),
                "date_to": datetime(2027, 5, 7, 21, 59, 59),
            }
        )
        wizard = self._french()["psys.workshop.generate"].create({"cycle_id": cycle.id, "workshop_count": 1})
        with self.assertRaisesRegex(UserError, "ne trouve plus de jour d'ouverture"):
            wizard.action_generate()
        self.assertFalse(cycle.event_ids)

    def test_default_alternation(self):
        workshops = self._generate(self.cycle)
        self.assertEqual(workshops.mapped("psys_audience"), ["residents", "volunteers", "professionals", "residents"])

    def test_configured_alternation_order(self):
        cycle = self._cycle(
            audience_ids=[
                (0, 0, {"sequence": 1, "audience": "professionals"}),
                (0, 0, {"sequence": 2, "audience": "residents"}),
            ]
        )
        self.assertEqual(cycle.audience_ids.mapped("audience"), ["professionals", "residents"])
        workshops = self._generate(cycle, workshop_count=5)
        self.assertEqual(
            workshops.mapped("psys_audience"),
            ["professionals", "residents", "professionals", "residents", "professionals"],
        )

    def test_interview_blocks(self):
        workshops = self._generate(self.cycle, interview_block=1.5, interview_duration=0.5)
        for workshop in workshops:
            slots = workshop.psys_interview_ids.sorted("date_start")
            self.assertEqual(len(slots), 3)
            self.assertEqual(slots[0].date_start, workshop.date_end)
            self.assertEqual(
                [slot.date_start - workshop.date_end for slot in slots],
                [timedelta(0), timedelta(minutes=30), timedelta(minutes=60)],
            )
            self.assertEqual(set(slots.mapped("duration")), {0.5})
            self.assertEqual(set(slots.mapped("state")), {"free"})
            self.assertEqual(slots.cycle_id, self.cycle)

    def test_generate_as_facilitator(self):
        cycle = self.cycle.with_user(self.user_facilitator)
        wizard = self.env["psys.workshop.generate"].with_user(self.user_facilitator).create({"cycle_id": cycle.id})
        wizard.action_generate()
        self.assertEqual(len(cycle.event_ids), 4)

    def test_generate_forbidden_to_therapist(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["psys.workshop.generate"].with_user(self.user_therapist).create({"cycle_id": self.cycle.id})

    def test_cycle_end_before_start(self):
        env = self._french()
        with self.assertRaisesRegex(ValidationError, "se termine avant de commencer"):
            env["psys.workshop.cycle"].create(
                {
                    "name": "Cycle à l'envers",
                    "territory_id": self.territory.id,
                    "date_start": date(2025, 3, 1),
                    "date_end": date(2025, 1, 1),
                }
            )
        with self.assertRaisesRegex(ValidationError, "se termine avant de commencer"):
            self.cycle.with_env(env).date_end = date(2024, 12, 1)

    def test_zero_workshops(self):
        env = self._french()
        wizard = env["psys.workshop.generate"].create({"cycle_id": self.cycle.id, "workshop_count": 0})
        with self.assertRaisesRegex(UserError, "au moins un atelier"):
            wizard.action_generate()
        self.assertFalse(self.cycle.event_ids)

    def test_interview_longer_than_block(self):
        env = self._french()
        wizard = env["psys.workshop.generate"].create(
            {"cycle_id": self.cycle.id, "interview_block": 0.5, "interview_duration": 0.75}
        )
        with self.assertRaisesRegex(UserError, "ne tient pas dans un créneau"):
            wizard.action_generate()
        self.assertFalse(self.cycle.event_ids)
        self.assertFalse(self.env["psys.workshop.interview"].search([("cycle_id", "=", self.cycle.id)]))

    def test_too_many_workshops_for_the_period(self):
        cycle = self._cycle(date_start=date(2025, 1, 6), date_end=date(2025, 1, 7))
        wizard = self.env["psys.workshop.generate"].create({"cycle_id": cycle.id, "workshop_count": 3})
        with self.assertRaises(UserError):
            wizard.action_generate()
        self.assertFalse(cycle.event_ids)
