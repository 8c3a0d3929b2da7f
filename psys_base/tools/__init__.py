from . import french_holidays
