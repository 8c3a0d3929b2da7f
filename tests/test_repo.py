"""Repository checks: every psys addon is complete and of Odoo 18."""

import ast
import pathlib
import re

import polib
import pytest

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.psys_base.tests.common import PsysClock

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
    """DESIGN.md: a door depends on psys_base and Odoo core, never on another
    door; a door's own extension with a core application (Odoo's
    ``<module>_account`` convention: psys_referral_account) on its door only."""
    psys_depends = {dep for dep in _manifest(addon)["depends"] if dep.startswith("psys_")}
    if addon.name == "psys_base":
        assert not psys_depends
    elif addon.name == "psys_referral_account":
        assert psys_depends == {"psys_referral"}, psys_depends
    else:
        assert psys_depends == {"psys_base"}, psys_depends


# Issue 25: one model, one file (per addon), and models/ and wizards/ hold
# models only (demo generators in demo/, plain helpers in tools/).
SPREAD_MODELS = {}
NOT_MODELS = set()


def _model_files(addon):
    """{model name: files of the addon's models/ and wizards/ that define or
    extend it}, and the files there that hold no model."""
    files, empty = {}, []
    for path in sorted([*addon.glob("models/*.py"), *addon.glob("wizards/*.py")]):
        if path.name == "__init__.py":
            continue
        found = False
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {
                statement.targets[0].id: statement.value
                for statement in node.body
                if isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and statement.targets[0].id in ("_name", "_inherit")
            }
            name = attrs.get("_name", attrs.get("_inherit"))
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                files.setdefault(name.value, set()).add(str(path.relative_to(REPO)))
                found = True
        if not found:
            empty.append(str(path.relative_to(REPO)))
    return files, empty


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_one_model_one_file(addon):
    files, empty = _model_files(addon)
    spread = {
        name: sorted(paths)
        for name, paths in files.items()
        if len(paths) > 1 and not paths <= SPREAD_MODELS.get(name, set())
    }
    assert not spread, f"a model in several files of {addon.name}: {spread}"
    assert not set(empty) - NOT_MODELS, f"no model in these files (helpers go to tools/, demo to demo/): {empty}"


# Issue 23: superuser mode lives in the kernel's service methods and the
# controllers that call them, each with its reason. The number of sudo() calls
# per addon may fall, never grow: lower the ceiling when it falls.
SUDO_CEILING = {
    "psys_ateliers": 12,
    "psys_base": 40,
    "psys_permanence": 5,
    "psys_referral": 78,
    "psys_referral_account": 16,
    "psys_reporting": 12,
}


