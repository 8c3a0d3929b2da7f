from datetime import timedelta

import psycopg2
from freezegun import freeze_time
from lxml import html

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.http import Request
from odoo.modules.migration import load_script
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import html2plaintext, mute_logger

from ..models.psys_invitation import MAX_PER_ADDRESS_TOKEN, hash_token
from ..models.res_company import LOG_RETENTION_DAYS
from .common import InvitationFlowMixin, PsysReferralCase

FORBIDDEN = ("psych", "entretien", "thérap", "therap", "soutien", "écoute", "santé mentale")


@tagged("psys_referral", "post_install", "-at_install")
class TestInvitation(InvitationFlowMixin, HttpCase, PsysReferralCase):
    """Issue 13, point 4: a link for the person to choose their own slot,
    without an account. One partnership, one person, once, until it
    expires; rate-limited and audited; bad links get a French page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A person the CCAS booked before, who consented to reminders.
        first = cls.env["psys.booking"]._psys_portal_book(
            cls.user_portal,
            cls.slot_2.id,
            cls._book_values(first_name="Nadia", phone="06 12 34 56 78", email="nadia@example.com", consent="1"),
        )
        cls.person = first.beneficiary_id
        cls.referral = first.referral_id
        # Another free slot of the partnership, later, and one of another partnership.
        cls.slot_3 = cls._slot(cls.partnership, cls.start + timedelta(days=1))
        cls.slot_4 = cls._slot(cls.partnership, cls.start + timedelta(days=2))

    def _invite(self, **values):
        invitation, url = (
            self.env["psys.invitation"]
            .sudo()
            ._psys_create_invitation(self.partnership, self.person, self.user_portal, **values)
        )
        return invitation, url.rsplit("/", 1)[1]

    def _bookings(self):
        return self.env["psys.booking"].search([("beneficiary_id", "=", self.person.id), ("state", "=", "booked")])

    def _events(self, invitation):
        return invitation.log_ids.sorted("id").mapped("event")

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def test_link_is_hashed_expires_and_says_nothing_of_why(self):
        self.authenticate("psys_portal", "psys_portal")
        page = self.url_open(
            "/my/psys/invite",
            data={
                "partnership_id": self.partnership.id,
                "beneficiary_id": self.person.id,
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(page.status_code, 200)
        link = html.fromstring(page.text).find_class("o_psys_invite_link")[0].get("value")
        token = link.rsplit("/", 1)[1]
        invitation = self.env["psys.invitation"].search([("beneficiary_id", "=", self.person.id)])
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.token_hash, hash_token(token))
        self.assertNotIn(token, str(invitation.read()[0]), "Only the hash is stored")
        self.assertEqual(invitation.partnership_id, self.partnership)
        self.assertLess(abs(invitation.expiry - fields.Datetime.now() - timedelta(days=7)), timedelta(minutes=1))
        # Sent by e-mail and SMS (the person consented), without a word of why.
        sms = self.env["sms.sms"].search([("partner_id", "=", self.person.partner_id.id), ("body", "like", token)])
        mail = self.env["mail.mail"].search([("model", "=", "psys.invitation"), ("res_id", "=", invitation.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(len(mail), 1)
        self.assertIn(token, mail.body_html)
        for text in (sms.body, html2plaintext(mail.body_html), mail.subject):
            lowered = text.lower()
            for word in FORBIDDEN + ("fatigue", "stress", self.partnership.name.lower(), self.user_therapist.name):
                self.assertNotIn(word.lower(), lowered)
        # Portal users read no invitation.
        with self.assertRaises(AccessError):
            self.env["psys.invitation"].with_user(self.user_portal).search([])
        with self.assertRaises(AccessError):
            self.env["psys.invitation.log"].with_user(self.user_portal).search([])
        # A person another structure referred cannot be invited.
        page = self.url_open(
            "/my/psys/invite",
            data={
                "partnership_id": self.partnership.id,
                "beneficiary_id": self._beneficiary().id,
                "csrf_token": Request.csrf_token(self),
            },
        )
        self.assertEqual(page.status_code, 400)

    def test_choose_confirm_and_book(self):
        invitation, token = self._invite(referral=self.referral)
        page = self.url_open(f"/rdv/{token}")
        self.assertEqual(page.status_code, 200)
        values = {button.get("value") for button in html.fromstring(page.text).iter("button")}
        self.assertTrue({str(self.slot.id), str(self.slot_3.id), str(self.slot_4.id)} <= values)
        self.assertNotIn(str(self.slot_2.id), values, "A booked slot")
        self.assertNotIn(str(self.slot_b.id), values, "Another partnership's slot")
        self.assertNotIn(self.user_therapist.name, page.text, "No practitioner's name")
        self.assertNotIn(self.person.code, page.text)
        # A time chosen is confirmed first.
        page = self.url_open(f"/rdv/{token}?slot_id={self.slot_3.id}")
        self.assertTrue(html.fromstring(page.text).find_class("o_psys_invitation_confirm"))
        self.assertFalse(self._bookings() - self.slot_2.booking_ids)
        page = self._post(token, self.slot_3)
        self.assertEqual(page.status_code, 200)
        self.assertTrue(html.fromstring(page.text).find_class("o_psys_invitation_booked"))
        booking = self._bookings().filtered(lambda booking: booking.slot_id == self.slot_3)
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.referral_id, self.referral)
        self.assertEqual(booking.structure_id, self.structure)
        self.assertEqual(booking.booked_by_id, self.user_portal)
        invitation.invalidate_recordset()
        self.assertEqual(invitation.state, "used")
        self.assertEqual(invitation.booking_id, booking)
        self.assertEqual(self._events(invitation), ["view", "view", "booked"])
        self.assertTrue(all(log.address for log in invitation.log_ids))
        # The coordinator reads the audit.
        logs = (
            self.env["psys.invitation.log"]
            .with_user(self.user_coordinator)
            .search([("invitation_id", "=", invitation.id)])
        )
        self.assertEqual(len(logs), 3)

    def test_reused_link_410_nothing_double_booked(self):
        invitation, token = self._invite()
        self.assertEqual(self._post(token, self.slot).status_code, 200)
        before = self._bookings()
        for page in (self._post(token, self.slot_3), self.url_open(f"/rdv/{token}")):
            self.assertEqual(page.status_code, 410)
            self.assertTrue(html.fromstring(page.text).find_class("o_psys_invitation_reused"))
        self.assertEqual(self._bookings(), before)
        self.assertEqual(self._events(invitation), ["booked"], "a refused request writes no row")

    def test_expired_link_410(self):
        invitation, token = self._invite()
        invitation.expiry = fields.Datetime.now() - timedelta(seconds=1)
        invitation.flush_recordset()
        for page in (self.url_open(f"/rdv/{token}"), self._post(token, self.slot)):
            self.assertEqual(page.status_code, 410)
            self.assertTrue(html.fromstring(page.text).find_class("o_psys_invitation_expired"))
        self.assertFalse(self.slot.is_booked)
        self.assertEqual(invitation.state, "pending")
        self.assertEqual(self._events(invitation), [], "a refused request writes no row")

    def test_unknown_or_forged_link_404(self):
        _invitation, token = self._invite()
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        for url in (f"/rdv/{forged}", "/rdv/x", f"/rdv/{token}'--", "/rdv/" + "a" * 500):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 404, url)
        self.assertEqual(self._post(forged, self.slot).status_code, 404)
        self.assertFalse(self.slot.is_booked)
        unknown = self.env["psys.invitation.log"].search([("invitation_id", "=", False)])
        self.assertFalse(unknown, "a refused request writes no row")

    @mute_logger("odoo.sql_db")
    def test_slot_taken_meanwhile_409_with_next_slots(self):
        invitation, token = self._invite()
        self.env["psys.booking"]._psys_portal_book(self.user_portal, self.slot_3.id, self._book_values())
        page = self._post(token, self.slot_3)
        self.assertEqual(page.status_code, 409)
        proposals = html.fromstring(page.text).find_class("o_psys_proposals")
        self.assertTrue(proposals)
        proposed = {button.get("value") for button in proposals[0].iter("button")}
        self.assertIn(str(self.slot_4.id), proposed)
        self.assertNotIn(str(self.slot_3.id), proposed)
        self.assertEqual(invitation.state, "pending", "The link still works")
        self.assertEqual(self._events(invitation), ["taken"])
        # Another partnership's slot is refused, nothing booked.
        page = self._post(token, self.slot_b)
        self.assertEqual(page.status_code, 400)
        self.assertFalse(self.slot_b.is_booked)
        self.assertEqual(self._post(token, self.slot_4).status_code, 200)

    def test_too_many_attempts_429(self):
        invitation, token = self._invite()
        for _index in range(MAX_PER_ADDRESS_TOKEN):
            self.assertEqual(self.url_open(f"/rdv/{token}").status_code, 200)
        page = self._post(token, self.slot)
        self.assertEqual(page.status_code, 429)
        self.assertTrue(html.fromstring(page.text).find_class("o_psys_invitation_limited"))
        self.assertFalse(self.slot.is_booked)
        self.assertEqual(self._events(invitation), ["view"] * MAX_PER_ADDRESS_TOKEN)
        # Another link opens from the same address.
        _other, other_token = self._invite(referral=self.referral)
        self.assertEqual(self.url_open(f"/rdv/{other_token}").status_code, 200)

    def test_practitioner_invites_from_the_request(self):
        action = self.referral.with_user(self.user_therapist).action_psys_invite()
        invitation = self.env["psys.invitation"].search([("referral_id", "=", self.referral.id)])
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.invited_by_id, self.user_therapist)
        token = action["params"]["message"].rsplit("/", 1)[1]
        self.assertEqual(invitation.token_hash, hash_token(token))
        with self.assertRaises(AccessError):
            self.referral.with_user(self.user_reception).action_psys_invite()

    # From a person's or a partnership's record -------------------------------

    def _send(self, action, user, **values):
        """Fill the assistant opened by ``action`` as ``user`` and send it."""
        wizard = Form(self.env["psys.invitation.wizard"].with_user(user).with_context(**action["context"]))
        for name, value in values.items():
            setattr(wizard, name, value)
        return wizard.save().action_send()

    def _pending(self, person=None):
        return self.env["psys.invitation"].search(
            [("beneficiary_id", "=", (person or self.person).id), ("state", "=", "pending")]
        )

    def test_practitioner_invites_from_the_person(self):
        action = self.person.with_user(self.user_therapist).action_psys_invite()
        self.assertEqual(action["res_model"], "psys.invitation.wizard")
        self.assertEqual(action["context"]["default_beneficiary_id"], self.person.id)
        wizard = self.env["psys.invitation.wizard"].with_user(self.user_therapist).with_context(**action["context"])
        allowed = wizard.new({}).allowed_partnership_ids._origin
        self.assertIn(self.partnership, allowed)
        self.assertNotIn(self.partnership_b, allowed, "Another practitioner's partnership")
        done = self._send(action, self.user_therapist, partnership_id=self.partnership)
        invitation = self._pending()
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.partnership_id, self.partnership)
        self.assertEqual(invitation.invited_by_id, self.user_therapist)
        token = done["params"]["message"].rsplit("/", 1)[1]
        self.assertEqual(invitation.token_hash, hash_token(token))
        self.assertEqual(done["params"]["next"], {"type": "ir.actions.act_window_close"})
        # The link books like any other: the person's open request gets the appointment.
        self.assertEqual(self._post(token, self.slot_3).status_code, 200)
        self.assertEqual(self._bookings().filtered(lambda b: b.slot_id == self.slot_3).referral_id, self.referral)
        # Another practitioner's partnership, even typed in the assistant: refused.
        forged = wizard.create({"beneficiary_id": self.person.id, "partnership_id": self.partnership_b.id})
        with self.assertRaises(AccessError):
            forged.action_send()
        # Reception and the partner staff do not invite.
        for user in (self.user_reception, self.user_portal, self.user_employee):
            with self.assertRaises(AccessError):
                self.person.with_user(user).action_psys_invite()
        self.assertEqual(self.env["psys.invitation"].search_count([("partnership_id", "=", self.partnership_b.id)]), 0)

    def test_own_person_invited_to_the_ccas_partnership_is_self_referred(self):
        """Issue 27, point 8: the link is the channel, not a referral: the
        person is not referred by the CCAS, for the bilan (and for the
        tariff, psys_referral_account)."""
        booking = self._own_person_seen_through_own_link(self.slot_3)
        self.assertFalse(booking.referral_id.structure_id, "The request is a self-referral")
        self.assertFalse(booking.structure_id, "Not booked by the CCAS")
        # The bilan counts her as come on her own.
        encounter = booking.encounter_id
        self.assertEqual((encounter.referral_source, encounter.referral_partner_id), ("self", self.env["res.partner"]))

    def test_practitioner_link_for_a_person_the_ccas_booked_before(self):
        """The CCAS booked this person before (no first referrer recorded):
        the practitioner's link opens a new request at the CCAS's name."""
        person = self._beneficiary()
        self.env["psys.booking"].create(
            {
                "slot_id": self.slot_past.id,
                "beneficiary_id": person.id,
                "structure_id": self.structure.id,
                "booked_by_id": self.user_portal.id,
            }
        )
        _invitation, url = (
            self.env["psys.invitation"].sudo()._psys_create_invitation(self.partnership, person, self.user_therapist)
        )
        self.assertEqual(self._post(url.rsplit("/", 1)[1], self.slot_3).status_code, 200)
        booking = self.slot_3.booking_ids
        self.assertEqual((booking.referral_id.structure_id, booking.structure_id), (self.structure, self.structure))

    def test_migration_takes_the_structure_off_what_the_link_gave_it(self):
        """What 18.0.1.1.0 stored for a self-referred person invited by the
        practitioner (the request, the appointment and its encounter at the
        CCAS's name) loses the structure; a person the CCAS referred keeps it."""

        def invited_by_the_practitioner(slot, **values):
            person = self._beneficiary(**values)
            self.env["psys.consent"].create({"beneficiary_id": person.id, "scope": "named_contact"})
            person.partner_id = self.env["res.partner"].create({"name": "Karim", "psys_private_contact": True})
            invitation, url = (
                self.env["psys.invitation"]
                .sudo()
                ._psys_create_invitation(self.partnership, person, self.user_therapist)
            )
            self.assertEqual(self._post(url.rsplit("/", 1)[1], slot).status_code, 200)
            return invitation.booking_id

        booking = invited_by_the_practitioner(self.slot_3)
        # As this booking was stored before the fix.
        booking.referral_id.structure_id = self.structure
        booking.structure_id = self.structure
        with freeze_time(booking.stop + timedelta(hours=1)):
            booking.with_user(self.user_therapist).action_mark_seen()
        self.assertEqual(booking.encounter_id.referral_partner_id, self.structure)
        # A person the CCAS referred first, invited by the practitioner: referred by the CCAS.
        ccas_booking = invited_by_the_practitioner(self.slot_4, first_referrer_id=self.structure.id)
        self.assertEqual((ccas_booking.structure_id, ccas_booking.referral_id.structure_id), (self.structure,) * 2)
        self.env.flush_all()
        script = load_script(
            "psys_referral/migrations/18.0.1.2.0/post-referral-not-the-channel.py", "psys_post_referral_channel"
        )
        script.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertFalse(booking.referral_id.structure_id)
        self.assertFalse(booking.structure_id)
        self.assertEqual(
            (booking.encounter_id.referral_source, booking.encounter_id.referral_partner_id),
            ("self", self.env["res.partner"]),
        )
        self.assertEqual((ccas_booking.structure_id, ccas_booking.referral_id.structure_id), (self.structure,) * 2)

    def test_coordinator_invites_from_the_partnership(self):
        action = self.partnership.with_user(self.user_coordinator).action_psys_invite()
        self.assertEqual(action["context"]["default_partnership_id"], self.partnership.id)
        self._send(action, self.user_coordinator, beneficiary_id=self.person)
        invitation = self._pending()
        self.assertEqual(
            (invitation.partnership_id, invitation.invited_by_id), (self.partnership, self.user_coordinator)
        )
        # A practitioner of another partnership cannot open it on this one.
        with self.assertRaises(AccessError):
            self.partnership.with_user(self.user_therapist_2).action_psys_invite()
        # An anonymised person is not invited.
        gone = self._beneficiary()
        gone._psys_anonymise()
        with self.assertRaisesRegex(UserError, "anonymised"):
            self._send(action, self.user_coordinator, beneficiary_id=gone)

    def test_a_new_link_replaces_the_open_one(self):
        first, first_token = self._invite()
        other = (
            self.env["psys.invitation"]
            .sudo()
            ._psys_create_invitation(self.partnership_b, self.person, self.user_coordinator)[0]
        )
        action = self.person.with_user(self.user_therapist).action_psys_invite()
        done = self._send(action, self.user_therapist, partnership_id=self.partnership)
        second_token = done["params"]["message"].rsplit("/", 1)[1]
        self.assertEqual(first.state, "cancelled")
        self.assertEqual(self._events(first), ["replaced"])
        self.assertEqual(other.state, "pending", "One open link per partnership, not per person")
        self.assertEqual(
            self._pending(), other | self.env["psys.invitation"].search([("token_hash", "=", hash_token(second_token))])
        )
        # The old link no longer books; the new one does.
        self.assertEqual(self._post(first_token, self.slot_3).status_code, 410)
        self.assertFalse(self.slot_3.is_booked)
        self.assertEqual(self._post(second_token, self.slot_3).status_code, 200)
        # The database itself keeps one open link per person and partnership.
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            other.copy({"token_hash": hash_token("x")}).flush_recordset()

    # Retention -------------------------------------------------------------

    def _log(self, invitation, days_ago, event="view"):
        return self.env["psys.invitation.log"].create(
            {
                "invitation_id": invitation.id if invitation else False,
                "event": event if invitation else "unknown",
                "address": "192.0.2.7",
                "date": fields.Datetime.now() - timedelta(days=days_ago),
            }
        )

    def test_audit_is_deleted_after_the_retention(self):
        self.env.company.psys_invitation_log_days = 30
        invitation, _token = self._invite()
        old, recent = self._log(invitation, 31), self._log(invitation, 29)
        unknown_old, unknown_recent = self._log(None, LOG_RETENTION_DAYS + 1), self._log(None, 1)
        Log = self.env["psys.invitation.log"]
        # A run limited to the partnership leaves the logs of unknown links.
        Log._cron_purge_expired(self.partnership)
        self.assertFalse(old.exists())
        self.assertEqual((recent | unknown_old | unknown_recent).exists(), recent | unknown_old | unknown_recent)
        Log._cron_purge_expired()
        self.assertEqual((recent | unknown_old | unknown_recent).exists(), recent | unknown_recent)
        # A day later the rest of the month is gone, the invitation stays.
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            Log._cron_purge_expired(self.partnership)
        self.assertFalse(recent.exists())
        self.assertTrue(invitation.exists())
        cron = self.env.ref("psys_referral.ir_cron_psys_invitation_log_purge")
        self.assertEqual(cron.code, "model._cron_purge_expired()")
        with self.assertRaises(UserError):
            self.env.company.psys_invitation_log_days = 0

    def test_person_purge_takes_the_links_and_their_audit(self):
        person = self._beneficiary()
        invitation = (
            self.env["psys.invitation"].sudo()._psys_create_invitation(self.partnership, person, self.user_therapist)[0]
        )
        log = self._log(invitation, 0)
        # A link still valid keeps the person active; an expired one does not.
        self.assertEqual(person._psys_still_active(), person)
        with freeze_time(invitation.expiry + timedelta(seconds=1)):
            self.assertFalse(person._psys_still_active())
        person._psys_anonymise()
        self.assertFalse(invitation.exists())
        self.assertFalse(log.exists())
        self.assertEqual(person.state, "anonymised")

    def test_person_pages_have_no_sign_in(self):
        """Issue 27, point 16: the person opening her link has no account:
        the page shows the association, never « Se connecter »."""
        _invitation, token = self._invite()
        for url in (f"/rdv/{token}", f"/rdv/{token}?slot_id={self.slot_3.id}", "/rdv/" + "x" * 43):
            page = self.url_open(url)
            with self.subTest(url=url):
                self.assertNotIn("/web/login", page.text)
                self.assertNotIn("Se connecter", page.text)
                self.assertNotIn("Sign in", page.text)
                header = html.fromstring(page.text).find_class("o_psys_invitation_header")
                self.assertTrue(header)
                self.assertIn(self.env.company.name, header[0].text_content())
