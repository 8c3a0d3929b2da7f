"""One answer to « when is it open? » (issue 26, point 1): permanence
sessions, partnership slots and workshops are generated from the
availability engine of psys_base (``psys.calendar.owner._psys_availability``),
summer time included; a day off closes its own calendar only."""

from datetime import date, datetime, time, timedelta

import pytz

from odoo.tests import tagged

from odoo.addons.psys_permanence.tests.common import PermanenceCase
from odoo.addons.psys_referral.tests.common import PsysReferralCase
from odoo.addons.resource.models.utils import Intervals

PARIS = pytz.timezone("Europe/Paris")


def paris_days(first, last):
    """The aware bounds of the local days ``first`` to ``last`` in Paris."""
    return PARIS.localize(datetime.combine(first, time.min)), PARIS.localize(datetime.combine(last, time.max))


@tagged("post_install", "-at_install", "psys")
class TestAvailabilityEngine(PsysReferralCase, PermanenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_therapist.tz = "Europe/Paris"

    def test_sessions_keep_their_local_hours_over_summer_time(self):
        """Summer time starts on Sunday 28 March 2027: the Friday sessions
        open at 11:00 in Paris before and after (10:00 then 09:00 UTC)."""
        sessions = self.permanence._generate_sessions(date(2027, 3, 19), date(2027, 4, 2))
        self.assertEqual(sessions.mapped("date"), [date(2027, 3, 19), date(2027, 3, 26), date(2027, 4, 2)])
        self.assertEqual([session.start.hour for session in sessions], [10, 10, 9])
        self.assertEqual([session.stop.hour for session in sessions], [16, 16, 15])

    def test_slots_keep_their_local_hours_over_summer_time(self):
        """Tuesdays 9:00–12:00 in Paris: 08:00 UTC in March before summer
        time, 07:00 UTC after."""
        self.user_therapist_2.tz = "Europe/Paris"
        partnership = self._partnership(
            self.structure, self.user_portal, name="Convention heure d'été", practitioner_id=self.user_therapist_2.id
        )
        partnership.action_generate_slots(date(2027, 3, 23), date(2027, 3, 30))
        slots = self.env["psys.slot"].search(  # hers: the oldest of her partnerships takes them
            [
                ("partnership_id.practitioner_id", "=", self.user_therapist_2.id),
                ("start", ">=", "2027-03-23"),
                ("start", "<", "2027-03-31"),
            ],
            order="start",
        )
        self.assertEqual(
            [(slot.start.day, slot.start.hour) for slot in slots],
            [(23, 8), (23, 9), (23, 10), (30, 7), (30, 8), (30, 9)],
        )

    def test_a_day_off_closes_its_own_calendar_only(self):
        """A leave on one partnership's calendar closes that partnership, not
        another of the same practitioner; a place's closing day closes the
        permanences and partnerships held there, not those of another place."""
        tuesday = date(2027, 3, 23)
        first = self._partnership(self.structure, self.user_portal, name="Convention A")
        second = self._partnership(self.structure_b, self.user_portal_b, name="Convention B")
        start, stop = paris_days(tuesday, tuesday)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Formation",
                "calendar_id": first.resource_calendar_id.id,
                "date_from": start.astimezone(pytz.utc).replace(tzinfo=None),
                "date_to": stop.astimezone(pytz.utc).replace(tzinfo=None),
            }
        )
        answer = (first | second)._psys_availability(start, stop)
        self.assertFalse(answer[first.id].open, "closed all day")
        self.assertTrue(answer[first.id].closed)
        self.assertEqual(
            [(begin.hour, end.hour) for begin, end, _lines in answer[second.id].open], [(9, 12)], "the other is open"
        )

        friday = date(2027, 3, 19)
        self._close("Travaux", friday, friday, self.location)
        start, stop = paris_days(friday, friday)
        answer = (self.permanence | self.permanence_2)._psys_availability(start, stop)
        self.assertFalse(answer[self.permanence.id].open, "its antenna is closed")
        self.assertTrue(answer[self.permanence_2.id].open, "the other antenna is open")

    def test_busy_time_is_taken_from_every_record(self):
        """What keeps a practitioner busy comes off the open hours (the
        slots of her other partnerships, her commitments)."""
        tuesday = date(2027, 3, 23)
        partnership = self._partnership(self.structure, self.user_portal, name="Convention occupée")
        start, stop = paris_days(tuesday, tuesday)
        meeting = PARIS.localize(datetime.combine(tuesday, time(10, 0)))
        busy = self.env["resource.calendar.leaves"]
        answer = partnership._psys_availability(
            start, stop, busy=Intervals([(meeting, meeting + timedelta(hours=1), busy)])
        )
        self.assertEqual(
            [(begin.hour, end.hour) for begin, end, _lines in answer[partnership.id].open], [(9, 10), (11, 12)]
        )
