from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.psys_base.models.psys_beneficiary import AGE_BRACKETS, GENDERS
from odoo.addons.psys_base.tools.policy import Policy


class PsysEncounterThemeReport(models.Model):
    """One row per theme raised in an encounter."""

    _name = "psys.encounter.theme.report"
    _inherit = ["psys.secured", "psys.report.date.mixin"]
    _description = "Themes analysis"
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
            "territory_id",
            "theme_ids",
        ],
        "psys.beneficiary": ["age_bracket", "gender"],
        "psys.territory": ["is_qpv"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    location_id = fields.Many2one("psys.location", string="Place", readonly=True)
    kind = fields.Selection(selection="_selection_kind", readonly=True)
    theme_id = fields.Many2one("psys.theme", readonly=True)
    age_bracket = fields.Selection(AGE_BRACKETS, readonly=True)
    gender = fields.Selection(GENDERS, readonly=True)
    territory_id = fields.Many2one("psys.territory", readonly=True)
    is_qpv = fields.Boolean(string="Priority neighbourhood (QPV)", readonly=True)
    people = fields.Integer(string="People reached", aggregator="count_distinct", readonly=True)

    @api.model
    def _selection_kind(self):
        return self.env["psys.encounter"]._fields["kind"]._description_selection(self.env)

    @api.private
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT rel.psys_encounter_id::bigint * 100000 + rel.psys_theme_id AS id,
                           ((e.date_start AT TIME ZONE 'UTC')
                             AT TIME ZONE COALESCE(cp.tz, 'Europe/Paris'))::date AS date,
                           e.company_id AS company_id,
                           e.location_id AS location_id,
                           e.kind AS kind,
                           rel.psys_theme_id AS theme_id,
                           b.age_bracket AS age_bracket,
                           b.gender AS gender,
                           e.territory_id AS territory_id,
                           COALESCE(t.is_qpv, FALSE) AS is_qpv,
                           e.beneficiary_id AS people,
                           e.date_start AS date_start
                      FROM psys_encounter_psys_theme_rel rel
                      JOIN psys_encounter e ON e.id = rel.psys_encounter_id
                      JOIN res_company c ON c.id = e.company_id
                      JOIN res_partner cp ON cp.id = c.partner_id
                      LEFT JOIN psys_beneficiary b ON b.id = e.beneficiary_id
                      LEFT JOIN psys_territory t ON t.id = e.territory_id
                )
                """,
                SQL.identifier(self._table),
            )
        )
