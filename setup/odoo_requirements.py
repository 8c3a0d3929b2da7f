"""Print Odoo's requirement pins as Odoo lists them for Python 3.12.

Those pins have wheels and work on Python 3.11, where the 3.11 pins would
need old sdists to build. Usage: odoo_requirements.py ODOO/requirements.txt
"""

import sys

from pip._vendor.packaging.requirements import Requirement

TARGET = {
    "python_version": "3.12",
    "python_full_version": "3.12.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
}


def pins(path):
    with open(path, encoding="utf-8") as requirements:
        for line in requirements:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate(TARGET):
                continue
            requirement.marker = None
            yield str(requirement)


if __name__ == "__main__":
    for pin in pins(sys.argv[1]):
        sys.stdout.write(pin + "\n")
