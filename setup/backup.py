"""Back up a psys database and bring it back (setup/psys backup / restore).

    backup.py backup  --config CONF --db DB --to DIR [--secret-to DIR]
    backup.py restore SET --config CONF --db NEWDB --data-dir DIR [--secret FILE]

A backup is a dated, checksummed set, the directory ``DIR/<db>-<UTC stamp>``:
``db.dump.enc`` (``pg_dump -Fc``), ``filestore.tar.gz.enc`` (the database's
filestore) and ``SHA256SUMS``. The linking keys' secret is written apart, to
``--secret-to`` (``<db>-<stamp>.psys_linking.key.enc``): never inside the set,
so that the dumps alone re-identify nobody. Everything is encrypted with
``openssl enc -aes-256-cbc -pbkdf2`` and the passphrase the administrator gives
in ``PSYS_BACKUP_PASSPHRASE``, or in the file named by
``PSYS_BACKUP_PASSPHRASE_FILE``.

A restore checks the sums, creates the new database (it never overwrites one),
unpacks the filestore under the new data directory and, when given the secret,
writes it there as ``psys_linking.key`` (mode 0600). Without the secret the
people are restored but no returning person is recognised again.
"""

import argparse
import configparser
import datetime
import hashlib
import json
import os
import pathlib
import subprocess
import sys

DUMP = "db.dump.enc"
FILESTORE = "filestore.tar.gz.enc"
SUMS = "SHA256SUMS"
MANIFEST = "backup.json"
SECRET_FILE = "psys_linking.key"
SECRET_OPTION = "psys_linking_pepper"
PBKDF2_ITERATIONS = "600000"


def fail(message):
    sys.stderr.write(f"[psys] error: {message}\n")
    sys.exit(1)


def read_config(path):
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(path):
        fail(f"cannot read the Odoo configuration {path}")
    options = dict(parser["options"]) if parser.has_section("options") else {}
    return {key: value for key, value in options.items() if value not in ("False", "None", "")}


def pg_env(options):
    """The environment of the PostgreSQL tools: the server of the configuration."""
    env = dict(os.environ)
    for option, variable in (
        ("db_host", "PGHOST"),
        ("db_port", "PGPORT"),
        ("db_user", "PGUSER"),
        ("db_password", "PGPASSWORD"),
    ):
        if option in options:
            env[variable] = options[option]
    return env


def data_dir(options):
    return pathlib.Path(options.get("data_dir") or pathlib.Path.home() / ".local/share/Odoo")


def passphrase_argument():
    """openssl's -pass argument: the passphrase never appears on a command line."""
    if os.environ.get("PSYS_BACKUP_PASSPHRASE"):
        return "env:PSYS_BACKUP_PASSPHRASE"
    path = os.environ.get("PSYS_BACKUP_PASSPHRASE_FILE")
    if path:
        if not os.path.isfile(path):
            fail(f"PSYS_BACKUP_PASSPHRASE_FILE names no file: {path}")
        return f"file:{path}"
    fail("no passphrase: set PSYS_BACKUP_PASSPHRASE, or PSYS_BACKUP_PASSPHRASE_FILE to a key file")
    return None


def openssl(decrypt=False):
    command = ["openssl", "enc", "-aes-256-cbc", "-pbkdf2", "-iter", PBKDF2_ITERATIONS, "-salt"]
    return [*command, "-d" if decrypt else "-e", "-pass", passphrase_argument()]


def pipe(producer, consumer, env=None, stdout=None, stdin=None):
    """producer | consumer; fails when either fails."""
    first = subprocess.Popen(producer, stdout=subprocess.PIPE, stdin=stdin, env=env)
    second = subprocess.Popen(consumer, stdin=first.stdout, stdout=stdout, env=env)
    first.stdout.close()
    second.wait()
    first.wait()
    if first.returncode or second.returncode:
        fail(f"{' '.join(producer[:2])} | {' '.join(consumer[:2])} failed ({first.returncode}, {second.returncode})")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def linking_secret(options):
    """The secret of the linking keys as psys_base reads it (the server option
    wins over the file beside the filestore), or None."""
    if options.get(SECRET_OPTION):
        return options[SECRET_OPTION].encode() + b"\n"
    path = data_dir(options) / SECRET_FILE
    return path.read_bytes() if path.is_file() else None


