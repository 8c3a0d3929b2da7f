"""The restore drill (stage "restore drill" of `setup/psys test`).

    restore_drill.py --psys setup/psys --config CONF --db DB --work DIR --odoo-bin ODOO_BIN

Backs up DB (with `setup/psys backup`, after typing three returning people
and publishing a bilan), restores the set with its linking-key secret into a
new database and data directory (`setup/psys restore`), and proves that
nothing was lost: every count of setup/upgrade_check.py, every attachment row
and its file (same SHA-256), the published bilans' PDF and XLSX byte for byte,
the returning people recognised from their inputs, the therapist reading the
same notes. Then restores the set WITHOUT the secret and proves that nobody is
recognised. Exits non-zero on the first broken promise; drops what it made.
"""

import argparse
import configparser
import hashlib
import json
import os
import pathlib
import secrets
import shutil
import subprocess
import sys
import time

import psycopg2
from upgrade_check import snapshot

HERE = pathlib.Path(__file__).resolve().parent
SEEDED = [("UA", "1961", "f"), ("UB", "1972", "m"), ("UC", "1983", "f")]


def say(message):
    sys.stdout.write(f"[drill] {message}\n")
    sys.stdout.flush()


def fail(message):
    sys.stdout.write(f"[drill] FAILED: {message}\n")
    sys.exit(1)


def run(command, **kwargs):
    result = subprocess.run(command, check=False, **kwargs)
    if result.returncode:
        fail(f"{' '.join(map(str, command[:3]))}… exited with {result.returncode}")
    return result


def odoo_shell(args, conf, dbname, script, env=None):
    with open(HERE / script, encoding="utf-8") as stdin:
        return run(
            [sys.executable, args.odoo_bin, "shell", "-c", conf, "-d", dbname, "--no-http", "--log-level=error"],
            stdin=stdin,
            capture_output=True,
            text=True,
            env=env,
        ).stdout


def abilities(args, conf, dbname):
    env = dict(os.environ, PSYS_DRILL_SEEDED=json.dumps(SEEDED))
    for line in odoo_shell(args, conf, dbname, "drill_check.py", env=env).splitlines():
        if line.startswith("PSYS_DRILL "):
            return json.loads(line[len("PSYS_DRILL ") :])
    fail(f"no answer from the checks on {dbname}")
    return None


def digest(path):
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(dbname, data_dir):
    """Every attachment row and the SHA-256 of its file on disk (None: no file),
    and the published bilans with their frozen documents' digests."""
    store = pathlib.Path(data_dir) / "filestore" / dbname
    with psycopg2.connect(dbname=dbname) as connection, connection.cursor() as cr:
        cr.execute("SELECT id, store_fname FROM ir_attachment ORDER BY id")
        attachments = {
            str(attachment_id): digest(store / fname) if fname else None for attachment_id, fname in cr.fetchall()
        }
        cr.execute(
            """SELECT bilan.id, pdf.store_fname, xlsx.store_fname FROM psys_bilan bilan
                 LEFT JOIN ir_attachment pdf ON pdf.id = bilan.pdf_attachment_id
                 LEFT JOIN ir_attachment xlsx ON xlsx.id = bilan.xlsx_attachment_id
                WHERE bilan.state = 'published' ORDER BY bilan.id"""
        )
        bilans = {
            str(bilan_id): [digest(store / pdf) if pdf else None, digest(store / xlsx) if xlsx else None]
            for bilan_id, pdf, xlsx in cr.fetchall()
        }
    return attachments, bilans


def conf_with_data_dir(source, target, data_dir):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(source)
    parser["options"]["data_dir"] = str(data_dir)
    with open(target, "w", encoding="utf-8") as handle:
        parser.write(handle)


def data_dir_of(conf):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    return parser["options"]["data_dir"]


def drop(dbname):
    subprocess.run(["dropdb", "--if-exists", dbname], check=False, capture_output=True)


def compare(label, before, after):
    if before != after:
        changed = sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
        fail(f"{label} differ after the restore: {', '.join(changed[:10])}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--psys", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--odoo-bin", required=True)
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    restored, stranger = f"{args.db}_restored", f"{args.db}_nosecret"
    for name in (restored, stranger):
        drop(name)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.monotonic()

    say(f"typing three returning people and publishing a bilan in {args.db}")
    odoo_shell(args, args.config, args.db, "upgrade_seed.py")
    odoo_shell(args, args.config, args.db, "drill_seed.py")
    counts = snapshot(args.db)
    attachments, bilans = files(args.db, data_dir_of(args.config))
    expected = abilities(args, args.config, args.db)
    if len(expected["recognised"]) != len(SEEDED) or not expected["notes read by the therapist"]:
        fail(f"the original database itself does not pass the checks: {expected}")
    if not bilans or not all(all(pair) for pair in bilans.values()):
        fail("no published bilan with both documents on disk in the original database")

    say("backing up")
    env = dict(os.environ, PSYS_BACKUP_PASSPHRASE=secrets.token_urlsafe(24))
    sets, kept_apart = work / "sets", work / "secrets"
    run([args.psys, "backup", "--db", args.db, "--to", sets, "--secret-to", kept_apart], env=env)
    (backup_set,) = sets.iterdir()
    (secret,) = kept_apart.glob("*.enc")
    inside = sorted(path.name for path in backup_set.iterdir())
    if any("linking" in name for name in inside):
        fail(f"the secret is inside the backup set: {inside}")

    say(f"restoring with the secret into {restored}")
    data_with = work / "data-restored"
    run([args.psys, "restore", backup_set, "--db", restored, "--data-dir", data_with, "--secret", secret], env=env)
    if (data_with / "psys_linking.key").stat().st_mode & 0o077:
        fail("the restored secret is readable by others than its owner")
    conf_with = work / "restored.conf"
    conf_with_data_dir(args.config, conf_with, data_with)
    after = snapshot(restored)
    compare("counts", counts, after)
    for label, count in counts.items():
        say(f"  {label:<24} {count:>6} = {after[label]}")
    restored_attachments, restored_bilans = files(restored, data_with)
    compare("attachments and their files", attachments, restored_attachments)
    compare("published bilans' documents", bilans, restored_bilans)
    on_disk = sum(1 for value in attachments.values() if value)
    say(f"  attachments {len(attachments)} ({on_disk} files, same SHA-256); published bilans {len(bilans)} (PDF, XLSX)")
    found = abilities(args, str(conf_with), restored)
    if found != expected:
        fail(f"after the restore: {found}, before: {expected}")
    say(f"  returning people recognised: {len(found['recognised'])}/{len(SEEDED)}")
    say(f"  notes read by the therapist: {found['notes read by the therapist']}")

    say(f"restoring WITHOUT the secret into {stranger}")
    data_without = work / "data-nosecret"
    run([args.psys, "restore", backup_set, "--db", stranger, "--data-dir", data_without], env=env)
    conf_without = work / "nosecret.conf"
    conf_with_data_dir(args.config, conf_without, data_without)
    compare("counts (without the secret)", counts, snapshot(stranger))
    blind = abilities(args, str(conf_without), stranger)
    if blind["recognised"]:
        fail(f"the dump set without the secret recognised {blind['recognised']}")
    say(f"  returning people recognised without the secret: 0/{len(SEEDED)}")

    for name in (restored, stranger):
        drop(name)
    shutil.rmtree(work, ignore_errors=True)
    say(f"restore drill passed in {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
