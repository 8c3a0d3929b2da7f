"""The groups psys actions ask for (``groups=`` of ``_psys_check_action``)."""

RECEPTION = "psys_base.group_psys_reception"
THERAPIST = "psys_base.group_psys_therapist"
COORDINATOR = "psys_base.group_psys_coordinator"
CLINICAL = "psys_base.group_psys_clinical"
# Whoever may follow a person (mark a session seen, record a relay).
PRACTITIONERS = f"{THERAPIST},{COORDINATOR}"
