"""Print, comma-separated, the Odoo addons the psys addons depend on.

They make the template database that the test command copies for each run.
Usage: addon_deps.py REPO [ADDON ...] — all psys addons, or only these ones
(with the psys addons they depend on).
"""

import ast
import pathlib
import sys


def external_dependencies(repo, addons=None):
    manifests = {path.parent.name: path for path in pathlib.Path(repo).glob("psys_*/__manifest__.py")}
    todo, seen, deps = list(addons or manifests), set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for dep in ast.literal_eval(manifests[name].read_text(encoding="utf-8")).get("depends", []):
            if dep in manifests:
                todo.append(dep)
            else:
                deps.add(dep)
    return sorted(deps)


if __name__ == "__main__":
    sys.stdout.write(",".join(external_dependencies(sys.argv[1], sys.argv[2:])) + "\n")
