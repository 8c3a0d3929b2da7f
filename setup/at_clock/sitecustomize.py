"""`setup/psys test --at`: every Python process of the run (Odoo, pytest)
starts its clock at PSYS_AT_EPOCH and lets it run, as PostgreSQL's does under
libfaketime. freezegun rather than libfaketime here: under libfaketime,
Python's sleeps fail (EINVAL) or its timed waits last the whole offset."""

import os
from datetime import UTC

if os.environ.get("PSYS_AT_EPOCH"):
    from datetime import datetime

    import freezegun

    freezegun.freeze_time(
        datetime.fromtimestamp(int(os.environ["PSYS_AT_EPOCH"]), UTC).replace(tzinfo=None), tick=True
    ).start()
