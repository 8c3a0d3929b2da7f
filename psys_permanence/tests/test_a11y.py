from datetime import date, datetime

from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.psys_base.tests.a11y import A11yTourCase

from .common import PermanenceCase


@tagged("post_install", "-at_install", "psys", "psys_permanence")
class TestBackOfficeAccessibility(A11yTourCase, HttpCase, PermanenceCase):
    """Issue 27, point 18: the desk and the dashboard pass axe-core with no
    serious or critical violation, for psys's own markup (the tours scope
    the check; psys_base/tests/a11y.js)."""

    psys_now = datetime(2026, 11, 6, 10, 0)  # a Friday, 11:00 in Paris

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        session = cls._sessions(cls.permanence, date(2026, 11, 6), date(2026, 11, 6))
        session.shift_ids.filtered(lambda shift: shift.role == "reception").user_id = cls.user_reception
        Register = cls.env["psys.desk.register"].with_user(cls.user_reception)
        person = cls.env["psys.beneficiary"].create({"code": "A11Y-1"})
        Register.create({"mode": "code", "code": person.code, "arrival_note": "Parle anglais"})._register_visit()
        Register.create({"mode": "anonymous"})._register_visit()
        # A third one in interview: its therapist's line and « Done » show.
        Register.create({"mode": "anonymous"})._register_visit().with_user(cls.user_therapist).action_start_interview()
        cls.user_head = mail_new_test_user(
            cls.env,
            login="psys_a11y_head",
            groups="psys_base.group_psys_coordinator,psys_base.group_psys_therapist",
            tz="Europe/Paris",
        )

    def test_desk(self):
        for size in ("1366x768", "390x844"):
            for login in ("psys_reception", "psys_therapist"):
                with self.subTest(size=size, login=login):
                    self.browser_size = size
                    self.start_tour(
                        "/odoo/action-psys_permanence.psys_desk_visit_action",
                        "psys_permanence_a11y_desk_tour",
                        login=login,
                    )

    def test_dashboard(self):
        self.start_tour(
            "/odoo/action-psys_base.action_psys_home", "psys_permanence_a11y_dashboard_tour", login="psys_a11y_head"
        )
