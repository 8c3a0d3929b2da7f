# Run by setup/psys (demo, serve) in `odoo shell` after an install or update:
# builds the web asset bundles (back office, portal, login page) now, as
# Odoo's own server does before its tests, so that the first person to open
# the database does not wait for them.
env["ir.qweb"]._pregenerate_assets_bundles()  # noqa: F821
env.cr.commit()  # noqa: F821  # pylint: disable=invalid-commit