def backup(args):
    options = read_config(args.config)
    passphrase_argument()  # refuse early, before anything is written
    env = pg_env(options)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = pathlib.Path(args.to).resolve() / f"{args.db}-{stamp}"
    secrets_dir = pathlib.Path(args.secret_to).resolve()
    if secrets_dir == target.parent or target.parent in secrets_dir.parents:
        fail("--secret-to must not be inside the backup directory: the secret is kept apart from the dumps")
    target.mkdir(parents=True, mode=0o700)
    with open(target / DUMP, "wb") as out:
        pipe(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-d", args.db], openssl(), env=env, stdout=out)
    filestore = data_dir(options) / "filestore" / args.db
    with open(target / FILESTORE, "wb") as out:
        if filestore.is_dir():
            pipe(["tar", "-C", str(filestore), "-czf", "-", "."], openssl(), stdout=out)
        else:
            pipe(["tar", "-czf", "-", "-T", "/dev/null"], openssl(), stdout=out)
    manifest = {"database": args.db, "created": stamp, "files": [DUMP, FILESTORE], "secret": "kept apart"}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    sums = "".join(f"{sha256(target / name)}  {name}\n" for name in (DUMP, FILESTORE, MANIFEST))
    (target / SUMS).write_text(sums, encoding="utf-8")
    print(f"backup set: {target}")

    secret = linking_secret(options)
    if secret is None:
        print("warning: no linking-key secret found: no returning person can be recognised from this backup")
        return 0
    secrets_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
    secret_path = secrets_dir / f"{args.db}-{stamp}.{SECRET_FILE}.enc"
    with open(secret_path, "wb") as out:
        result = subprocess.run(openssl(), input=secret, stdout=out, check=False)
    if result.returncode:
        fail("encrypting the linking-key secret failed")
    secret_path.chmod(0o600)
    pathlib.Path(f"{secret_path}.sha256").write_text(f"{sha256(secret_path)}  {secret_path.name}\n", encoding="utf-8")
    print(f"linking-key secret (keep it apart from the backup sets): {secret_path}")
    return 0


def check_sums(directory):
    sums = directory / SUMS
    if not sums.is_file():
        fail(f"{directory} is not a backup set (no {SUMS})")
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(None, 1)
        path = directory / name.strip()
        if not path.is_file() or sha256(path) != digest:
            fail(f"{path} is missing or does not match its checksum: the set is damaged")


def restore(args):
    options = read_config(args.config)
    passphrase_argument()
    env = pg_env(options)
    source = pathlib.Path(args.set).resolve()
    check_sums(source)
    target_dir = pathlib.Path(args.data_dir).resolve()
    filestore = target_dir / "filestore" / args.db
    if filestore.exists():
        fail(f"{filestore} exists: restore into a new data directory or another database name")
    secret = None
    if args.secret:
        secret_path = pathlib.Path(args.secret)
        recorded = pathlib.Path(f"{secret_path}.sha256")
        if recorded.is_file() and recorded.read_text(encoding="utf-8").split()[0] != sha256(secret_path):
            fail(f"{secret_path} does not match its checksum")
        with open(secret_path, "rb") as handle:
            result = subprocess.run(openssl(decrypt=True), stdin=handle, capture_output=True, check=False)
        if result.returncode or not result.stdout.strip():
            fail(f"could not decrypt {secret_path} (wrong passphrase?)")
        secret = result.stdout
        existing = target_dir / SECRET_FILE
        if existing.is_file() and existing.read_bytes().strip() != secret.strip():
            fail(f"{existing} holds another secret: restore into a new data directory")
    if subprocess.run(["createdb", args.db], env=env, check=False).returncode:
        fail(f"could not create the database {args.db} (it must not exist)")
    with open(source / DUMP, "rb") as dump:
        pipe(openssl(decrypt=True), ["pg_restore", "--no-owner", "--no-privileges", "-d", args.db], env=env, stdin=dump)
    filestore.mkdir(parents=True, mode=0o700)
    with open(source / FILESTORE, "rb") as tarball:
        pipe(openssl(decrypt=True), ["tar", "-xzf", "-", "-C", str(filestore)], stdin=tarball)
    print(f"restored {source.name} into the database {args.db}, files in {filestore}")
    if secret is None:
        print(
            "warning: restored WITHOUT the linking-key secret: the people are there, but no returning "
            "person will be recognised (give --secret to bring it back)"
        )
        return 0
    key = target_dir / SECRET_FILE
    descriptor = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(secret)
    key.chmod(0o600)
    print(f"linking-key secret restored: {key} (mode 0600); serve with data_dir = {target_dir}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup")
    make.add_argument("--config", required=True)
    make.add_argument("--db", required=True)
    make.add_argument("--to", required=True)
    make.add_argument("--secret-to", required=True)
    back = commands.add_parser("restore")
    back.add_argument("set")
    back.add_argument("--config", required=True)
    back.add_argument("--db", required=True)
    back.add_argument("--data-dir", required=True)
    back.add_argument("--secret")
    args = parser.parse_args(argv)
    return backup(args) if args.command == "backup" else restore(args)


if __name__ == "__main__":
    sys.exit(main())
