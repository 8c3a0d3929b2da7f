# Run by `setup/psys demo` inside `odoo shell`: prints one login per role.
import os
import sys

ROLES = [
    ("Coordinator (with clinical notes)", "psys_base.user_coordinator"),
    ("Therapist", "psys_base.user_therapist"),
    ("Reception", "psys_base.user_reception"),
    ("Independent practitioner", "psys_base.user_practitioner"),
    ("CCAS staff (portal)", "psys_base.user_ccas_portal"),
    ("Administrator", "base.user_admin"),
]
port = os.environ.get("PSYS_HTTP_PORT", "8069")
lines = [f"\nDemo database {env.cr.dbname} (French): http://localhost:{port}/odoo", ""]  # noqa: F821
lines.append(f"  {'role':36} {'login':14} password")
for role, xmlid in ROLES:
    user = env.ref(xmlid, raise_if_not_found=False)  # noqa: F821
    if user:
        password = "admin" if xmlid == "base.user_admin" else user.login
        lines.append(f"  {role:36} {user.login:14} {password}")
lines.append(f"\n  The CCAS portal user signs in at http://localhost:{port}/web/login and lands on /my.\n")
sys.stdout.write("\n".join(lines) + "\n")
