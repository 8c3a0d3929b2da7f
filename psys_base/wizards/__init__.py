from . import psys_beneficiary_lookup
from . import psys_dashboard
from . import psys_named_contact
