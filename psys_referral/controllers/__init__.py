from . import portal
from . import slip
