from . import psys_beneficiary_lookup
