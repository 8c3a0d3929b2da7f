# The Python generators of the demo data, called by demo/*.xml through
# models/psys_permanence_demo.py; nothing here runs without demo data.
