from . import test_slots
from . import test_concurrency
from . import test_booking
from . import test_backoffice
from . import test_invoicing
from . import test_portal
from . import test_tour
from . import test_purge_invoice
