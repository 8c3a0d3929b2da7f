from . import psys_receipt_wizard
from . import psys_dashboard
from . import psys_statement_wizard
from . import portal_wizard
from . import psys_invitation_wizard