def sudo_calls(addon):
    """``path:line`` of each ``sudo()`` in the addon's code (tests and migrations apart)."""
    return [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted(addon.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "sudo()" in line
    ]


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_sudo_calls_do_not_grow(addon):
    calls = sudo_calls(addon)
    assert len(calls) <= SUDO_CEILING.get(addon.name, 0), (
        f"{addon.name} has {len(calls)} sudo() calls, more than {SUDO_CEILING.get(addon.name, 0)}: "
        "check the caller first and keep superuser mode in the service methods"
    )


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


CLOCK_READS = {"now", "today", "utcnow", "context_today"}


def _test_modules():
    for path in sorted(REPO.glob("psys_*/tests/*.py")) + sorted(REPO.glob("tests/test_*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _is_freeze(node):
    """`freeze_time(...)` / `freezegun.freeze_time(...)`, as a decorator or a `with`."""
    func = node.func if isinstance(node, ast.Call) else node
    return (isinstance(func, ast.Name) and func.id == "freeze_time") or (
        isinstance(func, ast.Attribute) and func.attr == "freeze_time"
    )


def _frozen_classes(modules):
    """Names of the test classes that run on a frozen clock: PsysClock, the
    classes decorated with freeze_time and, by name, whatever inherits them."""
    classes = {node.name: node for _path, tree in modules for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    frozen = {"PsysClock"} | {name for name, node in classes.items() if any(map(_is_freeze, node.decorator_list))}
    grown = True
    while grown:
        grown = False
        for name, node in classes.items():
            bases = {base.id if isinstance(base, ast.Name) else getattr(base, "attr", None) for base in node.bases}
            if name not in frozen and bases & frozen:
                frozen.add(name)
                grown = True
    return frozen


def _clock_reads(node, frozen, inside=False):
    """Yield the calls that read the clock outside a frozen scope."""
    if isinstance(node, ast.ClassDef) and node.name in frozen:
        inside = True
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(map(_is_freeze, node.decorator_list)):
        inside = True
    elif isinstance(node, ast.With) and any(_is_freeze(item.context_expr) for item in node.items):
        inside = True
    elif isinstance(node, ast.Call) and not inside:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in CLOCK_READS:
            yield node
    for child in ast.iter_child_nodes(node):
        yield from _clock_reads(child, frozen, inside)


def _clock_offenders(modules):
    frozen = _frozen_classes(modules)
    offenders = []
    for where, tree in modules:
        for node in ast.walk(tree):
            is_case = isinstance(node, ast.ClassDef) and any(
                isinstance(item, ast.FunctionDef) and item.name.startswith("test_") for item in node.body
            )
            if is_case and node.name not in frozen:
                offenders.append(f"{where}:{node.lineno} class {node.name} does not run on a frozen clock")
        offenders += [f"{where}:{call.lineno} reads the real clock" for call in _clock_reads(tree, frozen)]
    return offenders


def test_tests_own_their_clock():
    """Issue 9: every test class runs on a frozen clock, and no test module
    reads the real clock outside one (a suite must not fail on a calendar date)."""
    modules = [(path.relative_to(REPO), tree) for path, tree in _test_modules()]
    offenders = _clock_offenders(modules)
    assert not offenders, "\n".join(offenders)


def test_the_clock_check_catches_real_clocks():
    source = """
class Base(PsysClock, TransactionCase):
    pass

class TestFrozen(Base):
    def test_a(self):
        return date.today()

class TestLoose(TransactionCase):
    def test_b(self):
        with freeze_time("2027-01-01"):
            fields.Date.today()
        return datetime.now()

@freeze_time("2027-01-01")
def helper():
    return fields.Date.context_today(self)

START = datetime.now()
"""
    offenders = _clock_offenders([("fake.py", ast.parse(source))])
    assert offenders == [
        "fake.py:9 class TestLoose does not run on a frozen clock",
        "fake.py:13 reads the real clock",
        "fake.py:19 reads the real clock",
    ], offenders


@tagged("post_install", "-at_install", "psys_repo")
class TestInstalledAddons(PsysClock, TransactionCase):
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


# Issue 15: manifests declare what the code uses. What an addon names (models
# through self.env[...], _inherit or relational fields; xml ids through ref,
# inherit_id, t-call, groups) must come from the addon or its dependencies.
MODEL_NAMES = re.compile(
    r"""env\[\s*["']([a-z0-9_.]+)["']\s*\]"""
    r"""|_inherit\s*=\s*["']([a-z0-9_.]+)["']"""
    r"""|(?:Many2one|One2many|Many2many)\(\s*["']([a-z0-9_.]+)["']"""
    r"""|comodel_name\s*=\s*["']([a-z0-9_.]+)["']"""
)
INHERIT_LISTS = re.compile(r"_inherit\s*=\s*\[([^\]]*)\]")
XMLID_MODULES = re.compile(
    r"""(?:\bref\(\s*|\b(?:ref|inherit_id|t-call|groups|parent|action)=)["']([a-z0-9_]+)\.[A-Za-z0-9_]"""
)


def _closure(name, seen=None):
    """The module and every module it depends on, from the manifests."""
    seen = set() if seen is None else seen
    if name not in seen:
        seen.add(name)
        for dependency in get_manifest(name).get("depends", []) or ["base"] * (name != "base"):
            _closure(dependency, seen)
        _closure("base", seen)
    return seen


def undeclared_uses(addon_name, sources, model_modules, known_modules):
    """``(what, module, where)`` for each model or xml id that ``sources``
    (``(where, text)`` pairs) name and that neither the addon nor its
    dependencies define. ``model_modules``: {model: modules defining or
    extending it}; ``known_modules``: the module names that exist."""
    closure = _closure(addon_name)
    found = []
    for where, text in sources:
        models = {group for match in MODEL_NAMES.finditer(text) for group in match.groups() if group}
        for match in INHERIT_LISTS.finditer(text):
            models.update(re.findall(r"""["']([a-z0-9_.]+)["']""", match.group(1)))
        for model in sorted(models):
            owners = model_modules.get(model, set())
            # The module that defines it: the owner that needs no other owner.
            definers = {owner for owner in owners if not (_closure(owner) - {owner}) & owners}
            found += [(model, module, where) for module in sorted(definers - closure)]
        for module in sorted((set(XMLID_MODULES.findall(text)) & known_modules) - closure):
            found.append((f"{module}.*", module, where))
    return found


@tagged("post_install", "-at_install", "psys_repo")
class TestManifestsDeclareWhatTheyUse(PsysClock, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model_modules = {
            model.model: set(model.modules.split(", ")) - {""} for model in cls.env["ir.model"].search([])
        }
        cls.known_modules = set(cls.env["ir.module.module"].search([]).mapped("name"))

    def _undeclared(self, addon_name, sources):
        return undeclared_uses(addon_name, sources, self.model_modules, self.known_modules)

    def test_every_addon_depends_on_what_it_uses(self):
        installed = self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        for addon in ADDONS:
            if addon.name not in installed:
                continue
            sources = [
                (str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
                for path in sorted(addon.rglob("*"))
                if path.suffix in (".py", ".xml", ".csv", ".js") and "migrations" not in path.parts
            ]
            with self.subTest(addon=addon.name):
                self.assertEqual(self._undeclared(addon.name, sources), [])

    def test_the_check_catches_an_undeclared_use(self):
        """psys_permanence depends on neither account nor sms: naming their
        models or xml ids is caught; what it depends on is not."""
        self.assertNotIn("account", _closure("psys_permanence"))
        source = """
            moves = self.env["account.move"]
            event = fields.Many2one("calendar.event")
            <field name="x" ref="sms.sms_template_demo"/>
            <field name="y" ref="psys_base.group_psys_reception"/>
        """
        self.assertEqual(
            self._undeclared("psys_permanence", [("fake.py", source)]),
            [("account.move", "account", "fake.py"), ("sms.*", "sms", "fake.py")],
        )
