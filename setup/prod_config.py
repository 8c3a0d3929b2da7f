"""The production profile of `setup/psys serve`: writes, in one directory,

- ``odoo.conf``: prefork workers sized from the cores and the memory, memory
  and time limits, one cron thread (none with --no-cron: the other nodes),
  proxy_mode, list_db off, a dbfilter and db_name of the one database, no demo
  data, the master password as a hash, a log file;
- ``admin_passwd`` (mode 0600): the master password, generated once;
- ``logrotate.conf``: daily rotation of the log (Odoo reopens a moved file);
- ``nginx-psys.conf``: setup/nginx/psys.conf with its values filled in.

Run again, it keeps the password and rewrites the rest: idempotent.
"""

import argparse
import configparser
import os
import pathlib
import secrets
import sys

from passlib.context import CryptContext

HERE = pathlib.Path(__file__).resolve().parent
MIB = 1024 * 1024
# Odoo's deployment guide: 2 workers per core plus one; a worker's soft memory
# limit between these bounds (Odoo's default is 2048 MiB).
MIN_WORKER_MIB = 512
MAX_WORKER_MIB = 2048
LIMITS = {
    "limit_time_cpu": 600,
    "limit_time_real": 1200,
    # the daily purges and the bilans' secrecy audit run as cron jobs
    "limit_time_real_cron": 3600,
    "limit_request": 65536,
}
# Odoo's own hashing of the master password (odoo.tools.config).
CRYPT = CryptContext(schemes=["pbkdf2_sha512", "plaintext"], deprecated=["plaintext"], pbkdf2_sha512__rounds=600_000)


def memory_mib():
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return 4096


def sizing(cores, memory, workers=None):
    """(workers, soft limit, hard limit in bytes): 2 x cores + 1 workers, as
    many as 80 % of the memory holds at MIN_WORKER_MIB each (the cron thread
    counted as one more), each allowed its share up to MAX_WORKER_MIB."""
    budget = memory * 0.8
    if workers is None:
        workers = max(1, min(2 * cores + 1, int(budget // MIN_WORKER_MIB) - 1))
    soft = int(max(MIN_WORKER_MIB, min(MAX_WORKER_MIB, budget / (workers + 1))))
    return workers, soft * MIB, int(soft * 1.25) * MIB


def admin_password(directory):
    path = directory / "admin_passwd"
    if not path.is_file():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(24) + "\n")
    path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def previous_hash(conf, password):
    """The hash already written for this password (a new salt each run would
    make every run change the file)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    stored = parser.get("options", "admin_passwd", fallback="")
    if stored.startswith("$pbkdf2") and CRYPT.verify(password, stored):
        return stored
    return CRYPT.hash(password)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--db-user", required=True)
    parser.add_argument("--http-port", type=int, default=8069)
    parser.add_argument("--gevent-port", type=int, default=8072)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--no-cron", action="store_true", help="another node runs the cron jobs")
    parser.add_argument("--server-name", default="psys.example.org")
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--http-listen", default="80")
    parser.add_argument("--cert", default="/etc/ssl/certs/ssl-cert-snakeoil.pem")
    parser.add_argument("--key", default="/etc/ssl/private/ssl-cert-snakeoil.key")
    args = parser.parse_args()

    directory = pathlib.Path(args.dir).resolve()
    (directory / "log").mkdir(parents=True, exist_ok=True, mode=0o750)
    directory.chmod(0o750)
    conf = directory / "odoo.conf"
    workers, soft, hard = sizing(os.cpu_count() or 1, memory_mib(), args.workers)
    options = {
        "addons_path": args.addons_path,
        "data_dir": args.data_dir,
        "db_host": "False",
        "db_port": "False",
        "db_user": args.db_user,
        "db_password": "False",
        "db_name": args.db,
        "dbfilter": f"^{args.db}$",
        "list_db": "False",
        "proxy_mode": "True",
        "http_interface": "127.0.0.1",
        "http_port": args.http_port,
        "gevent_port": args.gevent_port,
        "workers": workers,
        "max_cron_threads": 0 if args.no_cron else 1,
        "limit_memory_soft": soft,
        "limit_memory_hard": hard,
        **LIMITS,
        "without_demo": "all",
        "admin_passwd": previous_hash(conf, admin_password(directory)),
        "logfile": directory / "log" / "odoo.log",
        "log_level": "info",
    }
    lines = [
        "; Generated by setup/psys serve (setup/prod_config.py): run it again rather than editing.",
        f"; {os.cpu_count()} cores, {memory_mib()} MiB: {workers} workers of {soft // MIB}-{hard // MIB} MiB.",
        "[options]",
        *(f"{key} = {value}" for key, value in options.items()),
    ]
    descriptor = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("\n".join(lines) + "\n")

    (directory / "logrotate.conf").write_text(
        f"{directory / 'log' / 'odoo.log'} {{\n"
        "    daily\n    rotate 30\n    compress\n    delaycompress\n    missingok\n    notifempty\n}\n",
        encoding="utf-8",
    )
    nginx = (HERE / "nginx" / "psys.conf").read_text(encoding="utf-8")
    for placeholder, value in {
        "@ODOO@": f"127.0.0.1:{args.http_port}",
        "@WEBSOCKET@": f"127.0.0.1:{args.gevent_port}",
        "@SERVER_NAME@": args.server_name,
        "@HTTPS_LISTEN@": args.https_listen,
        "@HTTP_LISTEN@": args.http_listen,
        "@CERT@": args.cert,
        "@KEY@": args.key,
    }.items():
        nginx = nginx.replace(placeholder, value)
    (directory / "nginx-psys.conf").write_text(nginx, encoding="utf-8")
    sys.stdout.write(
        f"production configuration {conf}: {workers} workers, memory {soft // MIB}/{hard // MIB} MiB, "
        f"{options['max_cron_threads']} cron thread, proxy_mode, dbfilter ^{args.db}$\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
