import logging

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..tools.age import AGE_BRACKETS, GENDERS, age_bracket_for  # noqa: F401  # pylint: disable=unused-import
from ..tools.groups import COORDINATOR, RECEPTION
from ..tools.policy import Policy
from ..tools.purge import PurgeSpec
from .psys_encounter import CLINICAL_GROUPS

_logger = logging.getLogger(__name__)

# People anonymised per transaction by the retention purge.
PURGE_BATCH = 500


class PsysBeneficiary(models.Model):
    _name = "psys.beneficiary"
    _description = "Beneficiary (pseudonymous)"
    _psys_policy = Policy(ownership=("partner_id",), workflow=("state",))
    _inherit = ["psys.secured", "psys.linking.mixin", "mail.thread", "mail.activity.mixin"]
    _rec_name = "code"
    _order = "id desc"
    # The named contact: of the person's association (Odoo's company check, on create and write).
    _check_company_auto = True

    code = fields.Char(required=True, copy=False, index=True, default="/", tracking=True)
    age_bracket = fields.Selection(AGE_BRACKETS, required=True, default="unknown", tracking=True)
    gender = fields.Selection(GENDERS, required=True, default="undisclosed")
    territory_id = fields.Many2one("psys.territory", tracking=True)
    situation_tag_ids = fields.Many2many(
        "psys.situation.tag",
        string="Situation",
        domain=[("is_clinical", "=", False)],
        help="Social situation, seen at the desk.",
    )
    clinical_tag_ids = fields.Many2many(
        "psys.situation.tag",
        "psys_beneficiary_clinical_tag_rel",
        "beneficiary_id",
        "tag_id",
        string="Clinical situation",
        domain=[("is_clinical", "=", True)],
        groups=CLINICAL_GROUPS,
        help="Situation tags flagged clinical: for therapists and coordinators only.",
    )
    first_contact_date = fields.Date(required=True, default=fields.Date.context_today)
    first_referrer_id = fields.Many2one(
        "res.partner",
        string="First referring structure",
        domain=[("psys_structure_type", "!=", False)],
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Named contact",
        check_company=True,
        copy=False,
        groups="psys_base.group_psys_named_contact",
        help="Only with the person's recorded consent to be contacted by name.",
    )
    has_linking_key = fields.Boolean(
        string="Linking key recorded",
        compute="_compute_has_linking_key",
        help="A linking key is recorded (the key itself is never shown).",
    )
    consent_ids = fields.One2many("psys.consent", "beneficiary_id", string="Consents")
    has_contact_consent = fields.Boolean(compute="_compute_has_contact_consent")
    encounter_ids = fields.One2many("psys.encounter", "beneficiary_id", string="Encounters")
    encounter_count = fields.Integer(compute="_compute_encounter_count")
    last_activity_date = fields.Date(
        compute="_compute_last_activity_date",
        store=True,
        help="Last encounter or first contact: the retention purge counts from it.",
    )
    note_ids = fields.One2many(
        "psys.note",
        "beneficiary_id",
        string="Confidential notes",
        groups="psys_base.group_psys_clinical",
    )
    state = fields.Selection(
        [("active", "Active"), ("anonymised", "Anonymised")],
        required=True,
        default="active",
        readonly=True,
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(company_id, code)", "This code is already used by another beneficiary."),
    ]

    @api.depends("consent_ids.scope", "consent_ids.state")
    def _compute_has_contact_consent(self):
        for beneficiary in self:
            beneficiary.has_contact_consent = bool(beneficiary._get_contact_consents())

    def _compute_has_linking_key(self):
        with_key = self._psys_has_linking_key()
        for beneficiary in self:
            beneficiary.has_linking_key = beneficiary.id in with_key

    def _compute_encounter_count(self):
        counts = dict(
            self.env["psys.encounter"]._read_group(
                [("beneficiary_id", "in", self.ids)], ["beneficiary_id"], ["__count"]
            )
        )
        for beneficiary in self:
            beneficiary.encounter_count = counts.get(beneficiary, 0)

    @api.depends("first_contact_date", "encounter_ids.date_start")
    def _compute_last_activity_date(self):
        for beneficiary in self:
            dates = [beneficiary.first_contact_date] + [
                start.date() for start in beneficiary.encounter_ids.mapped("date_start")
            ]
            beneficiary.last_activity_date = max(date for date in dates if date) if any(dates) else False

    def init(self):
        result = super().init()
        cr = self.env.cr
        # The retention purge's candidates (issue 24): the people still on
        # record by association and last activity, without the anonymised.
        create_index(
            cr,
            "psys_beneficiary_retention_index",
            self._table,
            ["company_id", "last_activity_date"],
            where="state = 'active'",
        )
        # A search by code is an ``ilike`` (part of a code): trigrams, where
        # the database has them, instead of reading every person.
        if self.env.registry.has_trigram:
            create_index(cr, "psys_beneficiary_code_trgm_index", self._table, ["code gin_trgm_ops"], method="gin")
        return result

    @api.constrains("code")
    def _check_code(self):
        for beneficiary in self:
            if not (beneficiary.code or "").strip():
                raise ValidationError(_("A beneficiary needs a code."))

    @api.constrains("first_contact_date")
    def _check_first_contact_date(self):
        today = fields.Date.context_today(self)
        for beneficiary in self:
            if beneficiary.first_contact_date and beneficiary.first_contact_date > today:
                raise ValidationError(_("The first contact cannot be in the future."))

    @api.constrains("situation_tag_ids", "clinical_tag_ids")
    def _check_situation_tags(self):
        for beneficiary in self.sudo():
            if beneficiary.situation_tag_ids.filtered("is_clinical") or beneficiary.clinical_tag_ids.filtered(
                lambda tag: not tag.is_clinical
            ):
                raise ValidationError(
                    _("Clinical situation tags go in the clinical situation, the others in the situation.")
                )

    @api.constrains("partner_id", "consent_ids")
    def _check_partner_consent(self):
        for beneficiary in self:
            if beneficiary.partner_id and not beneficiary._get_contact_consents():
                raise ValidationError(
                    _(
                        "%(code)s has no current consent to be contacted by name: "
                        "record the consent before linking a named contact.",
                        code=beneficiary.code,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code", "/") in ("/", False, None):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                sequence = self.env["ir.sequence"].with_company(company)
                vals["code"] = sequence.next_by_code("psys.beneficiary") or "/"
        beneficiaries = super().create(vals_list)
        beneficiaries._psys_own_contacts()
        return beneficiaries

    def write(self, vals):
        result = super().write(vals)
        if "partner_id" in vals or "company_id" in vals:
            self._psys_own_contacts()
        return result

    def _psys_own_contacts(self):
        """A named contact linked to a person belongs to the person's
        association: it gets that company when it has none."""
        # sudo: the caller may link the contact (field access checked by the
        # ORM); setting its company only narrows who may read it.
        for beneficiary in self.sudo():
            contact = beneficiary.partner_id
            if contact.psys_private_contact and not contact.company_id:
                contact.company_id = beneficiary.company_id

    def _get_contact_consents(self):
        self.ensure_one()
        return self.consent_ids.filtered(lambda consent: consent.scope == "named_contact" and consent.state == "given")

    # Linking keys (compared server-side only) -------------------------

    def _psys_on_linking_keys(self, keys):
        """Inputs typed on a person's record: refuse them when they are
        another person's, so that nobody is recorded twice."""
        self.ensure_one()
        others = self._psys_linking_lookup(keys, "record", exclude=self)
        if others:
            raise ValidationError(
                _(
                    "These initials, birth year and sex are those of %(codes)s: "
                    "open that record instead of recording the person twice.",
                    codes=", ".join(others.mapped("code")),
                )
            )
        self._psys_write_linking_keys(keys)

    @api.model
    def _psys_has_legacy_keys(self):
        self.env.cr.execute("SELECT 1 FROM psys_beneficiary WHERE linking_hash_legacy IS NOT NULL LIMIT 1")
        return bool(self.env.cr.fetchone())

    @api.model
    def _psys_linking_lookup(self, keys, origin, exclude=None):
        """The active people the caller may read whose key is ``keys`` (the
        pair made by ``_make_linking_keys``): one audited, rate-limited
        lookup. A person found by a key of 18.0.1.0.0 gets the new key."""
        key, legacy = keys

        def compare():
            self.env.cr.execute(
                SQL(
                    """SELECT id, linking_hash IS NULL FROM psys_beneficiary
                        WHERE (linking_hash = %s OR (%s::varchar IS NOT NULL AND linking_hash_legacy = %s))
                          AND id != ALL(%s)""",
                    key,
                    legacy,
                    legacy,
                    list((exclude or self.browse()).ids) or [0],
                )
            )
            rows = self.env.cr.fetchall()
            rehash = [row_id for row_id, legacy_only in rows if legacy_only]
            if rehash:
                self.browse(rehash)._psys_write_linking_keys((key, None))
            return self.search([("id", "in", [row[0] for row in rows])] + self._get_returning_domain())

        return self.env["psys.linking.audit"]._psys_audited(origin, compare)

    # Finding a returning person ----------------------------------------

    @api.model
    def _get_returning_domain(self):
        """The people who may come back: the purge forgot the anonymised ones."""
        return [("state", "=", "active")]

    @api.model
    def _psys_find_returning(self, code=None, keys=None, origin="lookup"):
        """The people the caller may read that a returning person is, by
        their code (in any case) or else by the key of their re-typed linking
        inputs (one audited lookup, see ``_psys_linking_lookup``). Every
        search for a returning person goes through here: an anonymised
        person is never found."""
        if code:
            return self.search([("code", "=ilike", code.strip())] + self._get_returning_domain())
        if keys and keys[0]:
            return self._psys_linking_lookup(keys, origin)
        return self.browse()

    @api.model
    def _find_by_linking_inputs(self, initials, birth_year, sex, origin="lookup"):
        """The beneficiaries a returning person's re-typed inputs point to."""
        return self._psys_find_returning(keys=self._make_linking_keys(initials, birth_year, sex), origin=origin)

    def action_view_encounters(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        action = self.env["ir.actions.act_window"]._for_xml_id("psys_base.psys_encounter_action")
        action["domain"] = [("beneficiary_id", "=", self.id)]
        action["context"] = {"default_beneficiary_id": self.id}
        return action

    def action_anonymise(self):
        """Forget these people now (a coordinator's decision, irreversible)."""
        # Checked as the caller before the purge, which runs in sudo().
        self._psys_check_action("unlink", COORDINATOR)
        self._psys_anonymise()

    # Retention ---------------------------------------------------------

    @api.model
    def _cron_anonymise_inactive(self, batch_size=PURGE_BATCH):
        """Anonymise the people inactive for longer than their association's
        retention, ``batch_size`` at a time: the cron runner commits each
        batch and calls again while some remain (``_notify_progress``), so
        that no transaction holds thousands of people's rows."""
        self._psys_end_contact_retention()
        domain = self._psys_inactive_domain()
        if domain is None:
            return
        people = self.with_context(active_test=False)
        self.env.flush_all()  # the doors' sub-selects read their tables
        inactive = people.search(domain, limit=batch_size, order="id")
        inactive._psys_anonymise()
        self.env.flush_all()
        remaining = people.search_count(domain) if len(inactive) == batch_size else 0
        _logger.info("Retention purge: %s people anonymised, %s remaining", len(inactive), remaining)
        self.env["ir.cron"]._notify_progress(done=len(inactive), remaining=remaining)

    @api.model
    def _psys_inactive_domain(self):
        """The people whose retention is over and whom no door keeps active,
        in every association with a retention (None when none has one)."""
        today = fields.Date.context_today(self)
        per_company = [
            [
                ("company_id", "=", company.id),
                ("last_activity_date", "<", today - relativedelta(months=company.psys_retention_months)),
            ]
            for company in self.env["res.company"].search([("psys_retention_months", ">", 0)])
        ]
        if not per_company:
            return None
        return [("state", "=", "active"), *expression.OR(per_company), *self._psys_still_active_domain()]

    @api.model
    def _psys_still_active_domain(self):
        """``_get_still_active_specs`` as a domain on the people (one
        sub-select per door), for the purge to search in batches."""
        return [("id", "not in", query) for query in self._psys_still_active_queries()]

    @api.model
    def _psys_still_active_queries(self):
        """One sub-select per door: the ids of the people it keeps active."""
        queries = []
        for model, field, spec_domain in self._get_still_active_specs():
            records = self.env[model].sudo().with_context(active_test=False)  # the cron sees every door
            query = records._search([*spec_domain, (field, "!=", False)])
            queries.append(query.subselect(SQL.identifier(records._table, field)))
        return queries

    def _get_still_active_specs(self):
        """What keeps a person active whatever the date of their last
        encounter: a list of ``(model, field, domain)``, the records of
        ``model`` whose ``field`` points to the person and that match
        ``domain`` (an upcoming booking, an open referral, an active
        sentinel…). Each door extends it."""
        return []

    def _psys_still_active(self):
        """Those of these people that a door still counts as active."""
        queries = self._psys_still_active_queries()
        if not self or not queries:
            return self.browse()
        self.env.flush_all()  # the doors' sub-selects read their tables
        self.env.cr.execute(
            SQL(
                "SELECT id FROM psys_beneficiary WHERE id IN %s AND (%s)",
                tuple(self.ids),
                SQL(" OR ").join(SQL("id IN %s", query) for query in queries),
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _psys_end_contact_retention(self):
        """Contacts kept for accounting documents whose retention is over: anonymise them."""
        # sudo: the retention policy runs for the association, not for a user.
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False, tracking_disable=True)
            .search([("psys_retain_until", "!=", False), ("psys_retain_until", "<", fields.Date.context_today(self))])
        )
        if not contacts:
            return
        contacts._psys_end_retention()
        self._psys_collect_files()
        self._psys_wipe(
            contacts,
            ["email", "phone", "mobile", "street", "street2", "zip", "city", "comment", "psys_retain_until"],
            {"name": _("Anonymised contact"), "active": False},
        )

    def _get_purge_specs(self):
        """What the purge wipes for these beneficiaries: a list of
        :class:`~odoo.addons.psys_base.tools.purge.PurgeSpec` (delete the
        records, empty some fields, or only drop their traces). Each door
        extends it."""
        return [
            PurgeSpec("psys.beneficiary", "id", empty_fields=("partner_id",)),
            PurgeSpec("psys.note", "beneficiary_id", delete=True),
            PurgeSpec("psys.consent", "beneficiary_id"),
            PurgeSpec("psys.encounter", "beneficiary_id"),
            PurgeSpec("psys.orientation", "beneficiary_id"),
        ]

    def _get_purge_contacts(self):
        """The named contacts of these people that the purge anonymises (those
        created for them, flagged ``psys_private_contact``). Doors add theirs."""
        return self.partner_id

    def _psys_anonymise(self):
        """Keep the statistics of these people, forget everything else."""
        # The purge runs for the retention policy, not for a user: it must
        # reach every record of these people whatever the caller may read.
        beneficiaries = self.sudo().with_context(active_test=False, tracking_disable=True)
        if not beneficiaries:
            return
        contacts = beneficiaries._get_purge_contacts().filtered("psys_private_contact")
        for spec in beneficiaries._get_purge_specs():
            records = self.env[spec.model].sudo().with_context(active_test=False, tracking_disable=True)
            records = records.search([(spec.link_field, "in", beneficiaries.ids)])
            self._psys_wipe(records, spec.empty_fields, delete=spec.delete)
        # Invoices must be kept 10 years (Code de commerce, art. L123-22): the
        # contacts they name keep their name and address until then.
        retention = contacts._psys_get_retention_end()
        retained = contacts.filtered(lambda contact: contact.id in retention)
        contacts._psys_purge_traces()
        # Nor do they follow anything any more (which would mail them).
        self.env["mail.followers"].sudo().search([("partner_id", "in", contacts.ids)]).unlink()
        self._psys_wipe(
            contacts - retained,
            ["email", "phone", "mobile", "street", "street2", "zip", "city", "comment"],
            {"name": _("Anonymised contact"), "active": False},
        )
        for until in set(retention.values()):
            self._psys_wipe(
                retained.filtered(lambda contact, until=until: retention[contact.id] == until),
                ["email", "phone", "mobile", "comment"],
                {"active": False, "psys_retain_until": until},
            )
        beneficiaries._psys_write_linking_keys(None)
        self._psys_collect_files()
        # Tracking is disabled: the new state leaves no trace either.
        beneficiaries.write({"state": "anonymised"})

    @api.model
    def _psys_collect_files(self):
        """Once the purge is committed, remove the files of the attachments it
        deleted from the filestore (Odoo's own collector, which keeps a file
        another attachment still uses), instead of waiting for the daily one."""
        postcommit = self.env.cr.postcommit
        if postcommit.data.get("psys_collect_files"):
            return
        postcommit.data["psys_collect_files"] = True
        registry = self.env.registry

        @postcommit.add
        def collect():
            with registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["ir.attachment"]._gc_file_store()

    @api.model
    def _psys_wipe(self, records, empty_fields=(), values=None, delete=False):
        """Delete the chatter, tracking values, activities and attachments of
        ``records``; then delete them (``delete``) or empty ``empty_fields``
        and write ``values``."""
        if not records:
            return
        env = records.env
        traces = [("res_id", "in", records.ids)]
        messages = env["mail.message"].search([("model", "=", records._name)] + traces)
        messages -= messages._psys_kept_by_law()
        # Their attachments (e-mailed copies sit on the message) and queued
        # e-mails (mail.mail rows) go with them.
        env["ir.attachment"].search([("res_model", "=", "mail.message"), ("res_id", "in", messages.ids)]).unlink()
        messages.attachment_ids.filtered(lambda attachment: not attachment.res_field).unlink()
        # A queued e-mail takes its message with it (mail.mail.unlink).
        env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
        messages.exists().unlink()
        env["mail.followers"].search([("res_model", "=", records._name)] + traces).unlink()
        env["mail.activity"].search([("res_model", "=", records._name)] + traces).unlink()
        env["ir.attachment"].search([("res_model", "=", records._name)] + traces).unlink()
        if delete:
            records.unlink()
        elif empty_fields or values:
            records.write(dict(dict.fromkeys(empty_fields, False), **(values or {})))
