# Run by setup/restore_drill.py in `odoo shell` (nothing is committed): what
# the people of the database can still do, printed as one JSON line. The
# returning people typed by setup/upgrade_seed.py are looked for by their
# inputs again; the demo therapist reads the confidential notes.
import json
import os
import sys

seeded = json.loads(os.environ["PSYS_DRILL_SEEDED"])
Param = env["ir.config_parameter"].sudo()  # noqa: F821
Beneficiary = env["psys.beneficiary"]  # noqa: F821
recognised = []
for initials, year, sex in seeded:
    code = Param.get_param(f"psys_upgrade_seed.{initials}")
    if code and Beneficiary._find_by_linking_inputs(initials, year, sex).code == code:
        recognised.append(code)
therapist = env.ref("psys_base.user_therapist")  # noqa: F821
notes = env["psys.note"].with_user(therapist).search([], order="id")  # noqa: F821
texts = [note.body for note in notes]
sys.stdout.write(
    "PSYS_DRILL "
    + json.dumps(
        {
            "seeded": [Param.get_param(f"psys_upgrade_seed.{initials}") for initials, _y, _s in seeded],
            "recognised": recognised,
            "notes read by the therapist": len([text for text in texts if text]),
        }
    )
    + "\n"
)
