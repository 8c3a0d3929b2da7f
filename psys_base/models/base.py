"""Where the group constants used to live: psys_base/tools/groups.py holds
them now. Kept for the modules that still import them from here (psys_referral's
booking and accounting files, psys_permanence); no model is defined here any
more: the checks that were on every model of the database are
``psys.action.guard`` and ``psys.input.guard``, inherited by the psys models
and by the core models that carry a policy."""

from ..tools.groups import CLINICAL, COORDINATOR, PRACTITIONERS, RECEPTION, THERAPIST
from .psys_input_guard import MAX_ID

__all__ = ["CLINICAL", "COORDINATOR", "MAX_ID", "PRACTITIONERS", "RECEPTION", "THERAPIST"]
