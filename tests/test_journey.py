"""A person's journey across the doors, read back from the spine.

A CCAS worker books a session for a new person on the portal; the
practitioner sees them; weeks later the same person walks into a drop-in
permanence and is recognised by their code; the yearly bilan counts one
person and two encounters; the retention purge forgets them everywhere.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.psys_permanence.tests.common import PermanenceCase
from odoo.addons.psys_referral.tests.common import PsysReferralCase


@tagged("post_install", "-at_install", "psys_journey")
class TestJourney(PsysReferralCase, PermanenceCase):
    def _key_figures(self, period_start, period_end):
        wizard = self.env["psys.bilan.wizard"].create(
            {"date_from": period_start, "date_to": period_end, "edition": "internal"}
        )
        data = wizard._get_bilan_data()
        table = next(table for table in data["tables"] if table["code"] == "key_figures")
        return {row["label"]: row["cells"][0]["value"] for row in table["rows"]}

    def test_referred_person_returns_to_a_permanence(self):
        friday = self.slot.start.date() + timedelta(days=(4 - self.slot.start.weekday()) % 7 + 7)
        session = self._sessions(self.permanence, friday, friday)
        session.shift_ids.filtered(lambda shift: shift.role == "reception").user_id = self.user_reception
        session.shift_ids.filtered(lambda shift: shift.role == "interview").user_id = self.user_therapist_2
        before = self._key_figures(self.slot.start.date(), friday)

        # The CCAS worker books, on the portal path, for someone new.
        booking = self.env["psys.booking"]._psys_portal_book(
            self.user_portal,
            self.slot.id,
            {
                "age_bracket": "18_25",
                "gender": "female",
                "territory_id": self.territory.id,
                "reason_category": "stress",
                "reason": "Épuisement, examens",
                "urgency": "normal",
                # She pays her sessions: she agrees to be known by her first name.
                "first_name": "Léa",
                "phone": "06 11 22 33 44",
                "consent": "1",
            },
        )
        person = booking.beneficiary_id
        contact = person.partner_id
        self.assertEqual(person.first_referrer_id, self.structure)
        self.assertEqual(contact.name, "Léa")

        # The practitioner sees her: the appointment becomes an encounter.
        with freeze_time(self.slot.start + timedelta(hours=1)):
            booking.with_user(self.user_therapist).action_mark_seen()
        appointment = booking.encounter_id
        self.assertEqual((appointment.beneficiary_id, appointment.visit_type), (person, "first"))

        # Weeks later she walks into the Friday permanence and gives her code.
        with freeze_time(session.start + timedelta(minutes=30)):
            visit = (
                self.env["psys.desk.register"]
                .with_user(self.user_reception)
                .create({"session_id": session.id, "mode": "code", "code": person.code, "arrival_note": "Vient seule"})
                ._register_visit()
            )
            visit.with_user(self.user_therapist_2).action_start_interview()
        drop_in = visit.encounter_id
        self.assertEqual((drop_in.beneficiary_id, drop_in.visit_type), (person, "repeat"))
        self.env["psys.note"].with_user(self.user_therapist_2).create(
            {"beneficiary_id": person.id, "encounter_id": drop_in.id, "body": "Reprend confiance."}
        )

        # The bilan counts one more person and two more encounters.
        after = self._key_figures(self.slot.start.date(), friday)
        self.assertEqual(after["People reached"] - before["People reached"], 1)
        self.assertEqual(after["Encounters"] - before["Encounters"], 2)

        # The purge forgets her in every door and keeps the statistics.
        person._psys_anonymise()
        self.assertEqual(person.state, "anonymised")
        self.assertFalse(person.partner_id)
        self.assertNotEqual(contact.with_context(active_test=False).name, "Léa")
        self.assertFalse(contact.phone)
        self.assertFalse(visit.arrival_note)
        self.assertFalse(self.env["psys.note"].search([("beneficiary_id", "=", person.id)]))
        self.assertEqual(booking.state, "seen")
        self.assertEqual((appointment | drop_in).beneficiary_id, person)
        self.assertEqual(self._key_figures(self.slot.start.date(), friday), after)
