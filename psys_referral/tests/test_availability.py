from datetime import date, datetime
from itertools import combinations

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PsysReferralCase


@tagged("psys_referral")
class TestAvailability(PsysReferralCase):
    """One practitioner, a CCAS and a CAF on the same Monday: one busy set
    for all her partnerships, her leaves, and her own availability."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["psys_referral"], ["fr_FR"], overwrite=True)
        cls.caf = cls.env["res.partner"].create(
            {"name": "CAF de Test", "is_company": True, "psys_structure_type": "caf"}
        )
        # Mondays: the CCAS 9:00-12:00 (1 h), the CAF 10:30-13:30 (45 min).
        cls.ccas = cls._partnership(
            cls.structure,
            cls.user_portal,
            name="CCAS le lundi",
            attendance_ids=[(0, 0, {"dayofweek": "0", "hour_from": 9.0, "hour_to": 12.0})],
        )
        cls.caf_partnership = cls._partnership(
            cls.caf,
            cls.env["res.users"],
            name="CAF le lundi",
            slot_duration=0.75,
            attendance_ids=[(0, 0, {"dayofweek": "0", "hour_from": 10.5, "hour_to": 13.5})],
        )
        cls.mine = cls.ccas | cls.caf_partnership | cls.partnership

    def _active_slots(self):
        return self.env["psys.slot"].search([("practitioner_id", "=", self.user_therapist.id)], order="start")

    def _assert_no_overlap(self, slots):
        for first, second in combinations(slots, 2):
            self.assertFalse(
                first.start < second.stop and second.start < first.stop,
                f"{first.display_name} ({first.partnership_id.name}) overlaps "
                f"{second.display_name} ({second.partnership_id.name})",
            )

    def _local_hours(self, slots, day):
        return [
            slot.start.strftime("%H:%M")
            for slot in slots.sorted("start")
            if slot.start.date() == day  # UTC dates; the slots are mid-day
        ]

    def test_two_partnerships_never_overlap_nor_her_bookings(self):
        # A booking of her Tuesday partnership was moved to a Monday, 11:30-12:30 in Paris.
        moved = self._slot(self.partnership, datetime(2026, 11, 30, 10, 30))
        booking = self.env["psys.booking"].create({"slot_id": moved.id, "beneficiary_id": self._beneficiary().id})
        self.ccas.action_generate_slots(date(2026, 11, 16), date(2026, 12, 6))
        slots = self._active_slots()
        self._assert_no_overlap(slots)
        ccas, caf = (
            slots.filtered(lambda s: s.partnership_id == self.ccas),
            slots.filtered(lambda s: s.partnership_id == self.caf_partnership),
        )
        # The older partnership keeps its hours; the CAF gets what is left (UTC, winter: Paris - 1 h).
        self.assertEqual(self._local_hours(ccas, date(2026, 11, 16)), ["08:00", "09:00", "10:00"])
        self.assertEqual(self._local_hours(caf, date(2026, 11, 16)), ["11:00", "11:45"])
        # Around the moved booking: neither the CCAS at 11:00 nor the CAF at 12:00.
        self.assertEqual(self._local_hours(ccas, date(2026, 11, 30)), ["08:00", "09:00"])
        self.assertEqual(self._local_hours(caf, date(2026, 11, 30)), ["11:45"])
        self.assertIn(booking.slot_id, slots)

    def test_the_database_refuses_an_overlapping_booking(self):
        self.ccas.action_generate_slots(date(2026, 11, 16), date(2026, 11, 16))
        caf_slot = self.caf_partnership.slot_ids.sorted("start")[0]  # 12:00-12:45 in Paris
        self.env["psys.booking"].create({"slot_id": caf_slot.id, "beneficiary_id": self._beneficiary().id})
        # A slot of the CCAS typed by hand over it (11:30-12:30): booking it is refused.
        clash = self._slot(self.ccas, datetime(2026, 11, 16, 10, 30))
        before = self.env["psys.booking"].search_count([])
        with self.assertRaisesRegex(UserError, "already has an appointment at that time"):
            self.env["psys.booking"].create({"slot_id": clash.id, "beneficiary_id": self._beneficiary().id})
        self.assertEqual(self.env["psys.booking"].search_count([]), before)
        # Another practitioner at the same hour is no clash.
        other = self._slot(self.partnership_b, datetime(2026, 11, 16, 11))
        self.env["psys.booking"].create({"slot_id": other.id, "beneficiary_id": self._beneficiary().id})

    def test_a_leave_over_booked_appointments_is_refused_with_their_list(self):
        self.ccas.action_generate_slots(date(2026, 11, 16), date(2026, 11, 23))
        monday = self._active_slots().filtered(lambda slot: slot.start.date() == date(2026, 11, 16))
        first = self.env["psys.booking"].create({"slot_id": monday[0].id, "beneficiary_id": self._beneficiary().id})
        last = self.env["psys.booking"].create({"slot_id": monday[-1].id, "beneficiary_id": self._beneficiary().id})
        resource = self.ccas._get_practitioner_resources()[self.user_therapist]
        Leave = self.env["resource.calendar.leaves"].with_user(self.user_therapist).with_context(lang="fr_FR")
        free_before = self._active_slots()
        with self.assertRaises(ValidationError) as caught:
            Leave.create(
                {
                    "name": "Congés",
                    "resource_id": resource.id,
                    "date_from": datetime(2026, 11, 15, 23),
                    "date_to": datetime(2026, 11, 16, 22, 59),
                }
            )
        message = str(caught.exception)
        self.assertIn("2 rendez-vous réservés", message)
        for booking in first | last:
            self.assertIn(booking.beneficiary_code, message)
            self.assertIn(booking._psys_local_start(), message)
        self.assertIn("CAF de Test", message)
        self.assertIn(self.structure.name, message)
        # Nothing moved: no leave, the appointments and the slots as they were.
        self.assertFalse(self.env["resource.calendar.leaves"].search([("resource_id", "=", resource.id)]))
        self.assertEqual((first | last).mapped("state"), ["booked", "booked"])
        self.assertEqual(self._active_slots(), free_before)
        # The place closed that day (a leave on the place's calendar): refused too.
        with self.assertRaises(ValidationError) as caught:
            Leave.with_user(self.env.user).create(
                {
                    "name": "Travaux",
                    "calendar_id": self.ccas.location_id.resource_calendar_id.id,
                    "date_from": datetime(2026, 11, 15, 23),
                    "date_to": datetime(2026, 11, 16, 22, 59),
                }
            )
        self.assertIn("2 rendez-vous réservés", str(caught.exception))

        # A leave on a day without appointments takes the free slots, and gives them back.
        leave = Leave.create(
            {
                "name": "Formation",
                "resource_id": resource.id,
                "date_from": datetime(2026, 11, 22, 23),
                "date_to": datetime(2026, 11, 23, 22, 59),
            }
        )
        self.assertFalse(self._active_slots().filtered(lambda slot: slot.start.date() == date(2026, 11, 23)))
        leave.unlink()
        self.assertEqual(len(self._active_slots().filtered(lambda slot: slot.start.date() == date(2026, 11, 23))), 5)

    def test_my_availability_without_coordinator_rights(self):
        # Her own on-site days: she changes them.
        mine = self.ccas.with_user(self.user_therapist)
        mine.attendance_ids = [(0, 0, {"dayofweek": "3", "hour_from": 14.0, "hour_to": 16.0})]
        mine.attendance_ids.filtered(lambda line: line.dayofweek == "0").hour_to = 11.0
        self.assertEqual(sorted(self.ccas.attendance_ids.mapped("dayofweek")), ["0", "3"])
        self.assertFalse(self.user_therapist.has_group("psys_base.group_psys_coordinator"))
        # Another therapist does not touch them.
        theirs = self.ccas.with_user(self.user_therapist_2)
        with self.assertRaises(AccessError):
            theirs.attendance_ids = [(0, 0, {"dayofweek": "4", "hour_from": 9.0, "hour_to": 10.0})]
        with self.assertRaises(AccessError):
            theirs.attendance_ids[0].hour_to = 12.0
        with self.assertRaises(AccessError):
            theirs.attendance_ids[0].unlink()
        with self.assertRaises(AccessError):
            theirs.resource_calendar_id.write({"tz": "UTC"})
        # Her time off: the menu opens her own leaves, ready to add one.
        action = self.env["psys.partnership"].with_user(self.user_therapist)._psys_action_my_time_off()
        resource = self.env["resource.resource"].browse(action["context"]["default_resource_id"])
        self.assertEqual(resource.user_id, self.user_therapist)
        Leave = self.env["resource.calendar.leaves"].with_context(**action["context"])
        leave = Leave.with_user(self.user_therapist).create(
            {"name": "Congés", "date_from": datetime(2026, 12, 21, 0), "date_to": datetime(2026, 12, 24, 22)}
        )
        self.assertEqual(leave.resource_id, resource)
        leave.date_to = datetime(2026, 12, 25, 22)
        # Not another therapist's, nor for her.
        with self.assertRaises(AccessError):
            leave.with_user(self.user_therapist_2).write({"date_to": datetime(2026, 12, 31, 22)})
        with self.assertRaises(AccessError):
            leave.with_user(self.user_therapist_2).unlink()
        with self.assertRaises(AccessError):
            Leave.with_user(self.user_therapist_2).create(
                {"name": "Congés", "date_from": datetime(2027, 1, 4), "date_to": datetime(2027, 1, 5)}
            )
        # Reception has no availability of its own.
        with self.assertRaises(AccessError):
            self.env["psys.partnership"].with_user(self.user_reception)._psys_action_my_time_off()

    def test_time_off_says_why_once_and_in_good_french(self):
        """Issue 27, point 15: a time off without a reason, or over another
        one, is refused with a clear French message; one appointment is
        « 1 rendez-vous réservé »; the list shows no seconds."""
        resource = self.ccas._get_practitioner_resources()[self.user_therapist]
        Leave = self.env["resource.calendar.leaves"].with_user(self.user_therapist).with_context(lang="fr_FR")
        day = {
            "resource_id": resource.id,
            "date_from": datetime(2026, 11, 22, 23),
            "date_to": datetime(2026, 11, 23, 22, 59),
        }
        with self.assertRaises(ValidationError) as caught:
            Leave.create(dict(day, name="  "))
        self.assertIn("Indiquez le motif de l'absence", str(caught.exception))
        leave = Leave.create(dict(day, name="Formation"))
        with self.assertRaises(ValidationError) as caught:
            Leave.create(
                {
                    "name": "Congés",
                    "resource_id": resource.id,
                    "date_from": datetime(2026, 11, 23, 10),
                    "date_to": datetime(2026, 11, 24, 10),
                }
            )
        self.assertIn("chevauche une autre absence, Formation, du 23/11/2026 00:00", str(caught.exception))
        # The next day is no overlap.
        Leave.create(dict(day, name="Congés", date_from=datetime(2026, 11, 23, 23), date_to=datetime(2026, 11, 24, 22)))
        self.assertTrue(leave.exists())
        # One appointment on the day: singular.
        self.ccas.action_generate_slots(date(2026, 11, 30), date(2026, 11, 30))
        slot = self._active_slots().filtered(lambda slot: slot.start.date() == date(2026, 11, 30))[0]
        self.env["psys.booking"].create({"slot_id": slot.id, "beneficiary_id": self._beneficiary().id})
        with self.assertRaises(ValidationError) as caught:
            Leave.create(
                {
                    "name": "Congés",
                    "resource_id": resource.id,
                    "date_from": datetime(2026, 11, 29, 23),
                    "date_to": datetime(2026, 11, 30, 22),
                }
            )
        self.assertIn("tombe sur un rendez-vous réservé ;", str(caught.exception))
        self.assertNotIn("réservés", str(caught.exception))
        # The list of "My time off": a reason required, times without seconds.
        arch = self.env["resource.calendar.leaves"].get_view(
            self.env.ref("psys_referral.resource_calendar_leaves_view_list_psys").id, "list"
        )["arch"]
        self.assertRegex(arch, r'name="name"[^>]*required="1"|required="1"[^>]*name="name"')
        self.assertEqual(arch.count("'show_seconds': false"), 2)
