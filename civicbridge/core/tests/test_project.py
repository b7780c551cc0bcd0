"""The project's habits: one version, shown where people and scripts look for it; a
licence; a changelog that `make release` checks before it tags."""

import sys
import tomllib
from pathlib import Path

import pytest
from django.urls import reverse

from civicbridge import __version__

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import release  # noqa: E402


def test_the_licence_is_the_agpl_and_the_package_says_so():
    assert (ROOT / "LICENSE").read_text().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert "version" in project["dynamic"]
    for name in ("SECURITY.md", "CONTRIBUTING.md", "CHANGELOG.md"):
        assert (ROOT / name).is_file(), name


def test_the_footer_names_the_version(db, client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f"Civic Bridge {__version__} is open-source software" in page


def test_the_api_description_names_the_version(db, client):
    assert client.get("/api/openapi.json").json()["info"]["version"] == __version__


def test_the_shipped_changelog_may_release_this_version():
    assert release.problems(__version__, (ROOT / "CHANGELOG.md").read_text()) == []


CHANGELOG = """# Changelog

## [Unreleased]

## [1.2.0] - 2026-12-01

### Added
- Something.

## [1.1.0] - 2026-11-01
"""


@pytest.mark.parametrize(
    ("version", "changelog", "problem"),
    [
        ("1.2", CHANGELOG, "is not MAJOR.MINOR.PATCH"),
        ("1.3.0", CHANGELOG, "has no section"),
        ("1.2.0", CHANGELOG.replace(" - 2026-12-01", ""), "has no date"),
        ("1.2.0", CHANGELOG.replace(" - 2026-12-01", " - soon"), "has no date"),
        ("1.1.0", CHANGELOG, "lists no change"),
    ],
)
def test_a_release_is_refused_until_the_changelog_says_what_it_holds(version, changelog, problem):
    [found] = release.problems(version, changelog)
    assert problem in found
    assert release.problems("1.2.0", CHANGELOG) == []
