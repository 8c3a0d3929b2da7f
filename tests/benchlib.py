"""What the benchmarks share: arguments, Odoo start-up, their own database.

Each ``tests/bench_NAME.py`` runs as ``setup/psys bench NAME`` (which passes
``--config``) and works in a database of its own, created on first use.
"""

import argparse
import logging
import os
import subprocess
import sys


def argument_parser(doc, database):
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--database", default=database)
    return parser


def start_odoo(config_path):
    import odoo

    odoo.tools.config.parse_config(["-c", config_path, "--log-level=warn"])
    logging.getLogger("odoo").setLevel(logging.WARNING)
    return odoo


def odoo_bin(odoo):
    return os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")


def ensure_addon(odoo, config_path, dbname, addon):
    """Install ``addon`` (without demo; several: comma-separated) in
    ``dbname``, or update it and the spine when it is there already, so the
    database follows the code."""
    from odoo.service import db as db_service

    base = [sys.executable, odoo_bin(odoo), "-c", config_path, "-d", dbname]
    options = ["--stop-after-init", "--log-level=warn"]
    if db_service.exp_db_exist(dbname):
        with odoo.sql_db.db_connect(dbname).cursor() as cr:
            names = addon.split(",")
            cr.execute("SELECT count(*) FROM ir_module_module WHERE name IN %s AND state = 'installed'", [tuple(names)])
            installed = cr.fetchone()[0] == len(names)
        if installed:
            subprocess.run([*base, "-u", f"psys_base,{addon}", *options], check=True)
            return
    sys.stdout.write(f"installing {addon} in {dbname}…\n")
    subprocess.run([*base, "-i", addon, "--without-demo=all", *options], check=True)
