"""The rules pages, the Procurement tab and the route API: who may do what, and what shows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.procurement.models import Jurisdiction, ProcurementPlan, RouteRule
from civicbridge.procurement.services.routes import plan_timeline

from .route_helpers import SOURCE, choose, country_and_province, rule, service_delivery, step

V1 = "/api/v1"


@pytest.fixture
def collaboration(world, playbook):
    return service_delivery(world, start_in_days=40)


@pytest.fixture
def places(db):
    return country_and_province()


def plan_url(collaboration) -> str:
    return reverse("procurement:plan", args=[collaboration.pk])


def route_form(place, route="direct_award", value="50000.00", currency="aud") -> dict:
    return {
        "route": route,
        "jurisdiction": place.pk if place else "",
        "estimated_value": value,
        "currency": currency,
        "procurement_starts_on": timezone.localdate().isoformat(),
    }


# The Procurement tab


def test_the_tab_shows_the_verdict_the_timeline_and_the_playbooks_advice(
    world, collaboration, places, client_for
):
    country, _province = places
    choose(world, collaboration, country, route="open_tender", value="90000.00")
    response = client_for(world.official).get(plan_url(collaboration))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Open tender is allowed at any value" in page
    assert "Publish the notice" in page and "Evaluate the bids" in page
    assert "cannot be met" in page and "15 days later" in page
    # Every route at this value: a donation shows as blocked before anyone picks it.
    assert "Public bodies may not accept software or services for free" in page
    # The playbook's advice on agile procurement sits beside the choice.
    assert "innovation or challenge-based procurement" in page


def test_a_blocked_choice_on_the_tab_names_the_rule_and_saves_nothing(
    world, collaboration, places, client_for
):
    country, _province = places
    response = client_for(world.civic_lead).post(
        plan_url(collaboration), route_form(country, "donation", "0")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Public bodies may not accept software or services for free" in page
    assert SOURCE in page
    assert not ProcurementPlan.objects.exists()


def test_an_allowed_choice_on_the_tab_is_saved(world, collaboration, places, client_for):
    country, _province = places
    response = client_for(world.official).post(plan_url(collaboration), route_form(country))
    assert response.status_code == 302
    plan = ProcurementPlan.objects.get()
    assert plan.currency == "AUD" and plan.estimated_value == Decimal("50000.00")


def test_a_refused_choice_leaves_the_saved_plan_on_the_page(
    world, collaboration, places, client_for
):
    country, _province = places
    choose(world, collaboration, country, route="open_tender")
    page = client_for(world.civic_lead).post(
        plan_url(collaboration), route_form(country, "donation", "0")
    )
    assert ProcurementPlan.objects.get().route == "open_tender"
    assert page.context["plan"].route == "open_tender"


def test_who_may_see_and_choose_the_route(world, collaboration, places, client_for):
    country, _province = places
    for persona, status in (("outsider", 404), ("admin", 403)):
        response = client_for(getattr(world, persona)).post(
            plan_url(collaboration), route_form(country)
        )
        assert response.status_code == status
    assert client_for(None).post(plan_url(collaboration), route_form(country)).status_code == 302
    assert not ProcurementPlan.objects.exists()
    # A fellowship has no Procurement tab.
    other = client_for(world.civic_lead).get(
        reverse("procurement:plan", args=[1 + collaboration.pk])
    )
    assert other.status_code == 404


def test_a_jurisdiction_that_does_not_exist_is_a_form_error(world, collaboration, client_for):
    response = client_for(world.civic_lead).post(
        plan_url(collaboration), route_form(Jurisdiction(pk=999_999))
    )
    assert response.status_code == 200 and response.context["form"].errors["jurisdiction"]
    assert not ProcurementPlan.objects.exists()


# The rules pages


def test_only_platform_admins_keep_the_rules(world, places, client_for):
    country, _province = places
    data = {"name": "Elsewhere", "code": "elsewhere", "country": "", "notes": ""}
    for persona in ("civic_lead", "official"):
        response = client_for(getattr(world, persona)).post(
            reverse("procurement:jurisdiction_create"), data
        )
        assert response.status_code == 403
    assert not Jurisdiction.objects.filter(code="elsewhere").exists()
    response = client_for(world.admin).post(reverse("procurement:jurisdiction_create"), data)
    assert response.status_code == 302 and Jurisdiction.objects.filter(code="elsewhere").exists()
    response = client_for(world.civic_lead).get(
        reverse("procurement:jurisdiction", args=[country.pk])
    )
    assert response.status_code == 200 and SOURCE in response.content.decode()


def test_a_forbidden_route_has_no_value_limit(world, places, client_for):
    country, _province = places
    response = client_for(world.admin).post(
        reverse("procurement:rule_create", args=[country.pk]),
        {
            "route": "grant",
            "max_value": "100.00",
            "currency": "aud",
            "explanation": "No grants.",
            "source": SOURCE,
            "source_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "no value limit" in response.content.decode()
    assert not RouteRule.objects.filter(route="grant").exists()


def test_a_rule_with_a_limit_needs_its_currency_and_one_rule_per_route(world, places, client_for):
    country, _province = places
    url = reverse("procurement:rule_create", args=[country.pk])
    form = {
        "route": "framework",
        "allowed": "on",
        "max_value": "100.00",
        "currency": "",
        "explanation": "Call-offs up to 100.",
        "source": SOURCE,
        "source_date": "2026-01-01",
    }
    response = client_for(world.admin).post(url, form)
    assert response.status_code == 200 and "needs its currency" in response.content.decode()
    assert client_for(world.admin).post(url, {**form, "currency": "aud"}).status_code == 302
    assert RouteRule.objects.get(route="framework").currency == "AUD"
    duplicate = client_for(world.admin).post(url, {**form, "currency": "AUD"})
    assert duplicate.status_code == 200
    assert RouteRule.objects.filter(route="framework").count() == 1


def test_a_jurisdiction_cannot_be_part_of_a_place_inside_it(world, places, client_for):
    country, province = places
    response = client_for(world.admin).post(
        reverse("procurement:jurisdiction_edit", args=[country.pk]),
        {"name": "Testland", "code": "testland", "parent": province.pk},
    )
    assert response.status_code == 200 and "part of itself" in response.content.decode()
    country.refresh_from_db()
    assert country.parent is None


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_rules_pages_keep_their_queries_as_rules_grow(world, client_for):
    client = client_for(world.civic_lead)
    place = Jurisdiction.objects.create(name="Growland", code="growland")
    routes = ["donation", "pro_bono", "grant", "direct_award", "open_tender"]

    def grow(n: int) -> None:
        start = Jurisdiction.objects.count()
        for i in range(n):
            child = Jurisdiction.objects.create(
                name=f"Part {start + i}", code=f"p{start + i}", parent=place
            )
            rule(child, routes[i % len(routes)])
        for i in range(n):
            step(place, "open_tender", Jurisdiction.objects.count() * 10 + i, f"Step {i}", 5)

    grow(1)
    few_list = queries_for(client, reverse("procurement:jurisdictions"))
    few_detail = queries_for(client, reverse("procurement:jurisdiction", args=[place.pk]))
    grow(10)
    assert queries_for(client, reverse("procurement:jurisdictions")) == few_list
    assert queries_for(client, reverse("procurement:jurisdiction", args=[place.pk])) == few_detail


# The API


def test_the_api_refuses_a_blocked_route_with_409_and_the_rule(
    world, collaboration, places, client_for
):
    country, _province = places
    client = client_for(world.civic_lead)
    url = f"{V1}/collaborations/{collaboration.pk}/procurement-plan"
    body = {**route_form(country, "donation", "0"), "currency": "AUD"}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 409
    assert "Public bodies may not accept" in response.json()["detail"]
    assert SOURCE in response.json()["detail"]
    assert not ProcurementPlan.objects.exists()

    mismatch = client.put(
        url, {**body, "route": "direct_award", "currency": "EUR"}, content_type="application/json"
    )
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["field"] == "currency"

    created = client.put(url, {**body, "route": "open_tender"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["verdict"] == "allowed"
    assert [s["name"] for s in created.json()["timeline"]["steps"]] == [
        "Publish the notice",
        "Evaluate the bids",
    ]
    assert client.get(url).json()["timeline"]["days_short"] == 15
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_api_reads_jurisdictions_with_their_rules(world, places, client_for):
    country, _province = places
    client = client_for(world.fellow)
    listed = client.get(f"{V1}/jurisdictions").json()["items"]
    assert {place["code"] for place in listed} == {"testland", "north"}
    detail = client.get(f"{V1}/jurisdictions/{country.pk}").json()
    assert {rule["route"] for rule in detail["rules"]} == {
        "donation",
        "direct_award",
        "open_tender",
    }
    limits = {rule["route"]: rule["max_value"] for rule in detail["rules"]}
    assert limits["direct_award"] == "50000.00" and limits["open_tender"] is None
    assert len(detail["steps"]) == 2
    assert client_for(None).get(f"{V1}/jurisdictions").status_code == 401


def test_the_planned_start_is_compared_on_the_day_procurement_starts(world, collaboration, places):
    country, _province = places
    early = timezone.localdate() - timedelta(days=30)
    plan = choose(world, collaboration, country, route="open_tender", procurement_starts_on=early)
    assert plan_timeline(plan).days_short == 0
