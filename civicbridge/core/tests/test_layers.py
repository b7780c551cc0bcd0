"""Imports point one way: an app imports itself and the layers below it, nothing else.

LAYERS is the order, lowest first. The rooms share a layer, so none imports another; they
reach each other, and the layers below reach them, only through registries (checks, tabs,
reminders, close hooks, organisation notices, demo modules). Tests may import anything.
"""

import ast
from pathlib import Path

import civicbridge

LAYERS: list[set[str]] = [
    {"core"},
    {"accounts"},
    {"partners"},
    {"playbook"},
    {"readiness"},
    {"collaborations"},
    # The rooms: none imports another.
    {"fellowships", "procurement", "events", "training", "feedback", "consulting", "policy"},
    {"notifications"},
    {"api"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
ROOT = Path(civicbridge.__file__).parent


def imported_apps(path: Path) -> set[str]:
    """The civicbridge apps that the module at `path` imports, at any depth in it."""
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "civicbridge" and len(parts) > 1 and parts[1] in LEVEL:
                apps.add(parts[1])
    return apps


def application_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) > 1 and parts[0] in LEVEL and not {"tests", "migrations"} & set(parts):
            yield parts[0], path


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LEVEL), "Add the new app to LAYERS in this test"


def test_no_layer_imports_a_higher_one():
    wrong = []
    for app, path in application_modules():
        for imported in imported_apps(path) - {app}:
            if LEVEL[imported] >= LEVEL[app]:
                wrong.append(f"{path.relative_to(ROOT.parent)} imports civicbridge.{imported}")
    assert not wrong, "Imports against the layers:\n" + "\n".join(wrong)


def test_the_check_finds_an_upward_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from civicbridge.api.main import api\n")
    assert imported_apps(module) == {"api"}
