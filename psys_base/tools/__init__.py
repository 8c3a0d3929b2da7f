from . import age
from . import french_holidays
from . import purge
