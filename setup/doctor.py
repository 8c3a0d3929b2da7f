"""What a production deployment of psys lacks (setup/psys doctor).

    doctor.py --config CONF --db DB [--backups DIR] [--json]

Reads the Odoo configuration and the database (read only) and says, in French
and in English, for each point whether it is in place: the patched
wkhtmltopdf, the linking-key secret (present, mode 0600), prefork workers,
proxy_mode, list_db off with a dbfilter, no demo data, the administrator's
passwords, an outgoing mail server, an SMS account, the psys cron jobs active
and running, a backup younger than a day, the retention settings. Exits 1 when
something is missing. `findings()` is what tests/test_doctor.py checks.
"""

import argparse
import configparser
import datetime
import json
import os
import pathlib
import subprocess
import sys

import psycopg2
from passlib.context import CryptContext

SECRET_FILE = "psys_linking.key"
CRYPT = CryptContext(schemes=["pbkdf2_sha512", "plaintext"], deprecated=["plaintext"])
OVERDUE = datetime.timedelta(hours=1)
BACKUP_AGE = datetime.timedelta(days=1)


def read_config(path):
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(path):
        raise SystemExit(f"cannot read the Odoo configuration {path}")
    return dict(parser["options"]) if parser.has_section("options") else {}


def truthy(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def connect(options, dbname):
    kwargs = {"dbname": dbname}
    for option, key in (("db_host", "host"), ("db_port", "port"), ("db_user", "user"), ("db_password", "password")):
        if options.get(option) not in (None, "", "False", "None"):
            kwargs[key] = options[option]
    return psycopg2.connect(**kwargs)


def finding(key, ok, fr, en):
    return {"check": key, "ok": bool(ok), "fr": fr, "en": en}


def check_wkhtmltopdf():
    try:
        version = subprocess.run(["wkhtmltopdf", "--version"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        version = ""
    patched = "patched qt" in version.lower()
    return finding(
        "wkhtmltopdf",
        patched,
        "wkhtmltopdf avec Qt patché" if patched else "wkhtmltopdf sans Qt patché : installer wkhtmltox 0.12.6.1",
        "wkhtmltopdf with patched Qt" if patched else "wkhtmltopdf without patched Qt: install wkhtmltox 0.12.6.1",
    )


def check_secret(options):
    if options.get("psys_linking_pepper") not in (None, "", "False"):
        return finding(
            "linking secret",
            True,
            "secret des clés de liaison dans la configuration (psys_linking_pepper)",
            "linking-key secret in the configuration (psys_linking_pepper)",
        )
    path = pathlib.Path(options.get("data_dir") or "~/.local/share/Odoo").expanduser() / SECRET_FILE
    if not path.is_file() or not path.read_bytes().strip():
        return finding(
            "linking secret",
            False,
            f"secret des clés de liaison absent ({path}) : le restaurer, sinon personne n'est reconnu",
            f"linking-key secret missing ({path}): restore it, or nobody is recognised",
        )
    mode = path.stat().st_mode & 0o777
    private = not mode & 0o077
    return finding(
        "linking secret",
        private,
        f"secret des clés de liaison {path}, mode {mode:o}" + ("" if private else " : le passer en 0600"),
        f"linking-key secret {path}, mode {mode:o}" + ("" if private else ": make it 0600"),
    )


def check_configuration(options):
    workers = int(options.get("workers") or 0)
    proxy = truthy(options.get("proxy_mode"))
    list_db = truthy(options.get("list_db", "True"))
    dbfilter = options.get("dbfilter") not in (None, "", "False")
    stored = options.get("admin_passwd") or "admin"
    default_master = CRYPT.verify("admin", stored) if stored.startswith("$") else stored == "admin"
    return [
        finding(
            "workers",
            workers > 0,
            f"{workers} workers (prefork)" if workers else "pas de workers : un seul processus (workers = 0)",
            f"{workers} workers (prefork)" if workers else "no workers: one process (workers = 0)",
        ),
        finding(
            "proxy_mode",
            proxy,
            "proxy_mode activé (adresse du client derrière nginx)"
            if proxy
            else "proxy_mode désactivé : derrière un proxy, tous les clients partagent une adresse",
            "proxy_mode on (the client's address behind nginx)"
            if proxy
            else "proxy_mode off: behind a proxy every client shares one address",
        ),
        finding(
            "database list",
            not list_db and dbfilter,
            "liste des bases fermée, dbfilter défini"
            if not list_db and dbfilter
            else "list_db = False et un dbfilter manquent",
            "database list closed, dbfilter set"
            if not list_db and dbfilter
            else "list_db = False and a dbfilter missing",
        ),
        finding(
            "master password",
            not default_master,
            "mot de passe maître personnalisé" if not default_master else "mot de passe maître par défaut (admin)",
            "master password set" if not default_master else "default master password (admin)",
        ),
    ]


def check_database(options, cr, now):
    result = []
    cr.execute("SELECT password FROM res_users WHERE login = 'admin' AND active")
    row = cr.fetchone()
    default_admin = bool(row and row[0] and CRYPT.verify("admin", row[0]))
    result.append(
        finding(
            "admin password",
            not default_admin,
            "l'utilisateur admin a un mot de passe propre"
            if not default_admin
            else "l'utilisateur admin a le mot de passe admin",
            "the admin user has a password of its own" if not default_admin else "the admin user's password is admin",
        )
    )
    cr.execute("SELECT count(*) FROM ir_module_module WHERE demo AND state = 'installed'")
    demo = cr.fetchone()[0]
    result.append(
        finding(
            "demo data",
            not demo,
            "pas de données de démonstration" if not demo else f"données de démonstration chargées ({demo} modules)",
            "no demo data" if not demo else f"demo data loaded ({demo} modules)",
        )
    )
    cr.execute("SELECT count(*) FROM ir_mail_server WHERE active")
    servers = cr.fetchone()[0]
    configured = options.get("smtp_server") not in (None, "", "False", "localhost")
    mail = servers or configured
    result.append(
        finding(
            "outgoing mail",
            mail,
            "serveur de courriel sortant configuré" if mail else "aucun serveur de courriel sortant (confirmations)",
            "outgoing mail server set" if mail else "no outgoing mail server (confirmations)",
        )
    )
    cr.execute(
        """SELECT count(*) FROM iap_account account JOIN iap_service service ON service.id = account.service_id
            WHERE service.technical_name = 'sms' AND account.account_token IS NOT NULL
              AND COALESCE(account.state, 'registered') = 'registered'"""
    )
    sms = cr.fetchone()[0]
    result.append(
        finding(
            "sms account",
            sms,
            "compte SMS (IAP) enregistré" if sms else "aucun compte SMS (IAP) enregistré : pas de rappels par SMS",
            "SMS (IAP) account registered" if sms else "no registered SMS (IAP) account: no SMS reminders",
        )
    )
    # A cron job due for more than an hour: no cron worker runs them.
    cr.execute(
        """SELECT data.name, cron.active, cron.nextcall < %s
             FROM ir_cron cron JOIN ir_model_data data ON data.model = 'ir.cron' AND data.res_id = cron.id
            WHERE data.module LIKE 'psys%%' ORDER BY 1""",
        [now - OVERDUE],
    )
    late = [name + ("" if active else " (inactive)") for name, active, due in cr.fetchall() if due or not active]
    threads = int(options.get("max_cron_threads", 2) or 0)
    result.append(
        finding(
            "cron jobs",
            not late,
            "tâches planifiées psys actives et exécutées à l'heure"
            if not late
            else f"tâches planifiées inactives ou en retard : {', '.join(late)}"
            + ("" if threads else " (ce serveur n'en exécute aucune : max_cron_threads = 0)"),
            "psys cron jobs active and on time"
            if not late
            else f"cron jobs inactive or late: {', '.join(late)}"
            + ("" if threads else " (this server runs none: max_cron_threads = 0)"),
        )
    )
    cr.execute("SELECT name, psys_retention_months, psys_note_log_retention_months FROM res_company ORDER BY id")
    companies = cr.fetchall()
    off = [str(name) for name, months, _log in companies if not months]
    summary = ", ".join(f"{name}: {months} / {log}" for name, months, log in companies)
    result.append(
        finding(
            "retention",
            not off,
            f"conservation (mois d'inactivité / journal des notes) : {summary}"
            + (f" ; purge désactivée pour {', '.join(off)}" if off else ""),
            f"retention (months of inactivity / note log): {summary}"
            + (f"; purge off for {', '.join(off)}" if off else ""),
        )
    )
    return result


def check_backups(backups, dbname, now):
    directory = pathlib.Path(backups)
    sets = [path for path in directory.glob(f"{dbname}-*") if (path / "SHA256SUMS").is_file()] if backups else []
    if not sets:
        return finding(
            "backup",
            False,
            f"aucune sauvegarde de {dbname} dans {backups} (setup/psys backup)",
            f"no backup of {dbname} in {backups} (setup/psys backup)",
        )
    newest = max(sets, key=lambda path: (path / "SHA256SUMS").stat().st_mtime)
    age = now - datetime.datetime.fromtimestamp((newest / "SHA256SUMS").stat().st_mtime, datetime.UTC).replace(
        tzinfo=None
    )
    hours = int(age.total_seconds() // 3600)
    recent = age <= BACKUP_AGE
    return finding(
        "backup",
        recent,
        f"dernière sauvegarde {newest.name}, il y a {hours} h" + ("" if recent else " : plus d'un jour"),
        f"last backup {newest.name}, {hours} h ago" + ("" if recent else ": older than a day"),
    )


def findings(config_path, dbname, backups=None, cr=None, now=None):
    """The findings as dicts (check, ok, fr, en); ``cr``: read through this
    cursor rather than a connection of its own (the tests' transaction)."""
    options = read_config(config_path)
    now = now or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    result = [check_wkhtmltopdf(), check_secret(options), *check_configuration(options)]
    if cr is not None:
        result += check_database(options, cr, now)
    else:
        with connect(options, dbname) as connection, connection.cursor() as own:
            own.execute("SET TRANSACTION READ ONLY")
            result += check_database(options, own, now)
    result.append(check_backups(backups, dbname, now))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--backups", default=os.environ.get("PSYS_BACKUPS"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = findings(args.config, args.db, args.backups)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"psys doctor: {args.db} ({args.config})\n")
        for item in result:
            mark = "ok " if item["ok"] else "!! "
            sys.stdout.write(f"  {mark} {item['fr']}\n      {item['en']}\n")
        missing = sum(not item["ok"] for item in result)
        sys.stdout.write(
            f"{missing} point(s) à reprendre / to fix\n" if missing else "rien ne manque / nothing is missing\n"
        )
    return 1 if any(not item["ok"] for item in result) else 0


if __name__ == "__main__":
    sys.exit(main())
