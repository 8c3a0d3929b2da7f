from . import age
from . import calendar
from . import purge
from . import summary
