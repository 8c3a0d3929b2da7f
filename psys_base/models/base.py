from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.osv import expression

# Ids are PostgreSQL integers: a larger one is a record that cannot exist.
MAX_ID = 2**31 - 1
# Domain operators that compare a date column with the value as a date.
DATE_OPERATORS = ("=", "!=", "<>", "<", "<=", ">", ">=", "in", "not in")
# The groups psys actions ask for (``groups=`` of ``_psys_check_action``).
RECEPTION = "psys_base.group_psys_reception"
THERAPIST = "psys_base.group_psys_therapist"
COORDINATOR = "psys_base.group_psys_coordinator"
CLINICAL = "psys_base.group_psys_clinical"
# Whoever may follow a person (mark a session seen, record a relay).
PRACTITIONERS = f"{THERAPIST},{COORDINATOR}"


class Base(models.AbstractModel):
    """The one check every psys action runs before it does anything.

    Every public method of a model is an RPC endpoint that any logged-in user
    can call (``groups=`` on a button only hides it), so each action starts
    with ``self._psys_check_action(...)``, before any ``sudo()``.

    On psys models, a malformed date in a search or in written values gets a
    clear translated error instead of PostgreSQL's or Python's message.
    """

    _inherit = "base"

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

    # Dates typed over RPC ------------------------------------------------------

    def _psys_is_psys_model(self):
        return (self._original_module or "").startswith("psys_")

    def _psys_check_date(self, name, value, in_domain=False):
        """Raise a clear ValidationError when ``value`` is no date for field
        ``name`` (in a domain, also the ISO forms PostgreSQL accepts)."""
        field = self._fields.get(name)
        if not field or field.type not in ("date", "datetime") or not isinstance(value, str):
            return
        parse = fields.Date.to_date if field.type == "date" else fields.Datetime.to_datetime
        try:
            try:
                parse(value)
            except ValueError:
                if not in_domain:
                    raise
                datetime.fromisoformat(value)
        except ValueError as error:
            raise ValidationError(
                _(
                    "%(field)s: %(value)s is not a valid date (expected YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS).",
                    field=field._description_string(self.env),
                    value=value[:40],
                )
            ) from error

    def _psys_check_date_values(self, vals_list):
        if self._psys_is_psys_model():
            for vals in vals_list:
                for name, value in vals.items():
                    self._psys_check_date(name, value)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if self._psys_is_psys_model() and domain:
            for leaf in expression.normalize_domain(domain):
                if (
                    isinstance(leaf, (list, tuple))
                    and len(leaf) == 3
                    and isinstance(leaf[0], str)
                    and leaf[1] in DATE_OPERATORS
                ):
                    values = leaf[2] if isinstance(leaf[2], (list, tuple)) else [leaf[2]]
                    for value in values:
                        self._psys_check_date(leaf[0], value, in_domain=True)
                        if leaf[0] == "id" and isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                            raise MissingError(_("No record has the number %(id)s.", id=value))
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model_create_multi
    def create(self, vals_list):
        self._psys_check_date_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._psys_check_date_values([vals])
        return super().write(vals)
