from odoo.exceptions import AccessError

from .common import PsysCase


class TestCalendarOwner(PsysCase):
    """The places own a resource calendar (``psys.calendar.owner``), as the
    permanences and the partnerships do: made with them, gone with them."""

    def setUp(self):
        super().setUp()
        self.Location = self.env["psys.location"].with_user(self.user_coordinator)

    def test_each_new_place_gets_its_own_calendar(self):
        places = self.Location.create([{"name": "Salle A"}, {"name": "Salle B"}])
        calendars = places.resource_calendar_id
        self.assertEqual(calendars.mapped("name"), ["Salle A", "Salle B"])
        self.assertEqual(calendars.company_id, self.company)
        self.assertFalse(calendars.attendance_ids, "a place's calendar only holds its closing days")

    def test_a_place_is_never_given_another_calendar(self):
        """Another place's calendar, given at creation or later, would be
        deleted with the new place, or edited through it."""
        place = self.Location.create({"name": "Salle A"})
        calendar = place.resource_calendar_id
        with self.assertRaises(AccessError):
            self.Location.create({"name": "Salle A bis", "resource_calendar_id": calendar.id})
        other = self.Location.create({"name": "Salle B"})
        with self.assertRaises(AccessError):
            other.write({"resource_calendar_id": calendar.id})
        # The same calendar written again changes nothing: allowed.
        other.write({"resource_calendar_id": other.resource_calendar_id.id, "name": "Salle B2"})

    def test_a_calendar_goes_with_the_last_place_that_uses_it(self):
        place = self.Location.create({"name": "Salle A"})
        calendar = place.resource_calendar_id
        # As an older release could leave it: an archived place on the same calendar.
        twin = self.Location.sudo().create(
            {"name": "Salle A bis", "resource_calendar_id": calendar.id, "active": False}
        )
        place.unlink()
        self.assertTrue(calendar.exists(), "an archived place still uses it")
        twin.unlink()
        self.assertFalse(calendar.exists())
