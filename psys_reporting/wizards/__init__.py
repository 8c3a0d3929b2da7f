from . import psys_bilan_wizard
from . import psys_bilan_withdraw_wizard
