from . import psys_beneficiary_lookup
from . import psys_dashboard
