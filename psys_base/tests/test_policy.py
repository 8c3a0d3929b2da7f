"""The kernel's registry checks: every psys model declares its policy, and
every policy gives its rules (``psys.secured``, ``ir.rule``). Run here
over whatever addons are installed (psys_base alone too); tests/test_kernel.py
tries the holes as each role."""

from odoo.osv import expression
from odoo.tests import tagged

from ..tools.policy import Policy
from .common import PsysCase


def models_without_policy(env):
    """The psys models of the registry (transient ones included) that
    declare no policy: each must say who may see and change its records."""
    return sorted(
        name
        for name, model in env.registry.items()
        if not model._abstract
        and (name.startswith("psys.") or (model._original_module or "").startswith("psys_"))
        and not isinstance(getattr(model, "_psys_policy", None), Policy)
    )


# Core models psys writes into for its own records (mirrors, files, messages,
# texts), with the addon that does: they cannot be found from psys's access
# lines.
MIRRORED_CORE_MODELS = {
    "calendar.event": "psys_base",
    "ir.attachment": "psys_base",
    "mail.message": "psys_base",
    "sms.sms": "psys_referral",
}


def core_models_without_policy(env):
    """Core models psys opens (an access line or a record rule of a psys
    addon) or mirrors into, that declare no policy."""
    env.cr.execute(
        """
        SELECT DISTINCT m.model
          FROM ir_model_data d
          JOIN ir_model_access a ON d.model = 'ir.model.access' AND a.id = d.res_id
          JOIN ir_model m ON m.id = a.model_id
         WHERE d.module LIKE 'psys%%' AND m.model NOT LIKE 'psys.%%'
         UNION
        SELECT DISTINCT m.model
          FROM ir_model_data d
          JOIN ir_rule r ON d.model = 'ir.rule' AND r.id = d.res_id
          JOIN ir_model m ON m.id = r.model_id
         WHERE d.module LIKE 'psys%%' AND m.model NOT LIKE 'psys.%%'
        """
    )
    installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
    opened = {name for (name,) in env.cr.fetchall()} | {
        name for name, addon in MIRRORED_CORE_MODELS.items() if name in env and addon in installed
    }
    return sorted(name for name in opened if not isinstance(getattr(env[name], "_psys_policy", None), Policy))


def policies_without_rules(env, user):
    """``model: what is missing`` for every model with a policy whose record
    rules, for ``user``, lack the policy's company or creator domain."""
    found = []
    Rule = env["ir.rule"].with_user(user)
    for name, model in env.registry.items():
        policy = getattr(model, "_psys_policy", None)
        if model._abstract or not isinstance(policy, Policy):
            continue
        for mode in ("read", "write", "create", "unlink"):
            domain = Rule._compute_domain(name, mode)
            if domain == expression.FALSE_DOMAIN:
                continue  # nothing at all for this user
            leaves = {leaf[0] for leaf in domain if isinstance(leaf, (list, tuple))}
            if policy.company and policy.company not in leaves:
                found.append(f"{name}: no {policy.company} rule ({mode})")
            if model._transient and "create_uid" not in leaves:
                found.append(f"{name}: no creator rule ({mode})")
    return found


def policies_naming_unknown_fields(env):
    found = []
    for name, model in env.registry.items():
        policy = getattr(model, "_psys_policy", None)
        if not isinstance(policy, Policy):
            continue
        names = (policy.company, policy.owner, *policy.ownership, *policy.workflow, *policy.secret)
        found += [f"{name}.{field}" for field in names if field and field.split(".")[0] not in model._fields]
    return found


@tagged("post_install", "-at_install", "psys", "psys_security")
class TestPolicyRegistry(PsysCase):
    def test_every_psys_model_declares_its_policy(self):
        self.assertEqual(models_without_policy(self.env), [])
        self.assertEqual(core_models_without_policy(self.env), [])
        self.assertEqual(policies_naming_unknown_fields(self.env), [])

    def test_every_policy_gives_its_rules(self):
        for user in (self.user_reception, self.user_therapist, self.user_coordinator, self.user_portal):
            with self.subTest(user=user.login):
                self.assertEqual(policies_without_rules(self.env, user), [])

    def test_a_policy_needs_a_company_or_a_reason(self):
        with self.assertRaises(ValueError):
            Policy(company=None)
        self.assertEqual(Policy(owner="user_id").guarded_fields, ("company_id", "user_id"))

    def test_the_kernel_stays_on_the_models_it_governs(self):
        """The action and input checks are mixins (``psys.action.guard``,
        ``psys.input.guard``) that psys models and the core models with a
        policy inherit, not an extension of every model of the database."""
        guard = self.env.registry["psys.action.guard"]
        missing = sorted(
            name
            for name, model in self.env.registry.items()
            if not model._abstract and isinstance(getattr(model, "_psys_policy", None), Policy)
            if not issubclass(model, guard)
        )
        self.assertEqual(missing, [])
        for name in ("res.country", "res.currency", "ir.ui.view"):
            with self.subTest(model=name):
                self.assertFalse(hasattr(self.env[name], "_psys_check_action"))
                self.assertFalse(hasattr(self.env[name], "_psys_check_date"))
        self.assertTrue(issubclass(self.env.registry["psys.encounter"], self.env.registry["psys.input.guard"]))
