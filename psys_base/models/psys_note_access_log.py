import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.policy import Policy

_logger = logging.getLogger(__name__)

# Entries deleted per transaction by the retention job.
LOG_PURGE_BATCH = 5000


class PsysNoteAccessLog(models.Model):
    """Append-only log of who read which confidential note."""

    _name = "psys.note.access.log"
    _inherit = ["psys.secured"]
    _description = "Confidential note access log"
    _psys_policy = Policy(ownership=("beneficiary_id", "user_id", "note_id"))
    _order = "id desc"

    note_id = fields.Many2one("psys.note", readonly=True, index=True, ondelete="set null")
    beneficiary_id = fields.Many2one("psys.beneficiary", readonly=True, index=True, ondelete="set null")
    user_id = fields.Many2one("res.users", readonly=True, required=True, index=True)
    access_type = fields.Selection([("read", "Read"), ("export", "Export")], readonly=True, required=True)
    date = fields.Datetime(readonly=True, required=True, default=fields.Datetime.now)
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    @api.model
    def _log(self, notes, access_type):
        # The reader may not write the log (nobody may): the log is written
        # by the system on the reader's behalf, with the reader's identity.
        self.sudo().create(
            [
                {
                    "note_id": note.id,
                    "beneficiary_id": note.sudo().beneficiary_id.id,
                    "user_id": self.env.uid,
                    "access_type": access_type,
                    "company_id": note.sudo().company_id.id,
                }
                for note in notes
            ]
        )

    def write(self, vals):  # pylint: disable=method-required-super
        # Append-only: no write ever reaches the database, whoever asks.
        raise UserError(_("The access log of confidential notes cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # Nobody deletes an entry through the ORM, superuser included: only
        # the retention purge forgets expired entries (_psys_forget), and no
        # context key opens this door.
        raise UserError(_("The access log of confidential notes cannot be deleted."))

    @api.model
    def _cron_purge_expired(self, batch_size=LOG_PURGE_BATCH):
        """Forget the entries older than each association's log retention,
        ``batch_size`` at a time (the cron runner commits each batch and
        calls again while some remain)."""
        now = fields.Datetime.now()
        per_company = [
            [
                ("company_id", "=", company.id),
                ("date", "<", now - relativedelta(months=company.psys_note_log_retention_months)),
            ]
            for company in self.env["res.company"].sudo().search([("psys_note_log_retention_months", ">", 0)])
        ]
        if not per_company:
            return
        domain = expression.OR(per_company)
        logs = self.sudo()
        expired = logs.search(domain, limit=batch_size, order="id")
        self._psys_forget(expired)
        remaining = logs.search_count(domain) if len(expired) == batch_size else 0
        _logger.info("Notes' read log retention: %s entries deleted, %s remaining", len(expired), remaining)
        self.env["ir.cron"]._notify_progress(done=len(expired), remaining=remaining)

    @api.model
    def _psys_forget(self, expired):
        """The retention purge's own deletion of ``expired`` entries, in SQL
        (the ORM's unlink of this model always refuses): a private step of the
        server's job, which no RPC call or context reaches."""
        if not expired:
            return
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM psys_note_access_log WHERE id IN %s", tuple(expired.ids)))
        self.env.invalidate_all()
