"""Print, comma-separated, the Odoo addons the psys addons depend on.

They make the template database that the test command copies for each run.
Usage: addon_deps.py REPO
"""

import ast
import pathlib
import sys


def external_dependencies(repo):
    manifests = {path.parent.name: path for path in pathlib.Path(repo).glob("psys_*/__manifest__.py")}
    deps = set()
    for path in manifests.values():
        manifest = ast.literal_eval(path.read_text(encoding="utf-8"))
        deps.update(dep for dep in manifest.get("depends", []) if dep not in manifests)
    return sorted(deps)


if __name__ == "__main__":
    sys.stdout.write(",".join(external_dependencies(sys.argv[1])) + "\n")
