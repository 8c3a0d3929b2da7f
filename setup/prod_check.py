"""The production stage of `setup/psys test`: the production profile, served
for real behind nginx on loopback.

    prod_check.py --psys setup/psys --db DB --prod-dir DIR --work DIR --odoo-bin ODOO_BIN \
        [--https-port 8443] [--http-port 8480]

Creates DB afresh with `setup/psys serve --no-serve` (no demo data, French,
the generated configuration), starts Odoo with that configuration (prefork
workers, proxy_mode) and nginx with the generated site (a self-signed
certificate made here), then checks what a client sees through nginx: HTTPS
with HSTS, plain HTTP redirected, a secure session cookie, no database
manager, the websocket upgraded on the gevent port, and the rate limit of the
public invitation page counting the client's own address (a header the client
forges changes nothing); then rotates the log with logrotate and finds Odoo
writing the new file. Exits non-zero on the first broken promise.
"""

import argparse
import configparser
import hashlib
import http.client
import json
import os
import pathlib
import random
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import time

import psycopg2
import websocket
from passlib.context import CryptContext

RATE_LIMIT = 40  # psys_referral/models/psys_invitation.py MAX_UNKNOWN_PER_ADDRESS


def say(message):
    sys.stdout.write(f"[production] {message}\n")
    sys.stdout.flush()


def fail(message):
    raise SystemExit(f"[production] FAILED: {message}")


def check(condition, message):
    if not condition:
        fail(message)


def wait_for(port, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/web/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    fail(f"nothing answers on 127.0.0.1:{port}")


def start(command, log):
    with open(log, "ab") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def self_signed(work):
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_conf(work, site):
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / "tmp" / name).mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {work}/nginx.pid;\nerror_log {work}/nginx-error.log;\nworker_processes 1;\nevents {{}}\n"
        + "http {\n    include /etc/nginx/mime.types;\n"
        + f"    access_log {work}/nginx-access.log;\n"
        + "".join(f"    {name}_temp_path {work}/tmp/{name.split('_')[0]};\n" for name in
                  ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"    include {site};\n}}\n",
        encoding="utf-8",
    )  # fmt: skip
    return conf


class Client:
    """HTTPS (or HTTP) requests to nginx from one loopback address."""

    def __init__(self, address, cert, https_port, http_port):
        self.address = address
        self.context = ssl.create_default_context(cafile=str(cert))
        self.https_port, self.http_port = https_port, http_port

    def get(self, path, headers=None, plain=False):
        if plain:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, timeout=60, source_address=(self.address, 0)
            )
        else:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, timeout=60, context=self.context, source_address=(self.address, 0)
            )
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


def loopback():
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


