from . import secrecy
