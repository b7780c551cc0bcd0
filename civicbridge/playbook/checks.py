"""The check registry: the one place where conditions (data) meet checks (code).

A check is a small function that looks at a live collaboration and says whether one
condition of the playbook holds, and why: `(passed, reason)`. Each model's room registers
its checks here from its own `checks` module (found by autodiscovery):

    from civicbridge.playbook.checks import register

    @register("fellowships.supervisor_statement")
    def supervisor_statement(collaboration) -> tuple[bool, str]:
        ...

The playbook names a check by that name in a condition's `check` key; loading a playbook
that names a check nobody registered is refused.
"""

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import autodiscover_modules

Check = Callable[[Any], tuple[bool, str]]

_registry: dict[str, Check] = {}
_discovered = False


class CheckAlreadyRegistered(Exception):
    pass


def register(name: str) -> Callable[[Check], Check]:
    """Register the decorated function as the check called `name`."""

    def decorator(check: Check) -> Check:
        if name in _registry and _registry[name] is not check:
            raise CheckAlreadyRegistered(f"A check called {name!r} is registered already.")
        _registry[name] = check
        return check

    return decorator


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("checks")
        _discovered = True


def registered() -> frozenset[str]:
    """The names of every registered check."""
    _discover()
    return frozenset(_registry)


def run(name: str, collaboration: Any) -> tuple[bool, str]:
    """Run the check called `name` on `collaboration`."""
    _discover()
    return _registry[name](collaboration)


def unregister(name: str) -> None:
    """Remove a check (for tests that register their own)."""
    _registry.pop(name, None)
