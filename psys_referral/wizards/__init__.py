from . import psys_receipt_wizard
