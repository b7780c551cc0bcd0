"""The official schemas that imports and exports are validated against, loaded offline."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft3Validator, Draft7Validator
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.jsonschema import DRAFT3

SCHEMA_DIR = Path(__file__).parent / "schemas"
POPOLO_BASE = "http://www.popoloproject.com/schemas/"


@cache
def popolo_registry() -> Registry:
    """Every Popolo schema under its canonical URL, so no `$ref` reaches the network."""
    resources = []
    for path in sorted((SCHEMA_DIR / "popolo").glob("*.json")):
        contents = json.loads(path.read_text())
        resources.append((contents["id"], DRAFT3.create_resource(contents)))
    return Registry().with_resources(resources)


@cache
def popolo_validator(name: str) -> Validator:
    """Return a validator for one Popolo type: "organization", "person" or "membership"."""
    schema = popolo_registry().contents(f"{POPOLO_BASE}{name}.json#")
    return Draft3Validator(
        schema, registry=popolo_registry(), format_checker=Draft3Validator.FORMAT_CHECKER
    )


@cache
def civic_orgs_validator() -> Validator:
    schema = json.loads((SCHEMA_DIR / "civic_orgs" / "schema.json").read_text())
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
