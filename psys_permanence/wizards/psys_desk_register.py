from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psys_base.models.psys_beneficiary import AGE_BRACKETS, GENDERS
from odoo.addons.psys_base.models.psys_referral_source_mixin import REFERRAL_SOURCES
from odoo.addons.psys_base.tools.age import age_bracket_for
from odoo.addons.psys_base.tools.groups import RECEPTION
from odoo.addons.psys_base.tools.policy import FORM, Policy

# One input for the sex of the linking key and the gender of the statistics.
LINK_SEX_OF_GENDER = {"female": "f", "male": "m", "other": "x"}


class PsysDeskRegister(models.TransientModel):
    """Register a walk-in in a few clicks: a returning person (by code or by
    re-typed linking inputs) or a new pseudonymous stub."""

    _name = "psys.desk.register"
    _inherit = ["psys.secured", "psys.linking.mixin", "psys.referral.source.mixin"]
    _description = "Register a walk-in"
    _psys_policy = Policy(company=None, shared=FORM)

    session_id = fields.Many2one(
        "psys.session",
        required=True,
        domain=lambda self: self._get_session_domain(),
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
    gender = fields.Selection(GENDERS, string="Sex / gender", default="undisclosed")
    territory_id = fields.Many2one("psys.territory")
    situation_tag_ids = fields.Many2many("psys.situation.tag", string="Situation", domain=[("is_clinical", "=", False)])
    arrival_note = fields.Char(string="Reception remark")
    state = fields.Selection([("draft", "Draft"), ("done", "Registered")], default="draft", required=True)
    visit_id = fields.Many2one("psys.desk.visit", readonly=True)
    registered_code = fields.Char(related="visit_id.beneficiary_id.code", string="Their code")
    # This addon's terms, so that the desk reads them in French (see psys.desk.visit).
    referral_source = fields.Selection(REFERRAL_SOURCES)

    @api.model
    def _get_session_domain(self):
        # The sessions of the last week up to today: the desk registers who
        # is here, not in a list of every session since the start.
        today = fields.Date.context_today(self)
        return [("state", "=", "planned"), ("date", ">=", today - timedelta(days=7)), ("date", "<=", today)]

    @api.onchange("link_birth_year")
    def _onchange_link_birth_year(self):
        """The age bracket follows the birth year as soon as it is typed."""
        if not self.link_birth_year or self.mode != "new":
            return
        try:
            year = self._parse_birth_year(self.link_birth_year)
        except ValidationError:
            return  # not a full year yet
        self.age_bracket = age_bracket_for(fields.Date.context_today(self).year - year)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("link_initials") or vals.get("link_birth_year"):
                vals.setdefault("link_sex", LINK_SEX_OF_GENDER.get(vals.get("gender")))
        return super().create(vals_list)

    @api.model
    def _default_session_id(self):
        """Today's session where the user holds a shift, else one of today's
        sessions at her own antennas (``psys.desk.visit._get_my_antennas``:
        those she volunteers at, else those of her recent and coming shifts),
        never another antenna's: walk-ins come to an on-site session, so it
        goes before a phone line or a group."""
        # Sessions carry the antenna's local date: today where the desk is,
        # not in UTC (between midnight and 1 or 2 a.m. they differ).
        today = fields.Date.context_today(
            self.with_context(tz=self.env.context.get("tz") or self.env.user.tz or "Europe/Paris")
        )
        Session = self.env["psys.session"]
        planned = [("date", "=", today), ("state", "=", "planned")]
        sessions = Session.search([*planned, ("shift_ids.user_id", "=", self.env.uid)])
        if not sessions:
            antennas = self.env["psys.desk.visit"]._get_my_antennas(usual=True)
            sessions = Session.search(planned + ([("location_id", "in", antennas.ids)] if antennas is not None else []))
        return sessions.sorted(lambda session: (session.modality != "on_site", session.start, session.id))[:1].id

    def _find_beneficiary(self):
        self.ensure_one()
        Beneficiary = self.env["psys.beneficiary"]
        if self.mode == "anonymous":
            return Beneficiary
        if self.mode == "code":
            code = (self.code or "").strip()
            if not code:
                raise UserError(_("Type the code of the person."))
            beneficiary = Beneficiary._psys_find_returning(code=code)[:1]
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
            found = Beneficiary._psys_find_returning(keys=keys, origin="desk")
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
                "arrival_note": self.arrival_note,
                **self._get_referral_source_values(),
            }
        )

    def action_register(self):
        """Put the person in the queue; a new person's code is then shown
        to hand over (and to print on a card)."""
        self.ensure_one()
        self._psys_check_action("write", RECEPTION)
        self.session_id._psys_check_action("read")
        visit = self._register_visit()
        if self.mode != "new":
            return self._psys_back_to_desk()
        self.write({"state": "done", "visit_id": visit.id})
        return {
            "type": "ir.actions.act_window",
            "name": _("Their code"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            # Where the form was opened from, for « Back to the desk ».
            "context": {"active_model": self.env.context.get("active_model")},
        }

    def action_print_card(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        return self.env.ref("psys_base.action_report_psys_beneficiary_card").report_action(self.visit_id.beneficiary_id)

    def action_back_to_desk(self):
        self.ensure_one()
        self._psys_check_action("read", RECEPTION)
        return self._psys_back_to_desk()

    def _psys_back_to_desk(self):
        """Back onto the desk the form was opened over: it closes, and the
        desk reloads with its filters and breadcrumbs. Opened from the menu
        (over any screen): the desk of today, with its default filters, as
        the first breadcrumb, or the session's own desk for an earlier day."""
        self.ensure_one()
        if self.env.context.get("active_model") == "psys.desk.visit":
            return {"type": "ir.actions.act_window_close"}
        today = fields.Date.context_today(self.with_context(tz=self.session_id.permanence_id.tz or "Europe/Paris"))
        if self.session_id.date == today:
            action = self.env["ir.actions.act_window"]._for_xml_id("psys_permanence.psys_desk_visit_action")
        else:
            action = self.session_id.action_open_desk()
        action["target"] = "main"
        return action
