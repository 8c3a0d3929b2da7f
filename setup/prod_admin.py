# Run by `setup/psys serve` in `odoo shell` when it creates the production
# database: the administrator's password is the generated one (the file
# admin_passwd beside the configuration, mode 0600), never "admin".
import os

env.ref("base.user_admin").password = os.environ["PSYS_ADMIN_PASSWORD"]  # noqa: F821
env.cr.commit()  # noqa: F821  # pylint: disable=invalid-commit
