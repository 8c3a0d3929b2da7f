from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.psys_base.models.psys_beneficiary import AGE_BRACKETS, GENDERS
from odoo.addons.psys_base.models.res_partner import STRUCTURE_TYPES
from odoo.addons.psys_base.tools.policy import Policy


class PsysEncounterReport(models.Model):
    """One row per encounter, flattened for pivot and graph views.

    ``people`` holds the beneficiary's database id only so that the pivot can
    count distinct people (``count_distinct``); it is never shown as a column
    and carries no code, name or date of birth.
    """

    _name = "psys.encounter.report"
    _inherit = ["psys.secured", "psys.report.date.mixin"]
    _description = "Encounter analysis"
    _psys_policy = Policy()
    _auto = False
    _order = "date desc"
    _depends = {
        "psys.encounter": [
            "beneficiary_id",
            "date_start",
            "company_id",
            "location_id",
            "kind",
            "visit_type",
            "territory_id",
            "referral_source",
            "referral_partner_id",
            "participant_count",
            "duration",
            "contribution_amount",
        ],
        "psys.beneficiary": ["age_bracket", "gender"],
        "psys.territory": ["is_qpv", "is_rural"],
        "res.partner": ["psys_structure_type"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    location_id = fields.Many2one("psys.location", string="Place", readonly=True)
    kind = fields.Selection(selection="_selection_kind", readonly=True)
    visit_type = fields.Selection(
        [("first", "First visit"), ("repeat", "Repeat visit"), ("unknown", "Anonymous")],
        readonly=True,
    )
    age_bracket = fields.Selection(AGE_BRACKETS, readonly=True)
    gender = fields.Selection(GENDERS, readonly=True)
    territory_id = fields.Many2one("psys.territory", readonly=True)
    is_qpv = fields.Boolean(string="Priority neighbourhood (QPV)", readonly=True)
    is_rural = fields.Boolean(string="Rural area", readonly=True)
    referral_source = fields.Selection(selection="_selection_referral_source", string="How they came", readonly=True)
    referral_partner_id = fields.Many2one("res.partner", string="Referring structure", readonly=True)
    referral_structure_type = fields.Selection(STRUCTURE_TYPES, string="Referring structure type", readonly=True)
    participant_count = fields.Integer(string="Participants", readonly=True)
    duration = fields.Float(string="Duration (hours)", readonly=True)
    contribution = fields.Float(string="Free contribution", readonly=True)
    people = fields.Integer(string="People reached", aggregator="count_distinct", readonly=True)

    @api.model
    def _selection_kind(self):
        return self.env["psys.encounter"]._fields["kind"]._description_selection(self.env)

    @api.model
    def _selection_referral_source(self):
        return self.env["psys.encounter"]._fields["referral_source"]._description_selection(self.env)

    def _query(self):
        return SQL(
            """
            SELECT e.id AS id,
                   ((e.date_start AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(cp.tz, 'Europe/Paris'))::date AS date,
                   e.company_id AS company_id,
                   e.location_id AS location_id,
                   e.kind AS kind,
                   e.visit_type AS visit_type,
                   b.age_bracket AS age_bracket,
                   b.gender AS gender,
                   e.territory_id AS territory_id,
                   COALESCE(t.is_qpv, FALSE) AS is_qpv,
                   COALESCE(t.is_rural, FALSE) AS is_rural,
                   e.referral_source AS referral_source,
                   e.referral_partner_id AS referral_partner_id,
                   rp.psys_structure_type AS referral_structure_type,
                   e.participant_count AS participant_count,
                   e.duration AS duration,
                   COALESCE(e.contribution_amount, 0.0) AS contribution,
                   e.beneficiary_id AS people,
                   e.date_start AS date_start
              FROM psys_encounter e
              JOIN res_company c ON c.id = e.company_id
              JOIN res_partner cp ON cp.id = c.partner_id
              LEFT JOIN psys_beneficiary b ON b.id = e.beneficiary_id
              LEFT JOIN psys_territory t ON t.id = e.territory_id
              LEFT JOIN res_partner rp ON rp.id = e.referral_partner_id
            """
        )

    @api.private
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
