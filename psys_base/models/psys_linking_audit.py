from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.policy import Policy

DEFAULT_LOOKUPS_PER_MINUTE = 10


class PsysLinkingAudit(models.Model):
    """One comparison of a linking key: who, when, found or not.

    The rate limit counts in the kernel's atomic counters
    (``psys.rate.limit``): lookups sent at once get at most the limit. The
    rows are written in a transaction of their own, so a lookup whose request
    fails afterwards (nobody found, an error) is still audited and counted.
    A refused lookup writes no row, but the first of its minute: the
    coordinator sees that the limit was reached, and nobody fills the table.
    """

    _name = "psys.linking.audit"
    _inherit = ["psys.secured"]
    _description = "Linking key lookup"
    _psys_policy = Policy(ownership=("user_id",))
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True, ondelete="cascade")
    origin = fields.Selection(
        [
            ("lookup", "Find a returning person"),
            ("desk", "Reception desk"),
            ("record", "Beneficiary record"),
        ],
        required=True,
        readonly=True,
    )
    found = fields.Boolean(readonly=True)
    refused = fields.Boolean(readonly=True, help="Refused: too many lookups in the last minute.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)

    @api.model
    def _psys_lookups_per_minute(self):
        # sudo: a technical setting read by the server only
        value = self.env["ir.config_parameter"].sudo().get_param("psys_base.linking_lookups_per_minute")
        return int(value) if value and str(value).isdigit() else DEFAULT_LOOKUPS_PER_MINUTE

    @api.model
    def _psys_audited(self, origin, compare):
        """Run ``compare()`` (which returns the records found) as one audited,
        rate-limited lookup of the current user."""
        limit = self._psys_lookups_per_minute()
        values = {"user_id": self.env.uid, "origin": origin, "company_id": self.env.company.id}
        if not self.env.su:
            Limit = self.env["psys.rate.limit"]
            allowed, hits = Limit._psys_take([(Limit._psys_key("lookup", self.env.uid), limit, 60)])
            if not allowed:
                if hits == limit + 1:
                    self._psys_write_row(dict(values, refused=True))
                raise UserError(
                    _(
                        "Too many searches by initials, birth year and sex: at most %(limit)s a minute. "
                        "Wait a minute, or use the person's code.",
                        limit=limit,
                    )
                )
        found = compare()
        self._psys_write_row(dict(values, found=bool(found)))
        return found

    @api.model
    def _psys_write_row(self, values):
        """Write one audit row in a transaction of its own (committed at once)."""
        with self.env["psys.rate.limit"]._psys_own_cursor() as audit_cr:
            # su: the row is the kernel's own trace of the current user's
            # lookup; no user writes audit rows.
            self.env(cr=audit_cr, su=True)[self._name].create(values)
            audit_cr.flush()
