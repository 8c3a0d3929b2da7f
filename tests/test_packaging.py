"""The addons as OCA publishes theirs: README.rst generated from readme/, pip wheels.

Neither test needs a database: they read and build the checkout.
"""

import ast
import pathlib
import subprocess
import sys
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(path.parent for path in REPO.glob("psys_*/__manifest__.py"))


def _run(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_committed_readmes_are_generated_from_the_fragments(tmp_path):
    """Each README.rst is what setup/gen_addon_readme.py makes of readme/*.md and the manifest."""
    _run(sys.executable, REPO / "setup" / "gen_addon_readme.py", "--output-dir", tmp_path)
    stale = []
    for addon in ADDONS:
        committed = addon / "README.rst"
        assert committed.is_file(), f"{addon.name}/README.rst is missing: run setup/gen_addon_readme.py"
        generated = tmp_path / addon.name / "README.rst"
        if committed.read_text(encoding="utf-8") != generated.read_text(encoding="utf-8"):
            stale.append(addon.name)
    assert not stale, f"README.rst out of date in {stale}: run setup/gen_addon_readme.py and commit the result"


def test_every_addon_builds_a_wheel_that_installs(tmp_path):
    """pip builds each addon with whool (pyproject.toml) into odoo-addon-<name>, and it installs."""
    dist = tmp_path / "dist"
    for addon in ADDONS:
        assert (addon / "pyproject.toml").is_file(), f"{addon.name} has no pyproject.toml"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--disable-pip-version-check",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        dist,
        *ADDONS,
    )
    wheels = {}
    for addon in ADDONS:
        found = sorted(dist.glob(f"odoo_addon_{addon.name}-18.0.*-py3-none-any.whl"))
        assert len(found) == 1, f"no wheel (or several) for {addon.name}: {sorted(p.name for p in dist.iterdir())}"
        wheels[addon.name] = found[0]
        with zipfile.ZipFile(found[0]) as wheel:
            names = set(wheel.namelist())
            metadata = next(wheel.read(name).decode() for name in names if name.endswith(".dist-info/METADATA"))
        prefix = f"odoo/addons/{addon.name}/"
        for needed in ("__manifest__.py", "__init__.py", "README.rst", "i18n/fr.po", f"i18n/{addon.name}.pot"):
            assert prefix + needed in names, f"{found[0].name} lacks {prefix + needed}"
        assert f"Name: odoo-addon-{addon.name}\n" in metadata, metadata[:300]
        assert "Requires-Dist: odoo==18.0.*" in metadata
        manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
        for depend in (name for name in manifest["depends"] if name.startswith("psys_")):
            assert f"Requires-Dist: odoo-addon-{depend}==18.0.*" in metadata, (addon.name, depend)

    # A scratch environment, without Odoo: the wheels install on their own with --no-deps.
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "--disable-pip-version-check", "install", "--no-deps", "--no-index", *wheels.values())
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    for addon in ADDONS:
        installed = pathlib.Path(site) / "odoo" / "addons" / addon.name
        assert (installed / "__manifest__.py").is_file(), f"{addon.name} is not installed in {site}"
        assert (installed / "i18n" / "fr.po").is_file()
    listed = _run(python, "-m", "pip", "--disable-pip-version-check", "list", "--format=freeze").stdout
    for addon in ADDONS:
        assert f"odoo-addon-{addon.name.replace('_', '-')}==" in listed.replace("_", "-"), listed


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_pyproject_uses_whool(addon):
    text = (addon / "pyproject.toml").read_text(encoding="utf-8")
    assert 'build-backend = "whool.buildapi"' in text
