"""Contracts and invoices through the API: the services' rules, money as strings."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicbridge.procurement.models import Contract, Invoice
from civicbridge.procurement.services import contracts, invoices
from tests.factories import PASSWORD

from .contract_helpers import days_ago, draft, service_delivery, sign_both

V1 = "/api/v1"


def post(client, url, data=None):
    return client.post(f"{V1}{url}", data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(f"{V1}{url}", data, content_type="application/json")


@pytest.fixture
def collaboration(world):
    return service_delivery(world)


@pytest.fixture
def signed(world, collaboration):
    return sign_both(world, draft(world, collaboration))


def test_a_contract_from_draft_to_signed(world, collaboration, client_for):
    today = timezone.localdate()
    lead = client_for(world.civic_lead)
    created = post(
        lead,
        f"/collaborations/{collaboration.pk}/contracts",
        {
            "title": "Portal",
            "value": "48000.50",
            "currency": "aud",
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=90)).isoformat(),
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["value"], body["currency"], body["payment_terms_days"]) == ("48000.50", "AUD", 30)
    pk = body["id"]
    changed = patch(lead, f"/contracts/{pk}", {"payment_terms_days": 14})
    assert changed.json()["payment_terms_days"] == 14 and changed.json()["title"] == "Portal"
    terms = lead.get(f"{V1}/contracts/{pk}").json()["terms"]
    assert (
        post(lead, f"/contracts/{pk}/signatures", {"terms": terms, "password": "x"}).status_code
        == 422
    )
    assert (
        post(
            lead, f"/contracts/{pk}/signatures", {"terms": terms, "password": PASSWORD}
        ).status_code
        == 200
    )
    official = client_for(world.official)
    signed = post(official, f"/contracts/{pk}/signatures", {"terms": terms, "password": PASSWORD})
    assert signed.json()["status"] == "active"


def test_money_sent_as_a_number_is_refused(world, signed, client_for):
    response = post(
        client_for(world.civic_lead),
        f"/contracts/{signed.pk}/invoices",
        {
            "number": "INV-1",
            "amount": 100.1,
            "currency": "AUD",
            "issued_on": days_ago(1).isoformat(),
        },
    )
    assert response.status_code == 422
    assert not Invoice.objects.exists()


def test_invoices_with_what_is_owed_and_how_late(world, signed, client_for):
    lead = client_for(world.civic_lead)
    first = post(
        lead,
        f"/contracts/{signed.pk}/invoices",
        {
            "number": "INV-1",
            "amount": "1000.00",
            "currency": "AUD",
            "issued_on": days_ago(40).isoformat(),
        },
    )
    assert first.status_code == 201
    assert first.json()["due_on"] == days_ago(10).isoformat()
    duplicate = post(
        lead,
        f"/contracts/{signed.pk}/invoices",
        {
            "number": "INV-1",
            "amount": "1.00",
            "currency": "AUD",
            "issued_on": days_ago(1).isoformat(),
        },
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["field"] == "number"
    invoice = first.json()["id"]
    official = client_for(world.official)
    paid = post(
        official,
        f"/invoices/{invoice}/payments",
        {"amount": "400.00", "currency": "AUD", "paid_on": days_ago(2).isoformat()},
    )
    assert paid.status_code == 201
    too_much = post(
        official,
        f"/invoices/{invoice}/payments",
        {"amount": "600.01", "currency": "AUD", "paid_on": days_ago(1).isoformat()},
    )
    assert too_much.status_code == 422
    mismatch = post(
        official,
        f"/invoices/{invoice}/payments",
        {"amount": "1.00", "currency": "EUR", "paid_on": days_ago(1).isoformat()},
    )
    assert mismatch.status_code == 422 and "not EUR" in mismatch.json()["detail"]
    listed = official.get(f"{V1}/contracts/{signed.pk}/invoices").json()
    [row] = listed["items"]
    assert (row["paid"], row["outstanding"], row["days_overdue"], row["days_to_pay"]) == (
        "400.00",
        "600.00",
        10,
        None,
    )


def test_invoices_page_by_cursor(world, signed, client_for):
    for number in range(3):
        post(
            client_for(world.civic_lead),
            f"/contracts/{signed.pk}/invoices",
            {
                "number": f"INV-{number}",
                "amount": "1.00",
                "currency": "AUD",
                "issued_on": days_ago(1).isoformat(),
            },
        )
    client = client_for(world.official)
    first = client.get(f"{V1}/contracts/{signed.pk}/invoices?limit=2").json()
    assert len(first["items"]) == 2 and first["next"]
    rest = client.get(f"{V1}/contracts/{signed.pk}/invoices?limit=2&cursor={first['next']}").json()
    assert [i["number"] for i in rest["items"]] == ["INV-2"] and rest["next"] is None


def test_the_supplier_cannot_accept_its_own_deliverable(world, collaboration, client_for):
    contract = draft(world, collaboration)
    item = contracts.add_milestone(
        world.civic_lead, contract, kind="delivery", title="Beta", due_on=timezone.localdate()
    )
    sign_both(world, contract)
    base = f"/contracts/{contract.pk}/milestones/{item.pk}"
    assert post(client_for(world.official), f"{base}/delivery").status_code == 403
    assert post(client_for(world.civic_lead), f"{base}/delivery").status_code == 200
    own = post(client_for(world.civic_lead), f"{base}/acceptance", {"outcome": "met"})
    assert own.status_code == 403 and "own work" in own.json()["detail"]
    short = post(client_for(world.official), f"{base}/acceptance", {"outcome": "notMet"})
    assert short.status_code == 422  # a note says what falls short
    accepted = post(client_for(world.official), f"{base}/acceptance", {"outcome": "met"})
    assert accepted.json()["status"] == "met"


def test_a_variation_through_the_api(world, signed, client_for):
    response = post(
        client_for(world.official),
        f"/contracts/{signed.pk}/variations",
        {"new_value": "150000.00", "reason": "More forms.", "agreed_on": days_ago(0).isoformat()},
    )
    assert response.status_code == 201
    assert (response.json()["old_value"], response.json()["new_value"]) == (
        "100000.00",
        "150000.00",
    )
    assert Contract.objects.get(pk=signed.pk).value == 150000


def test_outsiders_and_the_buyer_see_what_they_should(world, signed, client_for):
    outsider = client_for(world.outsider)
    assert outsider.get(f"{V1}/contracts/{signed.pk}").status_code == 404
    assert outsider.get(f"{V1}/contracts/{signed.pk}/invoices").status_code == 404
    assert (
        client_for(world.official).get(f"{V1}/contracts/{signed.pk}/planned-costs").status_code
        == 403
    )
    assert (
        client_for(world.fellow).get(f"{V1}/contracts/{signed.pk}/planned-costs").status_code == 200
    )


def test_the_invoice_list_reads_a_fixed_number_of_queries(world, signed, client_for):
    client = client_for(world.official)

    def add(numbers) -> None:
        for number in numbers:
            invoices.add_invoice(
                world.civic_lead,
                signed,
                number=f"INV-{number}",
                amount=Decimal("10.00"),
                currency="AUD",
                issued_on=days_ago(5),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{V1}/contracts/{signed.pk}/invoices").status_code == 200
        return len(queries)

    add(range(1))
    once = count()
    add(range(1, 10))
    assert count() == once


def test_the_outcome_of_a_step_through_the_api(world, collaboration, client_for):
    contract = draft(world, collaboration)
    step = contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="preProcurement",
        title="Market sounding",
        due_on=contract.start_date - timedelta(days=40),
    )
    item = contracts.add_milestone(
        world.civic_lead, contract, kind="delivery", title="Beta", due_on=timezone.localdate()
    )
    sign_both(world, contract)
    base = f"/contracts/{contract.pk}/milestones"
    lead = client_for(world.civic_lead)
    undated = post(lead, f"{base}/{step.pk}/outcome", {"status": "met"})
    assert undated.status_code == 422 and undated.json()["errors"][0]["field"] == "met_on"
    ahead = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = post(lead, f"{base}/{step.pk}/outcome", {"status": "met", "met_on": ahead})
    assert future.status_code == 422 and "future" in future.json()["detail"]
    deliverable = post(
        lead, f"{base}/{item.pk}/outcome", {"status": "met", "met_on": days_ago(1).isoformat()}
    )
    assert (
        deliverable.status_code == 422 and "delivered and accepted" in deliverable.json()["detail"]
    )
    outsider = post(
        client_for(world.outsider),
        f"{base}/{step.pk}/outcome",
        {"status": "met", "met_on": days_ago(1).isoformat()},
    )
    assert outsider.status_code == 404
    met = post(
        client_for(world.official),
        f"{base}/{step.pk}/outcome",
        {"status": "met", "met_on": days_ago(220).isoformat()},
    )
    assert met.status_code == 200
    assert (met.json()["status"], met.json()["met_on"]) == ("met", days_ago(220).isoformat())
    assert Contract.objects.get(pk=contract.pk).is_fully_signed()
