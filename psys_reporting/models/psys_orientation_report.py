from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.psys_base.tools.policy import Policy


class PsysOrientationReport(models.Model):
    """Orientations by target, target kind, territory and month."""

    _name = "psys.orientation.report"
    _inherit = ["psys.secured"]
    _description = "Orientations analysis"
    _psys_policy = Policy()
    _auto = False
    _order = "date desc"
    _depends = {
        "psys.orientation": ["date", "company_id", "target_id", "encounter_id", "beneficiary_id"],
        "psys.orientation.target": ["kind"],
        "psys.encounter": ["territory_id", "location_id"],
        "psys.beneficiary": ["territory_id"],
        "psys.territory": ["is_qpv"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    target_id = fields.Many2one("psys.orientation.target", string="Oriented to", readonly=True)
    target_kind = fields.Selection(selection="_selection_target_kind", readonly=True)
    territory_id = fields.Many2one("psys.territory", readonly=True)
    location_id = fields.Many2one("psys.location", string="Place", readonly=True)
    is_qpv = fields.Boolean(string="Priority neighbourhood (QPV)", readonly=True)
    people = fields.Integer(string="People oriented", aggregator="count_distinct", readonly=True)

    @api.model
    def _selection_target_kind(self):
        return self.env["psys.orientation.target"]._fields["kind"]._description_selection(self.env)

    @api.private
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT o.id AS id,
                           o.date AS date,
                           o.company_id AS company_id,
                           o.target_id AS target_id,
                           ot.kind AS target_kind,
                           COALESCE(e.territory_id, b.territory_id) AS territory_id,
                           e.location_id AS location_id,
                           COALESCE(t.is_qpv, FALSE) AS is_qpv,
                           o.beneficiary_id AS people
                      FROM psys_orientation o
                      JOIN psys_orientation_target ot ON ot.id = o.target_id
                      LEFT JOIN psys_encounter e ON e.id = o.encounter_id
                      LEFT JOIN psys_beneficiary b ON b.id = o.beneficiary_id
                      LEFT JOIN psys_territory t ON t.id = COALESCE(e.territory_id, b.territory_id)
                )
                """,
                SQL.identifier(self._table),
            )
        )
