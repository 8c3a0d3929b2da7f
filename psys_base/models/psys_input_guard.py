from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import MissingError, ValidationError
from odoo.osv import expression

# Ids are PostgreSQL integers: a larger one is a record that cannot exist.
MAX_ID = 2**31 - 1
# Domain operators that compare a date column with the value as a date.
DATE_OPERATORS = ("=", "!=", "<>", "<", "<=", ">", ">=", "in", "not in")


class PsysInputGuard(models.AbstractModel):
    """Values typed over RPC, on psys models (``psys.secured`` inherits it):
    a malformed date in a search or in written values, or an id no record
    can have, gets a clear translated error instead of PostgreSQL's or
    Python's message. Core models keep Odoo's own behaviour."""

    _name = "psys.input.guard"
    _description = "Clear errors for malformed dates and ids"

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
        for vals in vals_list:
            for name, value in vals.items():
                self._psys_check_date(name, value)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if domain:
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
