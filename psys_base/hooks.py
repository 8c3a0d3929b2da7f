import secrets

from .models.psys_linking_mixin import get_linking_pepper


def post_init_hook(env):
    """Give the database its own salt for the linking keys, once, make
    sure the server has its secret (pepper) outside the database, and write
    the public holidays of every association (the yearly job's first run)."""
    params = env["ir.config_parameter"].sudo()
    if not params.get_param("psys_base.linking_salt"):
        params.set_param("psys_base.linking_salt", secrets.token_hex(32))
    get_linking_pepper()
    env["res.company"].search([])._psys_sync_public_holidays()
