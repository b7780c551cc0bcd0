"""An OCDS upload is read as a stream and refused at the first limit it crosses, naming it;
the import runs in the task worker and a refused file changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import ImportRun
from civicbridge.procurement.models import Contract, ImportedRelease
from civicbridge.procurement.ocds.importer import import_ocds
from civicbridge.procurement.ocds.validation import OcdsError
from tests.factories import MembershipFactory, OrganisationFactory

from .ocds_helpers import RELEASE_PACKAGE, example, raw


def refusal(content: bytes) -> list[str]:
    with pytest.raises(OcdsError) as refused:
        import_ocds(None, content)
    assert not Contract.objects.exists() and not ImportedRelease.objects.exists()
    return refused.value.problems


@pytest.mark.django_db
def test_more_releases_than_the_limit_are_refused_naming_it(settings):
    settings.IMPORT_MAX_RECORDS = 5
    package = example(RELEASE_PACKAGE)
    assert len(package["releases"]) == 6
    assert refusal(raw(package)) == ["The file has more than 5 releases."]


@pytest.mark.django_db
def test_millions_of_empty_releases_stop_at_the_limit():
    content = b'{"releases": [' + b",".join([b"{}"] * 1_000_000) + b"]}"
    assert refusal(content) == ["The file has more than 20000 releases."]


@pytest.mark.django_db
def test_deep_nesting_is_refused_naming_the_depth():
    content = b'{"releases": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert refusal(content) == ["The file is nested deeper than 32 levels."]


@pytest.mark.django_db
def test_a_file_larger_than_the_limit_is_refused_while_read(settings):
    settings.FILE_UPLOAD_MAX_SIZE = 1024 * 1024
    content = raw(example(RELEASE_PACKAGE)) + b" " * 1024 * 1024
    assert refusal(content) == ["The file is larger than 1 MB."]


@pytest.mark.django_db
def test_too_many_values_are_refused(settings):
    settings.IMPORT_MAX_VALUES = 100
    assert refusal(raw(example(RELEASE_PACKAGE))) == ["The file holds more than 100 values."]


def test_the_deep_file_uploaded_gives_a_clear_refusal_not_an_error_page(world, client_for):
    barnet = OrganisationFactory(name="London Borough of Barnet", kind=OrganisationKind.GOVERNMENT)
    MembershipFactory(person=world.official.person, organisation=barnet, access=Access.MEMBER)
    content = b"[" * 100_000 + b"]" * 100_000
    response = client_for(world.official).post(
        reverse("procurement:ocds_import"),
        {"file": SimpleUploadedFile("deep.json", content)},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "The file is nested deeper than 32 levels." in response.text
    assert ImportRun.objects.get().status == "failed"
    assert not Contract.objects.exists()
