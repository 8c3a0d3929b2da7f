"""Atomic rate limits: one counter per key, counted in a transaction of its own.

Odoo's cursors are REPEATABLE READ: a request counting rows (its audit lines,
say) sees the database as it was at its first statement, so N requests sent
at once all count the same rows and all pass. Here a hit is counted by one
``INSERT … ON CONFLICT DO UPDATE`` in a short READ COMMITTED transaction of
its own, committed at once: the row lock orders concurrent hits of one key,
and each sees the count the previous one committed. N parallel requests get
at most the limit, whatever their own transactions do afterwards.

A counter is one row per key (a digest: no address or user in clear), so
refused requests write no row; rows whose window is over are deleted by the
daily autovacuum. Every limit of the psys addons counts here.
"""

import hashlib
import threading
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.sql_db import Cursor
from odoo.tools import SQL

from ..tools.policy import Policy


class PsysRateLimit(models.Model):
    _name = "psys.rate.limit"
    _inherit = ["psys.secured"]
    _description = "Rate limit counter"
    _psys_policy = Policy(company=None, shared="a counter of the server: its limits count in it, no user reads it")
    _log_access = False

    key = fields.Char(required=True, readonly=True, help="Digest of what is limited (a user, an address and a link…).")
    window_end = fields.Datetime(required=True, readonly=True, index=True)
    hits = fields.Integer(required=True, readonly=True, help="Requests counted in the window, refused ones included.")

    _sql_constraints = [("key_uniq", "UNIQUE(key)", "One counter per key.")]

    @api.model
    def _psys_key(self, *parts):
        """The key of a counter: a digest of what it limits."""
        return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()

    @api.model
    @contextmanager
    def _psys_own_cursor(self):
        """A cursor on a transaction of its own, committed when the block
        ends: READ COMMITTED, so that each statement sees what the others
        committed before it. In a test's transaction that is never committed
        (``TransactionCase``, where the rows the test made exist nowhere
        else), a savepoint of that transaction instead."""
        # Odoo's own mark of a test thread (as for its auto-commits); the test
        # server's requests use its shared test cursor below, and threads a
        # test starts on committed data (races) get real transactions.
        if getattr(threading.current_thread(), "testing", False) and not self.env.registry.in_test_mode():
            with self.env.cr.savepoint():
                yield self.env.cr
            return
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):  # not the test server's shared cursor
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            yield cr

    @api.model
    def _psys_take(self, limits):
        """Count one hit on each ``(key, limit, seconds)`` of ``limits``, in
        order, until one is over its limit: ``(allowed, hits)``, ``hits``
        being the count of the last key counted (``limit + 1`` on the first
        refusal of a window). A refused hit does not count on the keys after
        the refusing one: one address cannot use up a link for the others."""
        now = fields.Datetime.now()
        hits = 0
        with self._psys_own_cursor() as cr:
            for key, limit, seconds in limits:
                cr.execute(
                    SQL(
                        """INSERT INTO psys_rate_limit (key, window_end, hits) VALUES (%(key)s, %(end)s, 1)
                           ON CONFLICT (key) DO UPDATE SET
                               hits = CASE WHEN psys_rate_limit.window_end <= %(now)s THEN 1
                                           ELSE psys_rate_limit.hits + 1 END,
                               window_end = CASE WHEN psys_rate_limit.window_end <= %(now)s THEN %(end)s
                                                 ELSE psys_rate_limit.window_end END
                           RETURNING hits""",
                        key=key,
                        now=now,
                        end=now + timedelta(seconds=seconds),
                    )
                )
                hits = cr.fetchone()[0]
                if hits > limit:
                    return False, hits
        return True, hits

    @api.autovacuum
    def _gc_over(self):
        """Counters whose window is over count nothing any more."""
        self.env.cr.execute(
            SQL("DELETE FROM psys_rate_limit WHERE window_end < %s", fields.Datetime.now() - timedelta(hours=1))
        )
