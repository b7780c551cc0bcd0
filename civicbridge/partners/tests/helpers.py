"""Helpers shared by the partners tests: run a command, count rows, write a file."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from civicbridge.core.models import AuditEntry
from civicbridge.partners.models import Department, ImportRun, Membership, Organisation, Person

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TASMANIA = DATA_DIR / "tas_local_councillor_popolo.json"
CIVIC_ORGS = DATA_DIR / "civic_orgs.json"


def run(command: str, *args) -> list[str]:
    """Run a management command; return the lines it printed."""
    out, err = StringIO(), StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue().splitlines()


def row_counts() -> dict[str, int]:
    models = (Organisation, Department, Person, Membership, AuditEntry, ImportRun)
    return {model.__name__: model.objects.count() for model in models}


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def tasmania() -> dict:
    return json.loads(TASMANIA.read_text())


def summary(organizations: str, persons: str, memberships: str) -> list[str]:
    return [
        f"organizations: {organizations}",
        f"persons: {persons}",
        f"memberships: {memberships}",
    ]
