from . import portal
from . import slip
from . import portal_waiting
from . import portal_invitation
