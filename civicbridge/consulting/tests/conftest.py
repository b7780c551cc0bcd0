"""A consulting engagement between the world's civic organisation and its institution, and
the files a deliverable's version is sent as."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.collaborations.choices import Model
from civicbridge.consulting import services
from tests.factories import CollaborationFactory

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def consulting(world, playbook):
    """A proposed consulting collaboration of Code for Testing with Testshire Council."""
    return CollaborationFactory.create(
        model=Model.CONSULTING,
        title="Advice on open permits",
        civic_organisation=world.civic,
        institution=world.institution,
    )


@pytest.fixture
def deliverable(consulting, world):
    return services.add_deliverable(
        world.civic_lead,
        consulting,
        title="Permit data review",
        kind="review",
        due_on=date(2030, 1, 31),
    )


def submit(world, deliverable, **changes):
    """The civic lead sends the next version, from the state the deliverable is in."""
    deliverable.refresh_from_db()
    fields = {"from_status": deliverable.status, "file": pdf(), "note": "", **changes}
    return services.submit_version(world.civic_lead, deliverable, **fields)


@pytest.fixture
def submitted(deliverable, world):
    submit(world, deliverable)
    deliverable.refresh_from_db()
    return deliverable


@pytest.fixture
def recommendation(deliverable, world):
    return services.add_recommendation(
        world.civic_lead,
        deliverable.collaboration,
        deliverable=deliverable,
        title="Publish the permit register as open data",
        finding="Permit data is asked for every week and sent by e-mail.",
        priority="high",
        owner=world.official.person,
    )
