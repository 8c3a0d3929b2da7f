from . import test_budget
from . import test_generation
from . import test_participation
from . import test_purge
from . import test_report
from . import test_sentinel
from . import test_survey
from . import test_views
