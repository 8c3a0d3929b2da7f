from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.models.base import RECEPTION
from odoo.addons.psys_base.models.psys_beneficiary import AGE_BRACKETS, GENDERS
from odoo.addons.psys_base.models.psys_encounter import REFERRAL_SOURCES


class PsysDeskRegister(models.TransientModel):
    """Register a walk-in in a few clicks: a returning person (by code or by
    re-typed linking inputs) or a new pseudonymous stub."""

    _name = "psys.desk.register"
    _inherit = ["psys.linking.mixin"]
    _description = "Register a walk-in"

    session_id = fields.Many2one(
        "psys.session",
        required=True,
        domain="[('state', '=', 'planned')]",
        default=lambda self: self._default_session_id(),
    )
    mode = fields.Selection(
        [
            ("code", "Returning: I have their code"),
            ("linking", "Returning: re-type their initials, birth year and sex"),
            ("new", "First visit: new anonymous record"),
            ("anonymous", "Fully anonymous (no record)"),
        ],
        required=True,
        default="new",
    )
    code = fields.Char()
    age_bracket = fields.Selection(AGE_BRACKETS, default="unknown")
    gender = fields.Selection(GENDERS, default="undisclosed")
    territory_id = fields.Many2one("psys.territory")
    situation_tag_ids = fields.Many2many("psys.situation.tag", string="Situation", domain=[("is_clinical", "=", False)])
    referral_source = fields.Selection(
        REFERRAL_SOURCES,
        string="How they came",
    )
    referral_partner_id = fields.Many2one(
        "res.partner",
        string="Referring structure",
        domain=[("psys_structure_type", "!=", False)],
    )
    arrival_note = fields.Char(string="Reception remark")

    @api.model
    def _default_session_id(self):
        # Sessions carry the antenna's local date: today where the desk is,
        # not in UTC (between midnight and 1 or 2 a.m. they differ).
        today = fields.Date.context_today(
            self.with_context(tz=self.env.context.get("tz") or self.env.user.tz or "Europe/Paris")
        )
        session = self.env["psys.session"].search(
            [("date", "=", today), ("state", "=", "planned"), ("shift_ids.user_id", "=", self.env.uid)], limit=1
        ) or self.env["psys.session"].search([("date", "=", today), ("state", "=", "planned")], limit=1)
        return session.id

    def _find_beneficiary(self):
        self.ensure_one()
        Beneficiary = self.env["psys.beneficiary"]
        if self.mode == "anonymous":
            return Beneficiary
        if self.mode == "code":
            code = (self.code or "").strip()
            if not code:
                raise UserError(_("Type the code of the person."))
            beneficiary = Beneficiary.search([("code", "=ilike", code), ("state", "=", "active")], limit=1)
            if not beneficiary:
                raise UserError(_("No person has the code %(code)s.", code=code))
            return beneficiary
        keys = self._psys_read_linking_keys()
        if keys[0]:
            # A key is compared once: another try types the inputs again.
            self._psys_write_linking_keys(None)
        if self.mode == "linking" and not keys[0]:
            raise UserError(_("Type the initials, birth year and sex of the person."))
        if keys[0]:
            # A "first visit" whose inputs are a known person's is that person:
            # a second record would break recognition and the first/repeat figures.
            found = Beneficiary._psys_linking_lookup(keys, "desk")
            if len(found) > 1:
                raise UserError(
                    _(
                        "These inputs match several people (%(codes)s): ask for their code.",
                        codes=", ".join(found.mapped("code")),
                    )
                )
            if found:
                return found
            if self.mode == "linking":
                raise UserError(_("Nobody matches these inputs: check them, or register a first visit."))
        values = {
            "age_bracket": self.age_bracket or "unknown",
            "gender": self.gender or "undisclosed",
            "territory_id": self.territory_id.id,
            "situation_tag_ids": [fields.Command.set(self.situation_tag_ids.ids)],
            "first_referrer_id": self.referral_source == "structure" and self.referral_partner_id.id,
            "company_id": self.session_id.company_id.id,
        }
        beneficiary = Beneficiary.create(values)
        if keys[0]:
            beneficiary._psys_write_linking_keys(keys)
        return beneficiary

    def _register_visit(self):
        """Find or create the person and put them in the session's queue."""
        self.ensure_one()
        # The keys are read by SQL: check first that this form is the caller's.
        self._psys_check_own_form()
        if self.session_id.state != "planned":
            raise UserError(_("The session %(session)s is cancelled.", session=self.session_id.display_name))
        beneficiary = self._find_beneficiary()
        return self.env["psys.desk.visit"].create(
            {
                "session_id": self.session_id.id,
                "beneficiary_id": beneficiary.id,
                "referral_source": self.referral_source,
                "referral_partner_id": self.referral_partner_id.id,
                "arrival_note": self.arrival_note,
            }
        )

    def action_register(self):
        self._psys_check_action("write", RECEPTION)
        self.session_id._psys_check_action("read")
        self._register_visit()
        return self.session_id.action_open_desk()
