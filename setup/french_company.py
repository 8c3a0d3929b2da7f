# Run by setup/psys inside `odoo shell` on a new database, before the addons
# that need a country (account picks the French chart of accounts, in euros).
# PSYS_ALSO_ENGLISH=1 keeps English active too: the tests read English labels.
import os

env.ref("base.EUR").active = True  # noqa: F821
env.ref("base.main_company").write(  # noqa: F821
    {"country_id": env.ref("base.fr").id, "currency_id": env.ref("base.EUR").id}  # noqa: F821
)
if os.environ.get("PSYS_ALSO_ENGLISH"):
    env["res.lang"]._activate_lang("en_US")  # noqa: F821
env.cr.commit()  # noqa: F821  # pylint: disable=invalid-commit
