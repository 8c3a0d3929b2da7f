"""What the retention purge does to the records a door keeps about a person."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PurgeSpec:
    """One line of ``psys.beneficiary._get_purge_specs()``.

    The records of ``model`` whose ``link_field`` points to a purged
    beneficiary (``"id"`` for the beneficiaries themselves) always lose
    their chatter, tracking values, followers, activities and attachments.
    Then, exactly one of:

    - ``delete=True``: the records are deleted (confidential notes);
    - ``empty_fields``: these fields are emptied, the records and their
      other fields stay for the statistics (free text, names);
    - neither: the records stay as they are, only their traces go
      (encounters, consent records).

    A door adds its own::

        def _get_purge_specs(self):
            return super()._get_purge_specs() + [
                PurgeSpec("door.visit", "beneficiary_id", empty_fields=("note",)),
            ]
    """

    model: str
    link_field: str
    delete: bool = False
    empty_fields: tuple[str, ...] = ()

    def __post_init__(self):
        # Frozen: normalise through object.__setattr__ (a list is accepted).
        object.__setattr__(self, "empty_fields", tuple(self.empty_fields))
        if self.delete and self.empty_fields:
            raise ValueError(f"{self.model}: a purge spec deletes its records or empties fields, not both")
