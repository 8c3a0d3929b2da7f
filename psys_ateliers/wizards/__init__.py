from . import psys_workshop_generate
