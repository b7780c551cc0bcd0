"""Fixtures every test can use: the personas and a small world they act in."""

import os
from types import SimpleNamespace

import pytest

from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"
PERSONAS = ("civic_lead", "official", "fellow", "outsider", "admin", "anonymous")


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
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
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


@pytest.fixture
def playbook(db):
    """The shipped playbook, loaded as version 1."""
    from civicbridge.playbook.document import SHIPPED, read_yaml
    from civicbridge.playbook.services import save_version

    version, _ = save_version(None, read_yaml(SHIPPED.read_text()), "Loaded for a test")
    return version


@pytest.fixture
def fellowship(world, playbook):
    """A proposed fellowship of the world's civic organisation with its institution,
    starting in 60 days for 180 days."""
    from civicbridge.collaborations.tests.factories import CollaborationFactory

    collaboration = CollaborationFactory.create(
        title="Open data fellowship",
        civic_organisation=world.civic,
        institution=world.institution,
    )
    collaboration.departments.add(world.department)
    return collaboration
