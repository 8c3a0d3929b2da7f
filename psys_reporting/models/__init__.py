from . import res_company
from . import res_config_settings
from . import psys_encounter_report
from . import psys_encounter_theme_report
from . import psys_orientation_report
from . import psys_indicator
