"""The check registry: where the playbook's `check` names meet the code that checks them."""

import sys

import pytest

from civicbridge.playbook import checks

NAME = "test.mou_signed"


@pytest.fixture
def clean_registry():
    """Remove the checks a test registers, whatever happens in it."""
    names = [NAME]
    yield names
    for name in names:
        checks.unregister(name)


def mou_signed(collaboration) -> tuple[bool, str]:
    return collaboration["signed"], "Both sides signed." if collaboration["signed"] else "Unsigned."


def test_registered_check_is_listed_and_runs_on_a_collaboration(clean_registry):
    assert NAME not in checks.registered()
    assert checks.register(NAME)(mou_signed) is mou_signed
    assert NAME in checks.registered()
    assert checks.run(NAME, {"signed": True}) == (True, "Both sides signed.")
    assert checks.run(NAME, {"signed": False}) == (False, "Unsigned.")


def test_registering_another_function_under_a_taken_name_raises(clean_registry):
    checks.register(NAME)(mou_signed)

    def impostor(collaboration) -> tuple[bool, str]:
        return True, "Always fine."

    with pytest.raises(checks.CheckAlreadyRegistered, match=NAME):
        checks.register(NAME)(impostor)
    assert checks.run(NAME, {"signed": False}) == (False, "Unsigned.")


def test_registering_the_same_function_again_is_allowed(clean_registry):
    checks.register(NAME)(mou_signed)
    checks.register(NAME)(mou_signed)  # a module imported twice registers twice
    assert checks.run(NAME, {"signed": True}) == (True, "Both sides signed.")


def test_unregistered_check_is_gone(clean_registry):
    checks.register(NAME)(mou_signed)
    checks.unregister(NAME)
    assert NAME not in checks.registered()
    with pytest.raises(KeyError):
        checks.run(NAME, {"signed": True})


def test_checks_modules_of_installed_apps_are_discovered(settings, monkeypatch, clean_registry):
    """A stand-in app, installed only for this test, provides a `checks` module."""
    app = "civicbridge.playbook.tests.check_app"
    module = f"{app}.checks"
    name = "check_app.always_holds"
    clean_registry.append(name)
    monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setattr(checks, "_discovered", False)
    assert name not in checks.registered()  # not installed: not discovered

    monkeypatch.setattr(checks, "_discovered", False)
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, app]
    try:
        assert name in checks.registered()
        assert checks.run(name, None) == (True, "It always holds.")
    finally:
        sys.modules.pop(module, None)
