import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import api
from odoo.api import call_kw
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user

from odoo.addons.psys_base.tests.common import PsysCase, PsysClock


class PsysReferralCase(PsysCase):
    """Two structures with their portal staff and a partnership per
    structure (``_partnership_values`` adds what another addon needs)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_therapist.tz = "Europe/Paris"
        cls.env.company.write({"company_registry": "81234567800019", "psys_cancel_cutoff_hours": 24})
        cls.structure_b = cls.env["res.partner"].create(
            {"name": "Mission Locale de Test", "is_company": True, "psys_structure_type": "mission_locale"}
        )
        cls.user_portal_b = new_test_user(
            cls.env,
            login="psys_portal_b",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Agent Mission Locale", "parent_id": cls.structure_b.id, "email": "ml@example.com"})
            .id,
        )
        cls.user_portal.partner_id.email = "agent.ccas@example.com"
        cls._setup_tariffs()
        cls.partnership = cls._partnership(cls.structure, cls.user_portal)
        # Another practitioner: her slots may be at the same time as the first one's.
        cls.user_therapist_2.tz = "Europe/Paris"
        cls.partnership_b = cls._partnership(
            cls.structure_b, cls.user_portal_b, practitioner_id=cls.user_therapist_2.id
        )
        # Slots next week (well after the cut-off) and one in the past.
        cls.start = (datetime.now() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
        cls.slot = cls._slot(cls.partnership, cls.start)
        cls.slot_2 = cls._slot(cls.partnership, cls.start + timedelta(hours=1))
        cls.slot_b = cls._slot(cls.partnership_b, cls.start)
        cls.slot_past = cls._slot(cls.partnership, cls.start - timedelta(days=14))

    @classmethod
    def _setup_tariffs(cls):
        """What the partnerships' tariffs need, before they are created."""

    @classmethod
    def _partnership_values(cls):
        """Values of every test partnership besides its structure and staff."""
        return {}

    @classmethod
    def _partnership(cls, structure, portal_user, **values):
        return cls.env["psys.partnership"].create(
            dict(
                {
                    "name": f"Convention {structure.name}",
                    "practitioner_id": cls.user_therapist.id,
                    "structure_id": structure.id,
                    "location_id": cls.location.id,
                    "date_start": "2020-01-01",
                    "session_quota": 3,
                    "booking_user_ids": [(6, 0, portal_user.ids)],
                    "attendance_ids": [(0, 0, {"dayofweek": "1", "hour_from": 9.0, "hour_to": 12.0})],
                },
                **dict(cls._partnership_values(), **values),
            )
        )

    @classmethod
    def _slot(cls, partnership, start, hours=1):
        return cls.env["psys.slot"].create(
            {"partnership_id": partnership.id, "start": start, "stop": start + timedelta(hours=hours)}
        )

    @classmethod
    def _book_values(cls, **values):
        return dict(
            {"age_bracket": "26_39", "gender": "female", "reason_category": "stress", "reason": "Fatigue"},
            **values,
        )


class InvitationFlowMixin:
    """The person's side of a booking invitation, for an ``HttpCase``."""

    def _post(self, token, slot):
        """The person confirms ``slot`` on her link's page."""
        return self.url_open(
            f"/rdv/{token}",
            data={"slot_id": slot.id, "csrf_token": Request.csrf_token(self)},
            allow_redirects=False,
        )

    def _own_person_seen_through_own_link(self, slot, before_seen=None):
        """Issue 27, point 8: the practitioner creates a person who came on
        her own (over RPC, as herself), invites her by link to her CCAS
        partnership; the person books ``slot`` through it and the session is
        marked seen (``before_seen(person)`` runs just before). The booking."""
        therapist = self.user_therapist
        (person_id,) = call_kw(
            self.env["psys.beneficiary"].with_user(therapist),
            "create",
            [[{"age_bracket": "26_39", "gender": "female"}]],
            {},
        )
        person = self.env["psys.beneficiary"].browse(person_id)
        self.assertFalse(person.first_referrer_id, "She came on her own")
        wizard = self.env["psys.invitation.wizard"].with_user(therapist)
        (wizard_id,) = call_kw(
            wizard, "create", [[{"beneficiary_id": person.id, "partnership_id": self.partnership.id}]], {}
        )
        done = call_kw(wizard, "action_send", [[wizard_id]], {})
        token = done["params"]["message"].rsplit("/", 1)[1]
        self.assertEqual(self._post(token, slot).status_code, 200)
        booking = slot.booking_ids
        self.assertEqual(booking.beneficiary_id, person)
        if before_seen:
            before_seen(person)
        with freeze_time(booking.stop + timedelta(hours=1)):
            call_kw(self.env["psys.booking"].with_user(therapist), "action_mark_seen", [booking.ids], {})
        return booking


class PsysRaceCase(PsysClock, BaseCase):
    """Two real connections race: each test's data is committed in set-up
    (``_race_setup`` returns its ids), two threads run an action each in a
    transaction of their own, and the data is deleted afterwards
    (``_race_cleanup``). Only the database decides who wins."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.committed_env() as env:
            self.ids = self._race_setup(env)
        self.addCleanup(self._cleanup)

    def _race_setup(self, env):
        raise NotImplementedError

    @staticmethod
    def _race_slot(env, name):
        """A structure, a room, a partnership between them and one
        hour-long slot in 30 days, all named after ``name``."""
        structure = env["res.partner"].create({"name": f"CCAS {name}", "psys_structure_type": "ccas"})
        location = env["psys.location"].create({"name": f"Salle {name}"})
        partnership = env["psys.partnership"].create(
            {
                "name": f"Convention {name}",
                "structure_id": structure.id,
                "location_id": location.id,
            }
        )
        start = datetime.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=30)
        slot = env["psys.slot"].create(
            {"partnership_id": partnership.id, "start": start, "stop": start + timedelta(hours=1)}
        )
        return {"structure": structure.id, "location": location.id, "partnership": partnership.id, "slot": slot.id}

    def _race_slot_cleanup(self, env):
        """Delete what ``_race_slot`` made, and the bookings of its slot."""
        env["psys.booking"].search([("slot_id", "=", self.ids["slot"])]).unlink()
        env["psys.partnership"].browse(self.ids["partnership"]).unlink()
        env["psys.location"].browse(self.ids["location"]).unlink()
        env["res.partner"].browse(self.ids["structure"]).unlink()

    def _race_cleanup(self, env):
        raise NotImplementedError

    def _cleanup(self):
        with self.committed_env() as env:
            self._race_cleanup(env)

    @contextmanager
    def committed_env(self, lang="en_US"):
        """An environment on a cursor of its own, committed when left."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "lang": lang})

    def race(self, first, second, lang="en_US"):
        """Run ``first(env)``, then ``second(env)`` in another connection
        while the first transaction is still open (written, not committed).
        Returns the two outcomes: ``["ok"]`` or ``[the error's message]``."""
        inserted = threading.Event()

        def run(action, results, is_first):
            try:
                with self.committed_env(lang) as env:
                    if not is_first:
                        inserted.wait(10)
                    action(env)
                    if is_first:
                        inserted.set()
                        threading.Event().wait(0.5)  # hold the transaction open while the other one tries
                results.append("ok")
            except UserError as error:
                results.append(str(error))
            except Exception as error:  # the test reads what went wrong
                results.append(repr(error))
            finally:
                inserted.set()

        outcomes = ([], [])
        threads = [
            threading.Thread(target=run, args=(action, results, index == 0))
            for index, (action, results) in enumerate(zip((first, second), outcomes, strict=True))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        return outcomes
