from . import psys_bilan_wizard
