"""Helpers shared by the playbook tests: the shipped document, lookups, commands, files."""

import copy
from functools import cache
from io import StringIO
from pathlib import Path
from typing import Any

import yaml
from django.core.management import call_command

from civicbridge.playbook.document import SHIPPED, read_yaml

REPO = Path(__file__).resolve().parents[3]
# The source report lives beside the repository, not in it: a fresh clone has no ../shared.
REPORT = REPO.parent / "shared" / "seed" / "civic-tech-and-governments-collaboration-models.txt"
MODELS = ("fellowship", "training", "service_delivery", "event", "consulting", "policy")


@cache
def _shipped() -> dict[str, Any]:
    return read_yaml(SHIPPED.read_text(encoding="utf-8"))


def shipped() -> dict[str, Any]:
    """A fresh copy of the shipped playbook document, safe to change."""
    return copy.deepcopy(_shipped())


def model(document: dict, model_id: str) -> dict:
    return next(m for m in document["models"] if m["id"] == model_id)


def item(document: dict, item_id: str) -> dict:
    """The goal, condition, challenge or mitigation with this id."""
    for m in document["models"]:
        for kind in ("goals", "conditions", "challenges", "mitigations"):
            for found in m[kind]:
                if found["id"] == item_id:
                    return found
    raise KeyError(item_id)


def write_yaml(path: Path, document: Any) -> Path:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(document, Dumper=dumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, "utf-8")
    return path


def run(command: str, *args) -> list[str]:
    """Run a management command; return the lines it printed."""
    out = StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def collapse(text: str) -> str:
    return " ".join(text.split())
