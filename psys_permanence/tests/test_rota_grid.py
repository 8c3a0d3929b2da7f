from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestRotaGrid(PermanenceCase):
    def _grid_spec(self):
        return {
            "date": {},
            "start": {},
            "stop": {},
            "location_id": {"fields": {"display_name": {}}},
            "role": {},
            "user_id": {"fields": {"display_name": {}}},
            "state": {},
            "replacement_reason": {},
            "session_state": {},
        }

    def _open_grid(self, sessions):
        """What the grid does: its groups (week, antenna, role), then its rows."""
        Shift = self.env["psys.shift"].with_user(self.user_coordinator)
        domain = [("session_id", "in", sessions.ids)]
        Shift.web_read_group(domain, ["date"], ["date:week", "location_id", "role"], lazy=False)
        return Shift.web_search_read(domain, self._grid_spec())

    def test_grid_queries_do_not_grow_with_the_rota(self):
        # The same shape (two antennas, some shifts held, several weeks):
        # one month or nine months of rota.
        few = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 31)) | self._sessions(
            self.permanence_2, date(2027, 3, 1), date(2027, 3, 31)
        )
        many = self._sessions(self.permanence, date(2027, 4, 1), date(2027, 12, 31)) | self._sessions(
            self.permanence_2, date(2027, 4, 1), date(2027, 12, 31)
        )
        for sessions in (few, many):
            sessions.filtered(lambda session: session.location_id == self.location).shift_ids.filtered(
                lambda shift: shift.role == "reception"
            ).user_id = self.user_reception
        self._before_commit()
        self.env.invalidate_all()
        self._open_grid(few)  # warm the caches of the registry
        self._open_grid(many)
        self.env.invalidate_all()
        count = self.cr.sql_log_count
        self.env.invalidate_all()
        self._open_grid(few)
        few_queries = self.cr.sql_log_count - count
        self.env.invalidate_all()
        count = self.cr.sql_log_count
        result = self._open_grid(many)
        self.assertEqual(result["length"], len(many.shift_ids))
        # One month (16 rows) or nine (150 rows): a bounded number of queries
        # (groups, their antennas, the rows, their volunteers), not one per row.
        self.assertLessEqual(self.cr.sql_log_count - count, few_queries + 1, "no query per row")
        with self.assertQueryCount(8):
            self.env.invalidate_all()
            self._open_grid(many)

    def test_fill_and_unfill_in_place(self):
        arch = self.env.ref("psys_permanence.psys_shift_view_list_grid").arch
        self.assertIn('editable="bottom"', arch, "filled in place")
        session = self._sessions(self.permanence, date(2027, 3, 5), date(2027, 3, 5))
        shift = session.shift_ids.filtered(lambda shift: shift.role == "interview").with_user(self.user_coordinator)
        shift.write({"user_id": self.user_therapist.id})
        self._before_commit()
        self.assertEqual(shift.state, "filled")
        self.assertTrue(shift.calendar_event_id)
        shift.write({"user_id": False})
        self._before_commit()
        self.assertEqual(shift.state, "open")
        self.assertFalse(shift.calendar_event_id)

    def test_autofill_lists_the_unfilled_with_actions(self):
        self.env["psys.volunteer.availability"].search([]).unlink()
        self._availability(self.user_reception)
        sessions = self._sessions(self.permanence, date(2027, 3, 1), date(2027, 3, 8))
        wizard = (
            self.env["psys.rota.autofill"]
            .with_user(self.user_coordinator)
            .create({"date_from": date(2027, 3, 1), "date_to": date(2027, 3, 8), "permanence_ids": self.permanence.ids})
        )
        result = wizard.action_fill()
        self.assertTrue(result["name"], "a titled dialog, not 'Odoo'")
        interviews = sessions.shift_ids.filtered(lambda shift: shift.role == "interview")
        self.assertEqual(wizard.unfilled_shift_ids, interviews)
        grid = wizard.action_open_unfilled()
        self.assertEqual(self.env["psys.shift"].search(grid["domain"]), interviews)
        self._availability(self.user_therapist_2)
        wizard.action_ask_volunteers()
        for shift in interviews:
            self.assertIn("volunteer is wanted", shift.message_ids[0].body)
            self.assertIn(self.user_therapist_2.partner_id, shift.message_ids[0].partner_ids)
        with self.assertRaises(AccessError):
            interviews.with_user(self.user_therapist).action_ask_volunteers()
