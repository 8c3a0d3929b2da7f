import secrets


def post_init_hook(env):
    """Give the database its own salt for the linking keys, once."""
    params = env["ir.config_parameter"].sudo()
    if not params.get_param("psys_base.linking_salt"):
        params.set_param("psys_base.linking_salt", secrets.token_hex(32))
