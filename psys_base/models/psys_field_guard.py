from odoo import api, models
from odoo.osv import expression


class PsysFieldGuard(models.AbstractModel):
    """Make ``groups=`` on a field hold for searching, grouping and ordering.

    Odoo checks a field's groups when it is read or written, but not when it
    appears in a search domain, a group-by or an order: a user could then
    learn clinical values (which encounters raised a theme) by searching.
    Models with restricted fields inherit this guard.
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
