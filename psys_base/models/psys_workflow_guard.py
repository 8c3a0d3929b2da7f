from odoo import _, api, models
from odoo.exceptions import AccessError


class PsysWorkflowGuard(models.AbstractModel):
    """Fields that change only through the actions of a workflow.

    A status, a price or a tariff is the result of an action that checks who
    may do it and keeps the rest in step (an encounter, an invoice, a
    message). ``readonly=True`` only hides the field in the forms: over RPC a
    user who may write the record could write them directly. Here nobody but
    the superuser may: the actions check the caller first
    (``_psys_check_action``), then write these fields in ``sudo()``.

    A model lists its fields in ``_psys_workflow_fields``. On creation, they
    may only keep their default value.
    """

    _name = "psys.workflow.guard"
    _description = "Fields changed only by workflow actions"

    _psys_workflow_fields = ()

    def _psys_check_workflow_fields(self, names):
        names = [name for name in names if name in self._psys_workflow_fields]
        if names and not self.env.su:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in names)
            raise AccessError(
                _(
                    "%(fields)s of %(model)s change only through the buttons of their workflow.",
                    fields=labels,
                    model=self._description,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and self._psys_workflow_fields:
            # A default passed in the context would be a way round the check:
            # drop those keys (only a whole new context can remove keys).
            guarded = self.with_context(  # pylint: disable=context-overridden
                {
                    key: value
                    for key, value in self.env.context.items()
                    if not (key.startswith("default_") and key[len("default_") :] in self._psys_workflow_fields)
                }
            )
            defaults = {
                name: guarded._fields[name].default(guarded) if guarded._fields[name].default else False
                for name in guarded._psys_workflow_fields
            }
            for vals in vals_list:
                guarded._psys_check_workflow_fields(
                    [name for name, value in vals.items() if name in defaults and (value or False) != defaults[name]]
                )
            return super(PsysWorkflowGuard, guarded).create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._psys_check_workflow_fields(list(vals))
        return super().write(vals)

    def copy_data(self, default=None):
        # A copy starts its workflow anew (and so passes the check of create).
        default = dict(default or {})
        for name in self._psys_workflow_fields:
            field = self._fields[name]
            if field.copy:
                default.setdefault(name, field.default(self) if field.default else False)
        return super().copy_data(default=default)
