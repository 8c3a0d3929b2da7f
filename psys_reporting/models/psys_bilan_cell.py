from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psys_base.tools.policy import Policy

AUDIT_FIELDS = {"audit_low", "audit_high", "audit_unbounded", "audit_protected"}


class PsysBilanCell(models.Model):
    """One figure of a published bilan, frozen: where it is printed, what it
    counts (its fact, shared by every edition that shows the same figure),
    its value, whether it is masked and, if so, what the audit found."""

    _name = "psys.bilan.cell"
    _inherit = ["psys.secured"]
    _description = "Bilan cell"
    _psys_policy = Policy(ownership=("bilan_id",))
    _order = "bilan_id, id"

    bilan_id = fields.Many2one("psys.bilan", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="bilan_id.company_id", store=True, index=True)
    key = fields.Char(required=True, readonly=True)
    fact = fields.Char(readonly=True, help="What the cell counts, comparable across editions.")
    table = fields.Char(readonly=True)
    row = fields.Char(readonly=True)
    column = fields.Char(readonly=True)
    unit = fields.Selection(
        [
            ("people", "People"),
            ("visits", "Encounters"),
            ("orientations", "Orientations"),
            ("participations", "Participants counted by head count"),
            ("other", "Other"),
        ],
        readonly=True,
    )
    value = fields.Float(readonly=True)
    people = fields.Integer(readonly=True)
    hidden = fields.Boolean(readonly=True, help="Never printed, but bound to printed figures by an equation.")
    masked = fields.Boolean(readonly=True)
    audit_low = fields.Float(string="Lowest consistent value", readonly=True)
    audit_high = fields.Float(string="Highest consistent value", readonly=True)
    audit_unbounded = fields.Boolean(string="No upper bound", readonly=True)
    audit_protected = fields.Boolean(string="Protected", readonly=True)

    _sql_constraints = [("key_uniq", "unique(bilan_id, key)", "A bilan has one cell per key.")]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(_("The cells of a bilan are recorded by publishing it."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su or set(vals) - AUDIT_FIELDS:
            raise UserError(_("The cells of a published bilan cannot change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # Never, whoever asks (uninstalling the addon skips this check).
        raise UserError(_("The cells of a published bilan cannot change."))
