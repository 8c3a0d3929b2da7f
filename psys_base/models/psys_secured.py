from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression


def policy_domain(model, mode):
    """The domain ``model``'s declared policy adds to its record rules for
    the current user and ``mode`` (read, write, create, unlink)."""
    policy = getattr(model, "_psys_policy", None)
    if policy is None or model.env.su:
        return []
    user = model.env.user
    domains = []
    if policy.company:
        domain = [(policy.company, "in", model.env.companies.ids)]
        if policy.company_optional:
            domain = expression.OR([[(policy.company, "=", False)], domain])
        domains.append(domain)
    if model._transient:
        domains.append([("create_uid", "=", user.id)])
    if policy.owner and mode in policy.owner_operations and not any(user.has_group(group) for group in policy.managers):
        domains.append([(policy.owner, "=", user.id)])
    return expression.AND(domains) if domains else []


def check_ownership(records, vals):
    """Refuse a user's write of ``vals`` on ``records`` that changes one of
    their policy's ownership fields."""
    policy = getattr(records, "_psys_policy", None)
    if policy is None or records.env.su:
        return
    records = policy.governs(records, vals)
    changed = []
    for name in policy.guarded_fields:
        if name not in vals or "." in name:
            continue
        field = records._fields[name]
        for record in records:
            new = field.convert_to_record(field.convert_to_cache(vals[name], record), record)
            if new != record[name]:
                changed.append(field._description_string(records.env))
                break
    if changed:
        raise AccessError(
            _(
                "%(fields)s of %(model)s cannot be changed here: it says whose the record is.",
                fields=", ".join(changed),
                model=records._description,
            )
        )


def check_self_service(records, vals):
    """Refuse a write of ``vals`` outside the policy's ``self_service``
    fields by a user who is none of its managers."""
    policy = getattr(records, "_psys_policy", None)
    if policy is None or not policy.self_service or records.env.su or not records:
        return
    user = records.env.user
    if set(vals) - set(policy.self_service) and not any(user.has_group(group) for group in policy.managers):
        raise AccessError(_("%(model)s: only a coordinator changes this.", model=records._description))


def secured_write(records, vals, write):
    """``write(vals)`` (the model's own write) as the kernel allows it: no
    ownership field changed by a user, and the record rules checked again on
    the new values (Odoo checks a write's rules on the old values only)."""
    if records.env.su:
        return write(vals)
    check_ownership(records, vals)
    check_self_service(records, vals)
    result = write(vals)
    policy = getattr(records, "_psys_policy", None)
    (policy.governs(records) if policy else records).check_access("write")
    return result


class PsysSecured(models.AbstractModel):
    """The authorization kernel: a model's declared policy, enforced.

    A model declares ``_psys_policy`` (``psys_base/tools/policy.py``) and
    inherits this mixin; for every user but the superuser:

    - its record rules: the policy's company, owner and (transient) creator
      domains are added to the model's rules by ``ir.rule`` (psys_base's
      ``ir_rule.py``), so a model cannot exist without them;
    - its ownership fields (company, owner and the policy's ``ownership``)
      never change by a user's write; workflow fields keep their default on
      creation and change only in ``sudo`` (``psys.workflow.guard``);
    - after a write, the record rules are checked again on the new values
      (Odoo checks a write's rules on the old values only; a create's are
      checked after it);
    - a search, a group-by or an order on a field the user may not read, or
      on one of the policy's ``secret`` fields, is refused
      (``psys.field.guard``);
    - the files attached to its records change as the record allows
      (``_psys_check_files_change``).

    No context key turns any of this off: only ``sudo``, inside the service
    methods that check their caller first (``_psys_check_action``); a status
    changes through ``_psys_transition`` (allowed from, target, groups).
    """

    _name = "psys.secured"
    _description = "Records under a declared access policy"
    _inherit = ["psys.field.guard", "psys.workflow.guard", "psys.action.guard", "psys.input.guard"]

    _psys_policy = None

    @api.model
    def _psys_policy_domain(self, mode):
        return policy_domain(self, mode)

    @api.model
    def _psys_check_fields(self, specs):
        if self.env.su:
            return
        super()._psys_check_fields(specs)
        secret = set(self._psys_policy.secret if self._psys_policy else ())
        names = {spec.split(".")[0].split(":")[0].strip() for spec in specs if spec}
        if refused := sorted(names & secret):
            raise AccessError(
                _(
                    "%(fields)s of %(model)s cannot be searched, grouped or sorted by.",
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in refused),
                    model=self._description,
                )
            )

    def _psys_transition(self, allowed_from, target, groups=None, values=None, field="state"):
        """The one way a workflow moves: check the caller (``operation``
        write, one of ``groups``), check that every record is in one of
        ``allowed_from``, then write ``target`` (and ``values``, workflow
        fields too) as the superuser. Returns the records, moved."""
        self._psys_check_action("write", groups)
        labels = dict(self._fields[field]._description_selection(self.env))
        for record in self:
            if record[field] not in allowed_from:
                raise UserError(
                    _(
                        "%(record)s is %(state)s: it cannot become %(target)s from there.",
                        record=record.display_name,
                        state=labels.get(record[field], record[field]),
                        target=labels.get(target, target),
                    )
                )
        # sudo: workflow fields, written after the checks above only.
        self.sudo().write(dict(values or {}, **{field: target}))
        return self

    def _psys_check_files_change(self):
        """Raise unless the user may add, change or delete the files attached
        to these records (``ir.attachment``): whoever may write them."""
        self.check_access("write")

    @property
    def _psys_workflow_fields(self):
        return self._psys_policy.workflow if self._psys_policy else ()

    def write(self, vals):
        return secured_write(self, vals, super().write)
