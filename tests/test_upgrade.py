"""What the migrations promise, checked on the database they ran on.

`setup/psys test` runs this module on a database of the last release
upgraded to this checkout (stage "upgrade"); the main stage runs it on a fresh
install, where the same facts must hold.
"""

import ast
import pathlib
from datetime import date

import pytz

from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged

from odoo.addons.psys_base.tests.common import PsysClock

REPO = pathlib.Path(__file__).resolve().parent.parent


@tagged("post_install", "-at_install", "psys_repo")
class TestUpgradePromises(PsysClock, TransactionCase):
    def test_installed_versions_are_the_manifests(self):
        modules = self.env["ir.module.module"].search([("name", "=like", "psys\\_%"), ("state", "=", "installed")])
        self.assertTrue(modules)
        for module in modules:
            manifest = ast.literal_eval((REPO / module.name / "__manifest__.py").read_text(encoding="utf-8"))
            with self.subTest(addon=module.name):
                self.assertEqual(module.latest_version, manifest["version"])

    def test_accounting_belongs_to_its_own_addon(self):
        """18.0.1.2.1 (psys_referral): the accounting left psys_referral for
        psys_referral_account, which the upgrade installs with it (with
        Odoo's accounting there); its models, fields and records are the new
        addon's, none of them is left to psys_referral (nor deleted)."""
        modules = dict(
            self.env["ir.module.module"]
            .search([("name", "in", ("account", "psys_referral", "psys_referral_account"))])
            .mapped(lambda module: (module.name, module.state))
        )
        if modules.get("psys_referral") != "installed" or modules.get("account") != "installed":
            self.skipTest("psys_referral with Odoo's accounting is not installed")
        self.assertEqual(modules.get("psys_referral_account"), "installed")
        data = self.env["ir.model.data"]
        for name in (
            "model_psys_statement",
            "field_psys_booking__price",
            "field_psys_partnership__tariff_policy",
            "action_report_psys_receipt",
            "psys_statement_rule_company",
        ):
            with self.subTest(name=name):
                self.assertEqual(data.search_count([("module", "=", "psys_referral_account"), ("name", "=", name)]), 1)
                self.assertFalse(data.search_count([("module", "=", "psys_referral"), ("name", "=", name)]))
        self.assertIn("price", self.env["psys.booking"]._fields)

    def test_named_contacts_belong_to_an_association(self):
        """18.0.1.1.0 (psys_base): every private contact has the company of its association."""
        self.env.cr.execute("SELECT count(*) FROM res_partner WHERE psys_private_contact AND company_id IS NULL")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(
            """SELECT count(*) FROM psys_beneficiary beneficiary
                 JOIN res_partner partner ON partner.id = beneficiary.partner_id
                WHERE partner.company_id IS DISTINCT FROM beneficiary.company_id"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_clinical_situations_are_apart(self):
        """18.0.1.1.0 (psys_base): heavy pathology and post-trauma are clinical
        tags, held in the clinicians' field only."""
        for xmlid in ("psys_base.psys_situation_tag_heavy_pathology", "psys_base.psys_situation_tag_post_trauma"):
            self.assertTrue(self.env.ref(xmlid).is_clinical, xmlid)
        self.env.cr.execute(
            """SELECT count(*) FROM psys_beneficiary_psys_situation_tag_rel rel
                 JOIN psys_situation_tag tag ON tag.id = rel.psys_situation_tag_id
                WHERE tag.is_clinical"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_funded_sessions_carry_their_rate(self):
        """18.0.1.1.0 (psys_referral): a funded session carries its
        partnership's funded rate (the demo's city-funded partnership has one),
        so the funder's statement and the bilan add up real amounts."""
        demo = self.env.ref("psys_referral.partnership_mairie_fives", raise_if_not_found=False)
        if demo:
            self.assertEqual(demo.funded_rate, 25.0)
        self.env.cr.execute(
            """SELECT count(*) FROM psys_booking booking
                 JOIN psys_partnership partnership ON partnership.id = booking.partnership_id
                WHERE booking.state = 'seen' AND booking.tariff = 'funded' AND booking.statement_id IS NULL
                  AND partnership.funded_rate > 0 AND COALESCE(booking.price, 0) = 0"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_linking_keys_of_the_release_still_recognise(self):
        """18.0.1.1.0 (psys_base): keys of 18.0.1.0.0 are kept (wrapped with the
        pepper), and the person typed again is found, then rehashed. Only on a
        database upgraded by `setup/psys test`, whose seed (setup/upgrade_seed.py)
        typed these inputs with the release's code."""
        Param = self.env["ir.config_parameter"].sudo()
        seeded = [("UA", "1961", "f"), ("UB", "1972", "m"), ("UC", "1983", "f")]
        codes = [Param.get_param(f"psys_upgrade_seed.{initials}") for initials, _year, _sex in seeded]
        if not any(codes):
            self.skipTest("not an upgraded database: no seed of the last release")
        Beneficiary = self.env["psys.beneficiary"]
        for (initials, year, sex), code in zip(seeded, codes, strict=True):
            with self.subTest(code=code):
                self.assertEqual(Beneficiary._find_by_linking_inputs(initials, year, sex).code, code)
        self.env.cr.execute("SELECT count(*) FROM psys_beneficiary WHERE linking_hash_legacy IS NOT NULL")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "each one found was rehashed with the new key")

    def test_permanence_volunteers_keep_their_menus(self):
        """18.0.1.1.0 (psys_permanence): whoever holds a shift or declared an
        availability is a permanence volunteer (and sees the permanence menus);
        an independent practitioner who holds none is not."""
        if not self.env["ir.module.module"].search_count(
            [("name", "=", "psys_permanence"), ("state", "=", "installed")]
        ):
            self.skipTest("psys_permanence is not installed")
        volunteers = self.env.ref("psys_permanence.group_psys_volunteer")
        holders = (
            self.env["psys.shift"].search([("user_id", "!=", False)]).user_id
            | self.env["psys.volunteer.availability"].search([]).user_id
        )
        self.assertFalse(holders - volunteers.users, "a volunteer lost the permanence menus")
        if "psys.partnership" in self.env:
            practitioners = self.env["psys.partnership"].search([]).practitioner_id
            self.assertFalse((practitioners - holders) & volunteers.users)

    def test_standing_bookings_are_in_the_calendar(self):
        """18.0.1.1.0 (psys_referral): every booking not cancelled has its event
        in the practitioner's calendar; 18.0.1.2.0: private, named without
        the person's code."""
        self.env.cr.execute(
            """SELECT count(*) FROM psys_booking booking
                 JOIN psys_slot slot ON slot.id = booking.slot_id
                 JOIN psys_partnership partnership ON partnership.id = slot.partnership_id
                WHERE booking.state != 'cancelled' AND partnership.practitioner_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM calendar_event event
                                   WHERE event.res_model = 'psys.booking' AND event.res_id = booking.id
                                     AND event.privacy = 'private')"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(
            """SELECT count(*) FROM calendar_event event
                 JOIN psys_booking booking ON event.res_model = 'psys.booking' AND event.res_id = booking.id
                 JOIN psys_beneficiary person ON person.id = booking.beneficiary_id
                WHERE position(person.code IN event.name) > 0"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "an event still says the person's code")

    def test_one_event_per_session(self):
        """18.0.1.2.0 (psys_permanence): the shifts' events were merged into
        one event per planned session with a held shift, its volunteers as
        attendees."""
        self.assertFalse(self.env["calendar.event"].search_count([("res_model", "=", "psys.shift")]))
        sessions = self.env["psys.session"].search([("state", "=", "planned"), ("shift_ids.user_id", "!=", False)])
        self.assertTrue(sessions, "the release held shifts")
        for session in sessions:
            self.assertEqual(session.calendar_event_id.partner_ids, session.shift_ids.user_id.partner_id)

    def test_places_close_on_their_calendar(self):
        """18.0.1.1.0 (psys_base, psys_permanence): every place has its own
        resource calendar, and the antennas' closures are leaves: the demo's
        Annecy closure covers whole days of the Annecy antenna, in Paris time."""
        self.assertFalse(
            self.env["psys.location"].with_context(active_test=False).search([("resource_calendar_id", "=", False)])
        )
        self.assertNotIn("psys.closure", self.env)
        seeded = self.env["resource.calendar.leaves"].search([("name", "=", "Fermeture estivale (seed)")])
        if seeded:  # setup/upgrade_seed.py: every antenna closed, on the release
            self.assertEqual(
                (seeded.calendar_id, seeded.resource_id, seeded.company_id),
                (self.env["resource.calendar"], self.env["resource.resource"], self.env.ref("base.main_company")),
            )
        demo = self.env.ref("psys_permanence.closure_annecy", raise_if_not_found=False)
        if not demo:
            return
        self.assertEqual(demo._name, "resource.calendar.leaves")
        self.assertEqual(demo.calendar_id, self.env.ref("psys_permanence.location_annecy").resource_calendar_id)
        self.assertFalse(demo.resource_id)
        self.assertEqual(demo.name, "Local prêté à une autre association")
        paris = pytz.timezone("Europe/Paris")
        start = pytz.utc.localize(demo.date_from).astimezone(paris)
        stop = pytz.utc.localize(demo.date_to).astimezone(paris)
        self.assertEqual((start.hour, start.minute, stop.hour, stop.minute), (0, 0, 23, 59))
        self.assertEqual((stop.date() - start.date()).days, 7)

    def test_permanences_open_on_their_calendar(self):
        """18.0.1.1.0 (psys_permanence): each permanence's weekdays and hours
        are the lines of its own resource calendar; the demo's Grenoble
        permanence opens on Wednesdays and Saturdays, 09:30–12:30."""
        if "psys.permanence" not in self.env:
            self.skipTest("psys_permanence is not installed")
        permanences = self.env["psys.permanence"].with_context(active_test=False).search([])
        for permanence in permanences:
            with self.subTest(permanence=permanence.name):
                self.assertTrue(permanence.resource_calendar_id.attendance_ids)
                self.assertEqual(permanence.resource_calendar_id.psys_permanence_ids, permanence)
        demo = self.env.ref("psys_permanence.permanence_grenoble", raise_if_not_found=False)
        if demo:
            self.assertEqual(demo._get_opening_hours(), {2: (9.5, 12.5), 5: (9.5, 12.5)})
            self.assertEqual(demo.tz, "Europe/Paris")

    def test_workshop_attendances_keep_their_encounter(self):
        """18.0.1.1.0 (psys_ateliers): a registration mirrors its encounter
        through the spine's mixin (``psys_encounter_id`` renamed ``encounter_id``):
        every attendance at a cycle's workshop still has its own."""
        if "event.registration" not in self.env or "encounter_id" not in self.env["event.registration"]._fields:
            self.skipTest("psys_ateliers is not installed")
        self.env.cr.execute(
            """SELECT count(*) FILTER (WHERE reg.encounter_id IS NULL),
                      count(reg.encounter_id) - count(DISTINCT reg.encounter_id)
                 FROM event_registration reg
                 JOIN event_event event ON event.id = reg.event_id
                WHERE event.psys_cycle_id IS NOT NULL AND reg.state = 'done'"""
        )
        self.assertEqual(self.env.cr.fetchone(), (0, 0))
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'event_registration' AND column_name = %s",
            ["psys_encounter_id"],
        )
        self.assertFalse(self.env.cr.fetchone(), "the old column is renamed, not left beside the new one")

    def test_french_words_are_corrected(self):
        """18.0.1.2.0 (psys_base, psys_permanence, psys_referral): the corrected
        French reaches an upgraded database (an upgrade alone keeps the old
        words): a returning person is no « Nouvelle venue », the desk says how
        people came in French, a closed request is « Clos »."""
        if not self.env["res.lang"]._lang_get("fr_FR"):
            self.skipTest("French is not installed")

        def labels(model, field):
            return dict(
                self.env[model]
                .with_context(lang="fr_FR")
                ._fields[field]
                ._description_selection(self.env(context=dict(self.env.context, lang="fr_FR")))
            )

        self.assertEqual(labels("psys.encounter", "visit_type")["repeat"], "Venue répétée")
        if "psys.desk.visit" in self.env:
            self.assertEqual(labels("psys.desk.visit", "referral_source")["self"], "Venu·e de sa propre initiative")
            self.assertEqual(
                labels("psys.desk.register", "referral_source")["structure"], "Orienté·e par une structure"
            )
        if "psys.referral" in self.env:
            self.assertEqual(labels("psys.referral", "state")["closed"], "Clos, rendez-vous annulé")

    def test_a_link_is_no_referral(self):
        """18.0.1.2.0 (psys_referral): no request opened by the booking of a
        practitioner's or a coordinator's invitation is at the name of a
        structure that never referred the person (it gave her the structure's
        preferential tariff and counted her as referred in the bilan)."""
        if "psys.invitation" not in self.env:
            self.skipTest("psys_referral is not installed")
        script = load_script(
            "psys_referral/migrations/18.0.1.2.0/post-referral-not-the-channel.py", "psys_post_referral_channel"
        )
        self.env.cr.execute(script.WRONG_REFERRALS)
        self.assertFalse(self.env.cr.fetchall())

    def test_public_holidays_are_leaves(self):
        """18.0.1.2.0 (psys_base): the public holidays are company-wide leaves
        of every association, this year's and the next ones, written by the
        upgrade (or the install) as the yearly job does."""
        this_year = self.env.cr.now().year  # the database's clock, that the upgrade ran on
        Leaves = self.env["resource.calendar.leaves"]
        for company in self.env["res.company"].search([]):
            with self.subTest(company=company.name):
                days = Leaves._psys_holiday_dates(company, date(this_year, 1, 1), date(this_year + 1, 12, 31))
                self.assertGreaterEqual(len(days[company.id]), 22, "eleven holidays a year at least")
