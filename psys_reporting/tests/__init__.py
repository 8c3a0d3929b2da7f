from . import test_secrecy
from . import test_bilan
from . import test_security
from . import test_outputs
