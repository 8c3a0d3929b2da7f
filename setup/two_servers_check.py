"""The "two servers" stage of `setup/psys test`: two prefork Odoo servers on
one database and one data directory, portal clients booking on both.

    two_servers_check.py --config CONF --db DB [--clients 6] [--rounds 3] [--port 8300]

Runs part (b) of tests/bench_referral.py (its code, not a copy) with two
servers (``--workers=2`` each, cron on the first only, the second
``--max-cron-threads=0``), the clients alternating between them, every third
client racing its neighbour (who is on the other server) for the same slot,
and one psys job (the invitation log purge) made due once when the run
starts. Exits non-zero on a double booking, a confirmation missing or sent
twice, the due job run other than once, two runs of one job at the same time
or any run on the server without cron, a session of one server refused by
the other, or a server error. The data it books stays in DB.
"""

import argparse
import os
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

import bench_referral  # tests/ is on the path (above)
from benchlib import start_odoo


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file (its data directory is shared)")
    parser.add_argument("--db", required=True, help="a database with psys_referral installed")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8300, help="HTTP port of the first server (or the next free one)")
    options = parser.parse_args()
    args = argparse.Namespace(
        config=options.config,
        database=options.db,
        clients=options.clients,
        rounds=options.rounds,
        workers=2,
        think=0.0,
        port=options.port,
        race=True,
        race_every=3,
        servers=2,
        due_cron=bench_referral.DUE_CRON,
    )
    started = time.monotonic()
    odoo = start_odoo(args.config)
    registry = odoo.modules.registry.Registry(args.database)
    tag = "two" + datetime.now().strftime("%Y%m%d%H%M%S")
    result = bench_referral.bench_booking(odoo, args, registry, tag)
    sys.stdout.write("\n".join(f"[two servers] {line}" for line in bench_referral.report_booking(args, result)) + "\n")
    broken = bench_referral.problems(result)
    sys.stdout.write(f"[two servers] {time.monotonic() - started:.0f} s\n")
    if broken:
        sys.exit("[two servers] FAILED: " + "; ".join(broken))


if __name__ == "__main__":
    main()
