from . import psys_receipt_wizard
from . import psys_statement_wizard
