"""The declared policy of a model: who may see and change which records.

Every psys model (transient ones included) and every core model psys opens
or mirrors into declares one ``Policy`` as its ``_psys_policy``; the kernel
(``psys.secured`` and ``ir.rule``, psys_base) enforces it. A registry test
fails on a psys model without one.
"""

from dataclasses import dataclass, replace

COORDINATOR = "psys_base.group_psys_coordinator"


@dataclass(frozen=True)
class Policy:
    """What the kernel enforces on a model, for every user but the superuser.

    - ``company``: the field that holds the association; records of the
      user's companies only (``company_optional``: records without one are
      everybody's, as Odoo's own shared records);
    - ``owner``: the field holding the user who owns a record (practitioner,
      volunteer); for the operations in ``owner_operations`` a user who is in
      none of ``managers`` acts on their own records only;
    - ``ownership``: fields a user's write never changes (the company and the
      owner are always among them): they change only through an action that
      checks both the old and the new owner, in ``sudo``;
    - ``workflow``: fields changed only by the actions of a workflow; on
      creation they keep their default;
    - ``secret``: fields no user may search, group or sort by (a search is a
      read, and these are never read through a search);
    - ``shared``: why a model without a company field is not per association;
    - ``self_service``: when set, the only fields a user who is none of
      ``managers`` may write (a volunteer takes a shift or asks for a
      replacement; the rota itself is the coordinator's);
    - ``belongs_to``: for a core model holding the files or messages of any
      record (``res_model``, ``res_id``), the fields naming that record: the
      policy then governs those of psys records only, and a user's write
      never moves one onto or off a psys record.

    A transient model's records are always their creator's only.
    """

    company: str | None = "company_id"
    company_optional: bool = False
    owner: str | None = None
    owner_operations: tuple = ("create", "write", "unlink")
    managers: tuple = (COORDINATOR,)
    ownership: tuple = ()
    workflow: tuple = ()
    secret: tuple = ()
    shared: str = ""
    self_service: tuple = ()
    belongs_to: tuple = ()

    def __post_init__(self):
        if not self.company and not self.shared:
            raise ValueError("a policy without a company field says why the model is shared")

    @property
    def guarded_fields(self):
        """Fields that only the superuser writes after creation."""
        return tuple(dict.fromkeys(filter(None, (self.company, self.owner, *self.ownership, *self.belongs_to))))

    def extended(self, **fields):
        """This policy with more fields in the given tuples: an addon that
        adds fields to a model declares their part of its policy."""
        return replace(self, **{name: getattr(self, name) + tuple(names) for name, names in fields.items()})

    def governs(self, records, vals=None):
        """Those of ``records`` the policy governs (all of them, but for a
        ``belongs_to`` policy: those of psys records, or all of them when
        ``vals`` moves them onto a psys record)."""
        if not self.belongs_to:
            return records
        model_field = self.belongs_to[0]
        if is_psys_model((vals or {}).get(model_field)):
            return records
        return records.filtered(lambda record: is_psys_model(record[model_field]))


def is_psys_model(name):
    """Whether ``name`` is the technical name of a psys model."""
    return isinstance(name, str) and name.startswith("psys.")


# Why a model without a company field is shared (``Policy.shared``).
FORM = "a form: its creator's only, for the time of one action"
REFERENCE = "reference data (themes, situations, indicators), the same for every association"
CORE = "a core model: Odoo's own company rules apply, psys adds its ownership fields"