def checks(args, options, cert):
    client, other = (Client(loopback(), cert, args.https_port, args.http_port) for _ in range(2))
    response = client.get("/web/login")
    check(response.status == 200, f"/web/login through nginx: {response.status}")
    check("max-age=" in (response.getheader("Strict-Transport-Security") or ""), "no HSTS header")
    cookie = response.getheader("Set-Cookie") or ""
    check("session_id=" in cookie and "Secure" in cookie and "HttpOnly" in cookie, f"session cookie: {cookie!r}")
    say(f"HTTPS: 200, HSTS, session cookie {'; '.join(part.strip() for part in cookie.split(';')[2:])}")
    response = client.get("/web/login", plain=True)
    location = response.getheader("Location") or ""
    check(response.status == 301 and location.startswith("https://"), f"plain HTTP: {response.status} {location}")
    say(f"plain HTTP: {response.status} to {location}")
    response = client.get("/web/database/manager")
    check(
        response.status == 404 or b"disabled by the administrator" in response.body,
        f"the database manager is reachable: {response.status}",
    )
    say(f"database manager: {response.status}")

    ws = websocket.create_connection(
        f"wss://127.0.0.1:{args.https_port}/websocket",
        sslopt={"ca_certs": str(cert)},
        origin=f"https://127.0.0.1:{args.https_port}",
        timeout=30,
    )
    check(ws.getstatus() == 101, f"websocket handshake: {ws.getstatus()}")
    ws.close()
    say("websocket: 101 Switching Protocols (gevent port)")

    # The rate limit of /rdv/<token>: an unknown token of the right shape is
    # looked up and logged with the caller's address.
    token = secrets.token_urlsafe(32)[:43]
    forged = {"X-Forwarded-For": "198.51.100.7"}
    statuses = [client.get(f"/rdv/{token}", headers=forged).status for _ in range(RATE_LIMIT)]
    check(set(statuses) == {404}, f"the first {RATE_LIMIT} requests: {sorted(set(statuses))}")
    limited = client.get(f"/rdv/{token}", headers=forged).status
    check(limited == 429, f"request {RATE_LIMIT + 1} from {client.address}: {limited}, not 429")
    neighbour = other.get(f"/rdv/{secrets.token_urlsafe(32)[:43]}").status
    check(neighbour == 404, f"another client ({other.address}) was limited too: {neighbour}")
    # The counters (psys.rate.limit, keyed by a digest of what they limit,
    # as psys_base's _psys_key makes it) hold the clients' own addresses,
    # never the proxy's nor the forged one; refused requests log nothing.
    addresses = [client.address, other.address, "127.0.0.1", "198.51.100.7"]
    keys = {hashlib.sha256(f"invitation-unknown\x1f{address}".encode()).hexdigest(): address for address in addresses}
    with psycopg2.connect(dbname=args.db) as connection, connection.cursor() as cr:
        cr.execute("SELECT key, hits FROM psys_rate_limit WHERE key = ANY(%s)", [list(keys)])
        counted = {keys[key]: hits for key, hits in cr.fetchall()}
        cr.execute("SELECT count(*) FROM psys_invitation_log WHERE address = ANY(%s)", [addresses])
        logged = cr.fetchone()[0]
    check(
        counted == {client.address: RATE_LIMIT + 1, other.address: 1},
        f"the rate limit's counters: {counted} (expected the clients' own addresses)",
    )
    check(logged == 0, f"{logged} refused requests were written to the invitation log")
    say(
        f"rate limit of /rdv/<token>: {client.address} refused (429) after {RATE_LIMIT}, "
        f"{other.address} served; counted addresses {counted}, nothing logged"
    )

    log = pathlib.Path(options["logfile"])
    subprocess.run(
        ["logrotate", "-f", "-s", str(args.work / "logrotate.state"), str(args.prod_dir / "logrotate.conf")],
        check=True,
    )
    check(pathlib.Path(f"{log}.1").is_file(), "logrotate did not rotate the log")
    client.get("/web/login")
    time.sleep(1)
    check(log.is_file() and "/web/login" in log.read_text(encoding="utf-8"), "Odoo does not write the new log")
    say(f"logrotate: {log.name}.1 rotated, Odoo writes a new {log.name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--psys", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--prod-dir", required=True, type=pathlib.Path)
    parser.add_argument("--work", required=True, type=pathlib.Path)
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--https-port", type=int, default=8443)
    parser.add_argument("--http-port", type=int, default=8480)
    parser.add_argument("--reuse", action="store_true", help="keep DB when it exists (to iterate on the checks)")
    args = parser.parse_args()
    started = time.monotonic()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    cert, key = self_signed(args.work)

    say(f"creating {args.db} with setup/psys serve (no demo data, French, production configuration)")
    if not args.reuse:
        subprocess.run(["dropdb", "--if-exists", args.db], check=True)
        shutil.rmtree(args.prod_dir, ignore_errors=True)
    subprocess.run(
        [args.psys, "serve", "--db", args.db, "--no-serve", "--workers", "2", "--server-name", "localhost",
         "--https-listen", f"127.0.0.1:{args.https_port}", "--http-listen", f"127.0.0.1:{args.http_port}",
         "--cert", cert, "--key", key],
        check=True,
    )  # fmt: skip
    say(f"created in {time.monotonic() - started:.0f}s")
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(args.prod_dir / "odoo.conf")
    options = parser["options"]
    expected = {"proxy_mode": "True", "list_db": "False", "dbfilter": f"^{args.db}$", "workers": "2",
                "max_cron_threads": "1", "without_demo": "all"}  # fmt: skip
    check({key: options.get(key) for key in expected} == expected, f"configuration: {dict(options)}")
    password_file = args.prod_dir / "admin_passwd"
    password = password_file.read_text(encoding="ascii").strip()
    crypt = CryptContext(["pbkdf2_sha512", "plaintext"])
    check(password_file.stat().st_mode & 0o077 == 0, "admin_passwd is readable by others")
    check(options["admin_passwd"].startswith("$pbkdf2") and crypt.verify(password, options["admin_passwd"]),
          "the master password is not the generated one's hash")  # fmt: skip
    with psycopg2.connect(dbname=args.db) as connection, connection.cursor() as cr:
        cr.execute("SELECT count(*) FROM ir_module_module WHERE demo")
        check(cr.fetchone()[0] == 0, "demo data in the production database")
        cr.execute("SELECT count(*) FROM res_lang WHERE code = 'fr_FR' AND active")
        check(cr.fetchone()[0] == 1, "French is not loaded")
        cr.execute("SELECT password FROM res_users WHERE login = 'admin'")
        stored = cr.fetchone()[0]
        check(not crypt.verify("admin", stored) and crypt.verify(password, stored), "the admin user's password")
    say("configuration: prefork 2 workers, 1 cron thread, proxy_mode, list_db off, dbfilter, no demo, French,")
    say("  master and admin passwords generated (admin_passwd 0600, the configuration holds a hash)")

    doctor = subprocess.run(
        [args.psys, "doctor", "--db", args.db, "--json"], capture_output=True, text=True, check=False
    ).stdout
    found = {item["check"]: item for item in json.loads(doctor)}
    ready = ("linking secret", "workers", "proxy_mode", "database list", "master password", "admin password",
             "demo data", "retention")  # fmt: skip
    check(all(found[name]["ok"] for name in ready), f"setup/psys doctor: {[found[name] for name in ready]}")
    say(f"setup/psys doctor: {', '.join(ready)} ok; still to provide: "
        f"{', '.join(name for name, item in found.items() if not item['ok']) or 'nothing'}")  # fmt: skip

    odoo = nginx = None
    try:
        odoo = start([sys.executable, args.odoo_bin, "-c", str(args.prod_dir / "odoo.conf")], args.work / "odoo.out")
        wait_for(int(options["http_port"]))
        wait_for(int(options["gevent_port"]))
        site = args.prod_dir / "nginx-psys.conf"
        conf = nginx_conf(args.work, site)
        subprocess.run(["nginx", "-t", "-q", "-p", str(args.work), "-c", str(conf)], check=True)
        nginx = start(["nginx", "-p", str(args.work), "-c", str(conf), "-g", "daemon off;"], args.work / "nginx.out")
        time.sleep(1)
        check(nginx.poll() is None, f"nginx stopped: {(args.work / 'nginx-error.log').read_text()}")
        checks(args, options, cert)
    finally:
        stop(nginx)
        stop(odoo)
    say(f"passed in {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
