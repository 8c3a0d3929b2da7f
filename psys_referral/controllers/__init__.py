from . import portal
from . import slip
from . import portal_waiting
