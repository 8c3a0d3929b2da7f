from odoo import api, models
from odoo.osv import expression


class PsysFieldGuard(models.AbstractModel):
    """Make ``groups=`` on a field hold for searching and grouping.

    The gap, in Odoo 18: a field's groups are checked when it is read or
    written, and in a domain, a group-by, an aggregate or an order only when
    Odoo turns its own column into SQL (``BaseModel._field_to_sql``). An
    x2many field has no column, so Odoo 18 checks no groups for:

    - a domain leaf on a one2many or many2many field, or on a path that
      starts with one (``('note_ids', '!=', False)``, ``('note_ids', 'in',
      ids)``, ``('theme_ids.name', 'ilike', …)``, ``any``), which becomes a
      subquery on the comodel or the relation table;
    - a group-by on a many2many field (a join on the relation table):
      grouping encounters by theme would count them per clinical theme.

    (Nor for a non-stored field searched through its ``search=`` method,
    whose domain names other fields.) A user without the field's groups
    could then learn clinical values by searching or grouping. This guard
    checks the first field of every domain leaf, group-by, aggregate and
    order against its groups and raises ``AccessError``, as a read would.

    Every psys model with an x2many field restricted by ``groups=`` inherits
    it: ``psys_base/tests/test_field_guard.py`` enforces that over the whole
    registry.
    """

    _name = "psys.field.guard"
    _description = "Field access guard for search and grouping"

    @api.model
    def _psys_check_fields(self, specs):
        if self.env.su:
            return
        names = {spec.split(".")[0].split(":")[0].strip() for spec in specs if spec and spec != "__count"}
        self.check_field_access_rights("read", [name for name in names if name in self._fields])

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        leaves = [leaf[0] for leaf in expression.normalize_domain(domain) if isinstance(leaf, (list, tuple))]
        orders = [part.split()[0] for part in (order or "").split(",") if part.strip()]
        self._psys_check_fields([leaf for leaf in leaves if isinstance(leaf, str)] + orders)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        self._psys_check_fields(list(groupby) + list(aggregates))
        return super()._read_group(
            domain, groupby=groupby, aggregates=aggregates, having=having, offset=offset, limit=limit, order=order
        )
