"""Repository checks: every psys addon is complete and of Odoo 18."""

import ast
import pathlib
import re

import polib
import pytest

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(path.parent for path in REPO.glob("psys_*/__manifest__.py"))
OCA_KEYS = {
    "name",
    "summary",
    "version",
    "license",
    "author",
    "website",
    "maintainers",
    "development_status",
    "installable",
    "depends",
}


def _manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def test_there_are_addons():
    assert any(addon.name == "psys_base" for addon in ADDONS)


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_manifest_has_the_oca_keys(addon):
    manifest = _manifest(addon)
    assert OCA_KEYS <= set(manifest), OCA_KEYS - set(manifest)
    assert "description" not in manifest, "the description lives in readme/DESCRIPTION.md"
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert manifest["license"] == "AGPL-3"
    assert (addon / "readme" / "DESCRIPTION.md").is_file()


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_doors_depend_on_the_spine_only(addon):
    """DESIGN.md: a door depends on psys_base and Odoo core, never on another door."""
    psys_depends = {dep for dep in _manifest(addon)["depends"] if dep.startswith("psys_")}
    if addon.name == "psys_base":
        assert not psys_depends
    else:
        assert psys_depends == {"psys_base"}, psys_depends


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_french_translation_has_no_empty_entry(addon):
    po_path = addon / "i18n" / "fr.po"
    assert po_path.is_file(), f"{addon.name} has no i18n/fr.po"
    empty = [entry.msgid for entry in polib.pofile(str(po_path)) if not entry.msgstr and not entry.obsolete]
    assert not empty, f"untranslated in {addon.name}: {empty[:5]}"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_no_pre_18_syntax(addon):
    offenders = []
    for path in addon.rglob("*.xml"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<tree[\s>]|\battrs=|\bstates=", text):
            offenders.append(str(path.relative_to(REPO)))
    for path in addon.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"def name_get\b|cr\.commit\(\)|^\s*print\(", text, re.MULTILINE):
            offenders.append(str(path.relative_to(REPO)))
    assert not offenders


@tagged("post_install", "-at_install", "psys_repo")
class TestInstalledAddons(TransactionCase):
    """Checks that need the registry of the installed addons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        installed = set(
            cls.env["ir.module.module"]
            .search([("name", "in", [addon.name for addon in ADDONS]), ("state", "=", "installed")])
            .mapped("name")
        )
        cls.addons = [addon for addon in ADDONS if addon.name in installed]
        assert cls.addons, "no psys addon is installed in this database"

    def test_every_model_has_an_access_line(self):
        for addon in self.addons:
            models = (
                self.env["ir.model"]
                .search([("model", "like", "psys.%")])
                .filtered(lambda model, name=addon.name: name in model.modules.split(", "))
            )
            for model in models:
                if self.env[model.model]._abstract:
                    continue
                with self.subTest(model=model.model):
                    self.assertTrue(model.access_ids, f"{model.model} has no access line")

    def test_french_translation_covers_every_term(self):
        """Every term the addon shows (code, views, data, selections) is in fr.po."""
        for addon in self.addons:
            translated = {entry.msgid for entry in polib.pofile(str(addon / "i18n" / "fr.po")) if entry.msgstr}
            reader = TranslationModuleReader(self.env.cr, modules=[addon.name], lang="fr_FR")
            missing = sorted({source for _module, _kind, _name, _res, source, *_rest in reader} - translated)
            with self.subTest(addon=addon.name):
                self.assertFalse(missing, f"{len(missing)} terms missing from {addon.name}/i18n/fr.po: {missing[:5]}")
