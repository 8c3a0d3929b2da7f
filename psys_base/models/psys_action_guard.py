from odoo import _, models
from odoo.exceptions import AccessError


class PsysActionGuard(models.AbstractModel):
    """The one check every psys action runs before it does anything.

    Every public method of a model is an RPC endpoint that any logged-in user
    can call (``groups=`` on a button only hides it), so each action starts
    with ``self._psys_check_action(...)``, before any ``sudo()``.

    Inherited by the psys models (through ``psys.secured``) and by the core
    models psys opens with a declared policy or runs actions on (calendar
    events, working hours, contacts, files and messages, SMS, the portal
    wizard, events): not by every model of the database.
    """

    _name = "psys.action.guard"
    _description = "Caller checks of psys actions and exports"

    def _psys_check_action(self, operation="write", groups=None):
        """Raise :class:`AccessError` unless the caller may run an action that
        amounts to ``operation`` on these records.

        - ``operation``: ``read``, ``write``, ``create`` or ``unlink``, checked
          with the access rights and the record rules on ``self`` (on the
          model only when ``self`` is empty);
        - ``groups``: comma-separated XML ids of groups, one of which the
          action needs (the user's own groups, whatever the records);
        - a wizard (transient record) is its creator's only.

        The superuser (crons, internal calls in ``sudo()``) passes.
        """
        if self.env.su:
            return self
        user = self.env.user
        if groups:
            xmlids = [xmlid.strip() for xmlid in groups.split(",") if xmlid.strip()]
            if not any(user.has_group(xmlid) for xmlid in xmlids):
                names = [
                    group.full_name for xmlid in xmlids if (group := self.env.ref(xmlid, raise_if_not_found=False))
                ]
                raise AccessError(
                    _(
                        "You are not allowed to do this: it is reserved to %(groups)s.",
                        groups=_(" or ").join(names),
                    )
                )
        self.check_access(operation)
        if self._transient and self.sudo().create_uid - user:
            raise AccessError(_("This assistant was opened by another user: open your own."))
        return self

    def export_data(self, fields_to_export):
        """Under a declared policy, an export reads the records it names
        first: Odoo gives (and creates) their external ids without reading
        them, which would tell whether a record the user may not read exists."""
        if not self.env.su and getattr(self, "_psys_policy", None) is not None:
            self.check_access("read")
        return super().export_data(fields_to_export)
