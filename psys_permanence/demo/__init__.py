# The demo data's Python: the generators, and the entry point that
# demo/psys_permanence_demo.xml calls (psys.permanence.demo); nothing here
# runs without demo data.
from . import psys_permanence_demo
