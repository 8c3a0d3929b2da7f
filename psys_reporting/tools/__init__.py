from . import bilan_tables
from . import linked_secrecy
from . import register
from . import secrecy
