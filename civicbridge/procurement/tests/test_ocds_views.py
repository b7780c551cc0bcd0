"""OCDS pages (S8): both sides download a contract's packages, anyone the published ones;
editors import a file on the upload page, which lists every problem and saves nothing."""

import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.models import Collaboration
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.procurement.models import Contract, ImportedRelease, Payment
from civicbridge.procurement.ocds import validation
from tests.factories import MembershipFactory, OrganisationFactory

from .contract_helpers import draft, service_delivery, sign_both
from .ocds_helpers import RECORD_PACKAGE, RELEASE_PACKAGE, example, raw

UPLOAD = reverse("procurement:ocds_import")


@pytest.fixture
def contract(world):
    return sign_both(world, draft(world, service_delivery(world)))


def valid(response, schema: str) -> dict:
    package = json.loads(response.content)
    assert list(validation.validator(schema).iter_errors(package)) == []
    return package


def test_both_sides_download_the_packages(world, contract, client_for):
    url = reverse("procurement:ocds_releases", args=[contract.pk])
    for persona in (world.civic_lead, world.official):
        response = client_for(persona).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == (
            f'attachment; filename="ocds-civicb-{contract.pk}-release-package.json"'
        )
        assert valid(response, validation.RELEASE_PACKAGE)["releases"][0]["ocid"] == (
            f"ocds-civicb-{contract.pk}"
        )
    record = client_for(world.official).get(reverse("procurement:ocds_record", args=[contract.pk]))
    assert valid(record, validation.RECORD_PACKAGE)["records"][0]["compiledRelease"]
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_anyone_downloads_a_contract_in_force_of_a_public_collaboration(
    world, contract, client_for
):
    url = reverse("procurement:ocds_public_record", args=[contract.pk])
    assert client_for(None).get(url).status_code == 404  # the collaboration is not public
    Collaboration.objects.filter(pk=contract.collaboration_id).update(public=True)
    response = client_for(None).get(url)
    assert response.status_code == 200
    package = valid(response, validation.RECORD_PACKAGE)
    assert package["uri"].endswith(url)
    releases = client_for(None).get(reverse("procurement:ocds_public_releases", args=[contract.pk]))
    assert valid(releases, validation.RELEASE_PACKAGE)["uri"].endswith(
        reverse("procurement:ocds_public_releases", args=[contract.pk])
    )


def test_a_draft_of_a_public_collaboration_is_not_published(world, client_for):
    pending = draft(world, service_delivery(world, public=True))
    url = reverse("procurement:ocds_public_releases", args=[pending.pk])
    assert client_for(None).get(url).status_code == 404


def test_a_contract_the_schema_refuses_says_why_instead_of_downloading(world, contract, client_for):
    Contract.objects.filter(pk=contract.pk).update(currency="XBT")
    response = client_for(world.civic_lead).get(
        reverse("procurement:ocds_releases", args=[contract.pk])
    )
    assert response.status_code == 422
    assert b"is not one of the codes the standard allows here" in response.content
    assert b"awards[0].value.currency" in response.content


def test_the_api_gives_the_same_packages(world, contract, client_for):
    _token, secret = create_token(world.official, name="OCDS", scope="read")
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/contracts/{contract.pk}/ocds/releases"
    response = client_for(None).get(url, headers=headers)
    assert response.status_code == 200
    web = client_for(world.official).get(reverse("procurement:ocds_releases", args=[contract.pk]))
    assert response.content == web.content
    record = client_for(None).get(f"/api/v1/contracts/{contract.pk}/ocds/record", headers=headers)
    assert (
        valid(record, validation.RECORD_PACKAGE)["records"][0]["ocid"]
        == f"ocds-civicb-{contract.pk}"
    )
    _token, other = create_token(world.outsider, name="OCDS", scope="read")
    refused = client_for(None).get(url, headers={"Authorization": f"Bearer {other}"})
    assert refused.status_code == 404
    assert client_for(None).get(url).status_code == 401


def test_the_api_refuses_a_contract_the_schema_refuses(world, contract, client_for):
    Contract.objects.filter(pk=contract.pk).update(currency="XBT")
    response = client_for(world.civic_lead).get(f"/api/v1/contracts/{contract.pk}/ocds/releases")
    assert response.status_code == 422
    assert "awards[0].value.currency" in response.json()["detail"]


def test_the_contract_tab_links_the_downloads(world, contract, client_for):
    response = client_for(world.civic_lead).get(
        reverse("procurement:contract", args=[contract.collaboration_id])
    )
    assert reverse("procurement:ocds_releases", args=[contract.pk]) in response.content.decode()
    assert reverse("procurement:ocds_import") in response.content.decode()


# The upload page


@pytest.fixture
def barnet_official(world):
    """The world's official is also an editor of the example's buyer."""
    barnet = OrganisationFactory(name="London Borough of Barnet", kind=OrganisationKind.GOVERNMENT)
    MembershipFactory(person=world.official.person, organisation=barnet, access=Access.MEMBER)
    return world.official


def upload(client, content: bytes, name: str = "package.json"):
    """Send the file and follow to its import's page (the tests' worker runs at once)."""
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_editors_of_an_organisation_may_open_the_upload_page(world, client_for):
    assert client_for(world.fellow).get(UPLOAD).status_code == 200
    assert client_for(world.outsider).get(UPLOAD).status_code == 403
    assert client_for(world.admin).get(UPLOAD).status_code == 403  # admins write for no side
    assert client_for(None).get(UPLOAD).status_code == 302


