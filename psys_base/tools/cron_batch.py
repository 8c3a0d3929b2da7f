"""Jobs in batches over a set that nothing marks as done (issue 24).

The retention purges find their next batch by themselves (what was purged
is gone). Jobs that bring records in line (slots, sessions) leave nothing
to tell the done from the others: they go through the records by id, the
last id of a run kept in a system parameter; the cron runner commits each
batch and calls again while some remain (``ir.cron._notify_progress``).
"""

import logging

_logger = logging.getLogger(__name__)


def next_batch(records, key, size, label):
    """The next ``size`` of ``records`` (any order) after the last id done
    under ``key``, and report the progress to the cron runner. A call that
    finds none after that id starts a new run from the first one. Returns
    the batch (a recordset, in id order)."""
    env = records.env
    params = env["ir.config_parameter"]
    try:
        last = int(params.get_param(key) or 0)
    except ValueError:
        last = 0
    ids = sorted(records.ids)
    after = [id_ for id_ in ids if id_ > last]
    if not after:
        after = ids  # a new run
    batch = after[:size]
    remaining = len(after) - len(batch)
    params.set_param(key, str(batch[-1]) if remaining else "0")
    _logger.info("%s: %s done in this batch, %s remaining", label, len(batch), remaining)
    env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
    return records.browse(batch)
