"""The open data page: each published contract's OCDS packages, and what else anyone may
download, in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from civicbridge.procurement.choices import ContractStatus
from civicbridge.procurement.models import Contract
from tests.factories import CollaborationFactory


def contract(world, *, public=True, status=ContractStatus.ACTIVE, title="Permit portal"):
    collaboration = CollaborationFactory.create(
        model="service_delivery",
        civic_organisation=world.civic,
        institution=world.institution,
        public=public,
    )
    return Contract.objects.create(
        collaboration=collaboration,
        supplier=world.civic,
        buyer=world.institution,
        title=title,
        value=Decimal("80000.00"),
        currency="AUD",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 12, 31),
        status=status,
    )


def test_only_published_contracts_are_listed_with_their_packages(world, client):
    shown = contract(world)
    private = contract(world, public=False, title="Private contract")
    pending = contract(world, status=ContractStatus.PENDING, title="Pending contract")
    html = client.get(reverse("procurement:open_data")).content.decode()
    assert shown.title in html and "5 Jan 2026" in html
    assert reverse("procurement:ocds_public_releases", args=[shown.pk]) in html
    assert reverse("procurement:ocds_public_record", args=[shown.pk]) in html
    assert private.title not in html and pending.title not in html
    assert reverse("procurement:register") in html
    assert reverse("api:public_disclosures") in html


@pytest.mark.django_db
def test_with_nothing_published_the_page_says_what_will_appear(client):
    html = client.get(reverse("procurement:open_data")).content.decode()
    assert "No contract is published yet" in html


def test_the_page_runs_the_same_queries_for_30_contracts_as_for_3(
    world, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("procurement:open_data")
    for number in range(3):
        contract(world, title=f"Contract {number}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(3, 30):
        contract(world, title=f"Contract {number}")
    with django_assert_num_queries(len(few)):
        client.get(url)
