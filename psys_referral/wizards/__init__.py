from . import psys_dashboard
from . import portal_wizard
from . import psys_invitation_wizard
