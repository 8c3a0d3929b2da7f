from . import psys_bilan_report