def test_an_editor_of_the_buyer_imports_the_example(world, barnet_official, client_for):
    response = upload(client_for(barnet_official), raw(example(RECORD_PACKAGE)))
    assert response.status_code == 200
    assert re.search(r"/imports/\d+/$", response.redirect_chain[-1][0])
    page = response.content.decode()
    assert "Imported" in page
    assert "Created the contract “Contract to build new cycle lanes in the centre of town.”" in page
    assert "with 2 milestones and 2 payments" in page and "Not imported" not in page
    contract = Contract.objects.get(ocid="ocds-213czf-000-00001")
    assert contract.created_by == barnet_official
    assert contract.milestones.count() == 2
    assert reverse("collaborations:list") in page
    assert Payment.objects.count() == 2
    again = upload(client_for(barnet_official), raw(example(RELEASE_PACKAGE)))
    assert (
        "Already imported: “ocds-213czf-000-00001”, 6 releases; nothing changed."
        in again.content.decode()
    )
    assert Contract.objects.count() == 1


def test_an_editor_of_neither_party_is_refused(world, client_for):
    response = upload(client_for(world.civic_lead), raw(example(RECORD_PACKAGE)))
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "you can import only contracts of an organisation you are an editor or admin of" in page
    assert not Contract.objects.exists()


def test_an_invalid_file_lists_each_problem_with_its_release_and_path(
    world, barnet_official, client_for
):
    package = example(RELEASE_PACKAGE)
    package["releases"][4]["contracts"][0]["value"]["amount"] = "eleven million"
    package["releases"][5]["date"] = "2011-13-10T09:30:00Z"
    page = upload(client_for(barnet_official), raw(package)).content.decode()
    assert "Nothing was imported" in page
    assert (
        "Release “ocds-213czf-000-00001-05-contract” of “ocds-213czf-000-00001”, at releases[4].contracts[0].value.amount"
        in page
    )
    assert "at releases[5].date: should be a date and time" in page
    assert not Contract.objects.exists() and not ImportedRelease.objects.exists()


def test_the_upload_is_json_and_no_larger_than_the_limit(
    world, barnet_official, client_for, settings
):
    client = client_for(barnet_official)
    page = upload(client, raw(example(RECORD_PACKAGE)), name="package.xml").content.decode()
    assert "Choose a .json file" in page
    settings.FILE_UPLOAD_MAX_SIZE = 1024 * 1024
    big = b" " * (1024 * 1024) + raw(example(RECORD_PACKAGE))
    page = upload(client, big).content.decode()
    assert "The file is larger than 1 MB." in page
    not_json = upload(client, b"<xml/>").content.decode()
    assert "The file is not valid JSON" in not_json
    assert not Contract.objects.exists()


def test_the_upload_page_says_what_an_ocds_file_is(world, client_for):
    page = client_for(world.civic_lead).get(UPLOAD).content.decode()
    assert "release package or a record package" in page
    assert 'enctype="multipart/form-data"' in page


def test_amounts_in_an_upload_stay_exact(world, barnet_official, client_for):
    package = example(RELEASE_PACKAGE)
    work = package["releases"][5]["contracts"][0]["implementation"]["transactions"]
    work[0]["value"]["amount"] = 0.1
    work[1]["value"]["amount"] = 0.2
    upload(client_for(barnet_official), raw(package))
    paid = sorted(Payment.objects.values_list("amount", flat=True))
    assert paid == [Decimal("0.10"), Decimal("0.20")] and sum(paid) == Decimal("0.30")


API_IMPORT = "/api/v1/imports/ocds"


def api_upload(client, content: bytes, name: str = "package.json"):
    return client.post(API_IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_the_api_imports_as_the_upload_page_does(world, barnet_official, client_for):
    client = client_for(barnet_official)
    response = api_upload(client, raw(example(RECORD_PACKAGE)))
    assert response.status_code == 202
    queued = response.json()
    assert queued["page"] == reverse("partners:import_run", args=[queued["id"]])
    run = client.get(queued["url"]).json()
    assert run["status"] == "done" and run["kind"] == "ocds"
    contract = Contract.objects.get(ocid="ocds-213czf-000-00001")
    assert any("Created the contract" in line for line in run["summary"])
    assert contract.milestones.count() == 2 and Payment.objects.count() == 2
    again = client.get(api_upload(client, raw(example(RELEASE_PACKAGE))).json()["url"]).json()
    assert "Already imported" in again["summary"][0]
    assert Contract.objects.count() == 1
    # An import is followed by whoever started it, and platform admins.
    assert client_for(world.civic_lead).get(queued["url"]).status_code == 403
    assert client_for(world.admin).get(queued["url"]).status_code == 200


def test_the_api_refuses_a_bad_file_whole_and_strangers(world, barnet_official, client_for):
    package = example(RELEASE_PACKAGE)
    package["releases"][4]["contracts"][0]["value"]["amount"] = "eleven million"
    client = client_for(barnet_official)
    queued = api_upload(client, raw(package))
    assert queued.status_code == 202
    refused = client.get(queued.json()["url"]).json()
    assert refused["status"] == "failed"
    assert "releases[4].contracts[0].value.amount" in refused["errors"][0]
    not_json = api_upload(client_for(barnet_official), b"<xml/>", name="package.xml")
    assert not_json.status_code == 422 and not_json.json()["errors"][0]["field"] == "file"
    assert api_upload(client_for(world.outsider), raw(package)).status_code == 403
    assert api_upload(client_for(None), raw(package)).status_code == 401
    assert not Contract.objects.exists()
