from datetime import date, datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestBadInput(PermanenceCase):
    def _count(self):
        return self.env["psys.permanence"].with_context(active_test=False).search_count([])

    def _assert_refused(self, text, function, *args, **kwargs):
        before = self._count()
        with self.assertRaises(ValidationError) as error:
            function(*args, **kwargs)
        self.assertIn(text, str(error.exception))
        self.assertEqual(self._count(), before, "nothing half-written")

    def test_end_before_start(self):
        self._assert_refused(
            "ends before it starts",
            self._permanence,
            "À l'envers",
            self.location_2,
            wed=True,
            hour_from=17,
            hour_to=11,
        )
        self._assert_refused(
            "valid until a date before its start",
            self._permanence,
            "Périmée",
            self.location_2,
            wed=True,
            date_start=date(2027, 3, 1),
            date_end=date(2027, 2, 1),
        )
        with self.assertRaises(ValidationError):
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "x",
                    "calendar_id": self.location.resource_calendar_id.id,
                    "date_from": datetime(2027, 3, 2),
                    "date_to": datetime(2027, 3, 1),
                }
            )
        with self.assertRaises(UserError):
            self.env["psys.rota.autofill"].create(
                {"date_from": date(2027, 3, 2), "date_to": date(2027, 3, 1)}
            ).action_fill()

    def test_zero_roles(self):
        self._assert_refused(
            "at least one volunteer role", self._permanence, "Sans bénévole", self.location_2, wed=True, need_ids=[]
        )
        self._assert_refused(
            "between 1 and 20 volunteers",
            self._permanence,
            "Zéro",
            self.location_2,
            wed=True,
            need_ids=[(0, 0, {"role": "reception", "count": 0})],
        )
        self._assert_refused("at least one weekday", self._permanence, "Sans jour", self.location_2)
        self._assert_refused(
            "opens once a day",
            self._permanence,
            "Deux fois le mercredi",
            self.location_2,
            attendance_ids=self._opening(["wed"], 9, 12) + self._opening(["wed"], 14, 17)[1:],
        )
        self._assert_refused(
            "between 00:00 and 24:00", self._permanence, "Trop tard", self.location_2, wed=True, hour_to=25
        )
        with self.assertRaises(ValidationError):
            self.permanence.need_ids = [(5, 0, 0)]
        self.assertEqual(len(self.permanence.need_ids), 2)

    def test_overlapping_permanences(self):
        self._assert_refused(
            "overlap at Antenne test",
            self._permanence,
            "Doublon",
            self.location,
            fri=True,
            hour_from=16,
            hour_to=19,
        )
        # Another weekday, another antenna, or back to back: accepted.
        self._permanence("Samedi", self.location, sat=True, hour_from=11, hour_to=17)
        self._permanence("Vendredi soir", self.location, fri=True, hour_from=17, hour_to=19)
        self._permanence("Ailleurs", self.location_2, thu=True, hour_from=11, hour_to=17)
        # Successive validity periods do not overlap.
        self.permanence.date_end = date(2027, 6, 30)
        self._permanence(
            "Nouvel horaire", self.location, fri=True, hour_from=10, hour_to=16, date_start=date(2027, 7, 1)
        )
        with self.assertRaises(ValidationError):
            self.permanence.date_end = date(2027, 7, 15)

    def test_french_message(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "psys_permanence")])._update_translations(["fr_FR"])
        with self.assertRaises(ValidationError) as error:
            self.env["psys.permanence"].with_context(lang="fr_FR").create(
                {
                    "name": "Inversée",
                    "location_id": self.location_2.id,
                    "attendance_ids": self._opening(["wed"], 17, 11),
                }
            )
        self.assertIn("se termine avant de commencer", str(error.exception))
