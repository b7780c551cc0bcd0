"""Fixtures every test can use: the personas and a small world they act in."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from civicbridge.partners.choices import Access, OrganisationKind
from tests.factories import (
    CollaborationFactory,
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

PERSONAS = ("civic_lead", "official", "fellow", "outsider", "admin", "anonymous")


def settings_for_tests(media_root: Path) -> dict:
    """What every test runs with: tasks at once, files in a scratch folder, a fast hasher."""
    return {
        "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        "MEDIA_ROOT": media_root,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }


def pytest_collection_modifyitems(config, items):
    """Leave out the production test (it installs nginx and starts servers) unless
    CIVICBRIDGE_PRODUCTION_TEST=1; .ci/run sets it in its PostgreSQL pass."""
    if os.environ.get("CIVICBRIDGE_PRODUCTION_TEST") == "1":
        return
    production = [item for item in items if item.get_closest_marker("production")]
    if production:
        config.hook.pytest_deselected(items=production)
        items[:] = [item for item in items if not item.get_closest_marker("production")]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    for name, value in settings_for_tests(tmp_path / "media").items():
        setattr(settings, name, value)
    yield
    cache.clear()


@contextmanager
def loaded_for_module(django_db_blocker, media_root: Path, load) -> Iterator[list]:
    """Run `load` once for a module's tests and yield the e-mail it sent.

    As in a TestCase's setUpTestData: the world is written in a transaction that stays open
    while the module's tests run, each test in a savepoint rolled back after it, and the
    whole transaction is rolled back at the end. Nothing is committed, so the world is the
    same as one loaded inside each test (no on-commit e-mail or task runs).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(**settings_for_tests(media_root)):
            mail.outbox = []
            load()
            sent = list(mail.outbox)
        try:
            yield sent
        finally:
            transaction.set_rollback(True)
            cache.clear()


@pytest.fixture(scope="module")
def demo_workspace(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo workspace, loaded once per module; its value is the e-mail loading sent.

    Tests ask for `db` too (without it pytest-django moves them, and the demo loads again).
    """
    media_root = tmp_path_factory.mktemp("demo") / "media"
    load = partial(call_command, "load_demo", stdout=StringIO())
    with loaded_for_module(django_db_blocker, media_root, load) as sent:
        yield sent


@pytest.fixture
def world(db):
    """A civic organisation and an institution, with one user per persona (see make_world)."""
    return make_world()


def make_world() -> SimpleNamespace:
    """A civic organisation and an institution, with one user per persona.

    civic_lead: admin of the civic organisation; official: admin of the institution;
    fellow: member of the civic organisation, viewer in the institution's department;
    outsider: an account with no organisation; admin: a platform admin.
    """
    civic = OrganisationFactory(name="Code for Testing", kind=OrganisationKind.CIVIC)
    institution = OrganisationFactory(name="Testshire Council", kind=OrganisationKind.GOVERNMENT)
    department = DepartmentFactory(organisation=institution, name="Digital Services")
    other = OrganisationFactory(name="Elsewhere Council", kind=OrganisationKind.GOVERNMENT)
    civic_lead = UserFactory(email="lead@example.org", person__name="Alex Lead")
    official = UserFactory(email="official@example.org", person__name="Sam Official")
    fellow = UserFactory(email="fellow@example.org", person__name="Jo Fellow")
    outsider = UserFactory(email="outsider@example.org", person__name="Out Sider")
    admin = UserFactory(email="admin@example.org", person=None, is_staff=True, is_superuser=True)
    MembershipFactory(person=civic_lead.person, organisation=civic, access=Access.ADMIN)
    MembershipFactory(
        person=official.person, organisation=institution, department=department, access=Access.ADMIN
    )
    MembershipFactory(person=fellow.person, organisation=civic, access=Access.MEMBER)
    MembershipFactory(
        person=fellow.person, organisation=institution, department=department, access=Access.VIEWER
    )
    return SimpleNamespace(
        civic=civic,
        institution=institution,
        department=department,
        other=other,
        civic_lead=civic_lead,
        official=official,
        fellow=fellow,
        outsider=outsider,
        admin=admin,
        anonymous=None,
    )


@pytest.fixture
def client_for(client):
    """Return a test client signed in as a persona's user (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(scope="session")
def _shipped_playbook() -> tuple[str, str]:
    """The shipped playbook as JSON with its content hash, parsed and validated once.

    Parsing and validating the 1,600-line document took most of a second; about a quarter
    of the suite asks for it.
    """
    from civicbridge.playbook import checks
    from civicbridge.playbook.document import problems
    from civicbridge.playbook.services import content_hash
    from civicbridge.playbook.tests.helpers import shipped

    document = shipped()
    assert problems(document, checks.registered()) == []
    return json.dumps(document, ensure_ascii=False), content_hash(document)


@pytest.fixture
def playbook(db, _shipped_playbook):
    """The shipped playbook, loaded as version 1.

    Stored as save_version stores a valid document, without validating it again.
    """
    from civicbridge.playbook.services import store_valid_version

    text, digest = _shipped_playbook
    version, _new = store_valid_version(None, json.loads(text), digest, "Loaded for a test")
    return version


@pytest.fixture
def fellowship(world, playbook):
    """A proposed fellowship of the world's civic organisation with its institution,
    starting in 60 days for 180 days."""
    collaboration = CollaborationFactory.create(
        title="Open data fellowship",
        civic_organisation=world.civic,
        institution=world.institution,
    )
    collaboration.departments.add(world.department)
    return collaboration
