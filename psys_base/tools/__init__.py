from . import age
from . import calendar
from . import french_holidays
from . import purge
from . import summary
