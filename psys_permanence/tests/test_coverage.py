from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestCoverage(PermanenceCase):
    def test_coverage_states(self):
        session = self._sessions(self.permanence, date(2027, 3, 5), date(2027, 3, 5))
        reception = session.shift_ids.filtered(lambda shift: shift.role == "reception")
        interview = session.shift_ids.filtered(lambda shift: shift.role == "interview")
        self.assertEqual((session.coverage, session.filled_count, session.slot_count), ("uncovered", 0, 2))
        reception.user_id = self.user_reception
        self.assertEqual(session.coverage, "understaffed")
        interview.user_id = self.user_therapist
        self.assertEqual(session.coverage, "covered")
        self.assertEqual(session.volunteer_ids, self.user_reception | self.user_therapist)
        interview.user_id = False
        self.assertEqual(session.coverage, "understaffed")
        self.assertEqual(
            self.env["psys.session"].search([("id", "=", session.id), ("coverage", "=", "understaffed")]), session
        )

    def test_understaffed_alert(self):
        self.env.company.psys_understaffed_alert_days = 7
        self.permanence.coordinator_id = self.user_coordinator
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31))
        elsewhere = self._sessions(self.permanence_2, date(2027, 3, 1), date(2027, 3, 31))
        soon, later = sessions[0], sessions[2]
        covered = sessions[1]
        covered.shift_ids.filtered(lambda shift: shift.role == "reception").user_id = self.user_reception
        covered.shift_ids.filtered(lambda shift: shift.role == "interview").user_id = self.user_therapist
        activity_type = self.env.ref("psys_permanence.mail_activity_type_understaffed")
        with freeze_time("2027-03-03 08:00:00"):
            self.env["psys.session"]._cron_alert_understaffed(self.permanence)
            self.env["psys.session"]._cron_alert_understaffed(self.permanence)
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "psys.session"),
                ("res_id", "in", sessions.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        self.assertEqual(activities.mapped("res_id"), soon.ids, "one activity, only for the session within 7 days")
        self.assertEqual(activities.user_id, self.user_coordinator)
        self.assertFalse(later.activity_ids)
        self.assertFalse(elsewhere.activity_ids, "the alert was asked for one permanence only")
        with freeze_time("2027-03-13 08:00:00"):
            self.env["psys.session"]._cron_alert_understaffed(self.permanence)
        self.assertFalse(covered.activity_ids, "a covered session raises no alert")
        self.assertTrue(later.activity_ids)
