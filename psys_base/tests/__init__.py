from . import test_beneficiary
from . import test_linking_key
from . import test_encounter
from . import test_security
from . import test_notes
from . import test_purge
from . import test_french_holidays
from . import test_data_security
