from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.modules import module as odoo_module
from odoo.tools import SQL, config

from ..tools.policy import Policy

DEFAULT_LOOKUPS_PER_MINUTE = 10


class PsysLinkingAudit(models.Model):
    """One comparison of a linking key: who, when, found or not.

    Counting a user's rows of the last minute is also the rate limit. The rows
    are written in their own transaction, so a lookup whose request fails
    afterwards (nobody found, an error) is still audited and still counted.
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
        if odoo_module.current_test or config["test_enable"]:
            # Tests run in one transaction that is never committed: a second
            # cursor would not see their users. Same transaction there.
            refused, found = self._psys_audited_in(self.env.cr, values, limit, compare)
        else:
            # Committed when the block ends, whatever happens to the request.
            with self.env.registry.cursor() as audit_cr:
                refused, found = self._psys_audited_in(audit_cr, values, limit, compare)
        if refused:
            raise UserError(
                _(
                    "Too many searches by initials, birth year and sex: at most %(limit)s a minute. "
                    "Wait a minute, or use the person's code.",
                    limit=limit,
                )
            )
        return found

    @api.model
    def _psys_audited_in(self, audit_cr, values, limit, compare):
        """(refused, found): the lookup, counted and written with ``audit_cr``."""
        audit = self.env(cr=audit_cr, su=True)[self._name]
        # One lookup of a user at a time: concurrent requests queue here.
        audit_cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", 27031, values["user_id"]))
        since = fields.Datetime.now() - timedelta(minutes=1)
        recent = audit.search_count(
            [("user_id", "=", values["user_id"]), ("date", ">", since), ("refused", "=", False)]
        )
        if not self.env.su and recent >= limit:
            audit.create(dict(values, refused=True))
            audit.env.flush_all()
            return True, None
        found = compare()
        audit.create(dict(values, found=bool(found)))
        audit.env.flush_all()
        return False, found
