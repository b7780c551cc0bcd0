"""Keeping the rules of jurisdictions, and the register's recusals, through the API: the
forms and services of the web pages, for the same people."""

from datetime import date

import pytest

from civicbridge.procurement.models import Jurisdiction, Recusal, RouteRule, StatutoryStep
from civicbridge.procurement.services import conflicts

from .route_helpers import SOURCE, country_and_province

V1 = "/api/v1"


def send(client, method: str, url: str, data: dict):
    return getattr(client, method)(f"{V1}{url}", data, content_type="application/json")


@pytest.fixture
def places(db):
    return country_and_province()


def rule_body(**fields) -> dict:
    return {
        "route": "framework",
        "allowed": True,
        "max_value": "100.00",
        "currency": "aud",
        "explanation": "Call-offs up to 100.",
        "source": SOURCE,
        "source_date": "2026-01-01",
        **fields,
    }


def step_body(**fields) -> dict:
    return {
        "route": "open_tender",
        "order": 3,
        "name": "Award",
        "minimum_days": 10,
        "source": SOURCE,
        "source_date": "2026-01-01",
        **fields,
    }


def test_platform_admins_add_and_change_a_jurisdiction(world, places, client_for):
    country, province = places
    admin = client_for(world.admin)
    created = send(admin, "post", "/jurisdictions", {"name": "West", "code": "west"})
    assert created.status_code == 201, created.json()
    place = Jurisdiction.objects.get(pk=created.json()["id"])
    changed = send(admin, "patch", f"/jurisdictions/{place.pk}", {"parent": country.pk})
    assert changed.status_code == 200
    assert (changed.json()["parent_id"], changed.json()["code"]) == (country.pk, "west")

    inside = send(admin, "patch", f"/jurisdictions/{country.pk}", {"parent": province.pk})
    assert inside.status_code == 422 and "part of itself" in inside.json()["detail"]
    duplicate = send(admin, "post", "/jurisdictions", {"name": "Again", "code": "west"})
    assert duplicate.status_code == 422 and duplicate.json()["errors"][0]["field"] == "code"
    assert send(admin, "post", "/jurisdictions", {"name": "", "code": "x y"}).status_code == 422
    assert send(admin, "patch", "/jurisdictions/999999", {"name": "Gone"}).status_code == 404
    country.refresh_from_db()
    assert country.parent is None and Jurisdiction.objects.count() == 3


@pytest.mark.parametrize("persona", ["civic_lead", "official", "outsider"])
def test_only_platform_admins_keep_jurisdictions(world, places, client_for, persona):
    country, _province = places
    client = client_for(getattr(world, persona))
    assert send(client, "post", "/jurisdictions", {"name": "W", "code": "w"}).status_code == 403
    patched = send(client, "patch", f"/jurisdictions/{country.pk}", {"name": "Mine"})
    assert patched.status_code == 403
    assert (
        send(client, "post", f"/jurisdictions/{country.pk}/rules", rule_body()).status_code == 403
    )
    assert (
        send(client, "post", f"/jurisdictions/{country.pk}/steps", step_body()).status_code == 403
    )
    country.refresh_from_db()
    assert country.name == "Testland" and Jurisdiction.objects.count() == 2
    assert not RouteRule.objects.filter(route="framework").exists()
    anonymous = send(client_for(None), "post", "/jurisdictions", {"name": "W", "code": "w"})
    assert anonymous.status_code == 401


def test_platform_admins_add_and_change_a_route_rule(world, places, client_for):
    country, province = places
    admin = client_for(world.admin)
    created = send(admin, "post", f"/jurisdictions/{country.pk}/rules", rule_body())
    assert created.status_code == 201, created.json()
    assert (created.json()["max_value"], created.json()["currency"]) == ("100.00", "AUD")
    url = f"/jurisdictions/{country.pk}/rules/{created.json()['id']}"
    changed = send(admin, "patch", url, {"max_value": "250.00"})
    assert changed.status_code == 200
    assert changed.json()["max_value"] == "250.00" and changed.json()["source"] == SOURCE

    # The rules of the web form and the service: no limit on a forbidden route, one rule a route.
    forbidden = send(admin, "patch", url, {"allowed": False})
    assert forbidden.status_code == 422 and "no value limit" in forbidden.json()["detail"]
    again = send(admin, "post", f"/jurisdictions/{country.pk}/rules", rule_body())
    assert again.status_code == 422
    no_currency = send(admin, "post", f"/jurisdictions/{province.pk}/rules", rule_body(currency=""))
    assert no_currency.status_code == 422
    bad = send(admin, "post", f"/jurisdictions/{country.pk}/rules", rule_body(route="bribe"))
    assert bad.status_code == 422
    rule = RouteRule.objects.get(route="framework")
    assert (rule.allowed, str(rule.max_value)) == (True, "250.00")
    assert not province.route_rules.filter(route="framework").exists()
    elsewhere = f"/jurisdictions/{province.pk}/rules/{rule.pk}"
    assert send(admin, "patch", elsewhere, {"max_value": "1.00"}).status_code == 404
    assert (
        send(client_for(world.civic_lead), "patch", url, {"max_value": "1.00"}).status_code == 403
    )


def test_platform_admins_add_and_change_a_statutory_step(world, places, client_for):
    country, province = places
    admin = client_for(world.admin)
    created = send(admin, "post", f"/jurisdictions/{country.pk}/steps", step_body())
    assert created.status_code == 201, created.json()
    url = f"/jurisdictions/{country.pk}/steps/{created.json()['id']}"
    changed = send(admin, "patch", url, {"minimum_days": 14})
    assert changed.status_code == 200
    assert (changed.json()["minimum_days"], changed.json()["name"]) == (14, "Award")

    taken = send(admin, "patch", url, {"order": 1})  # the notice is step 1 of the route
    assert taken.status_code == 422
    negative = send(admin, "post", f"/jurisdictions/{country.pk}/steps", step_body(order=-1))
    assert negative.status_code == 422
    step = StatutoryStep.objects.get(name="Award")
    assert (step.order, step.minimum_days) == (3, 14)
    assert send(
        admin, "patch", f"/jurisdictions/{province.pk}/steps/{step.pk}", {}
    ).status_code == (404)
    assert send(client_for(world.official), "patch", url, {"name": "Mine"}).status_code == 403


@pytest.fixture
def recusal(world):
    disclosure = conflicts.add_disclosure(
        world.civic_lead,
        world.civic,
        institution=world.institution,
        roles=["watchdog"],
        mission_discussion="Discussed.",
        outcome="Decided.",
        discussed_on=date(2026, 1, 5),
    )
    return conflicts.add_recusal(
        world.civic_lead, disclosure, person=world.fellow.person, stands_aside_from="Reports."
    )


def recusal_url(organisation_id: int, disclosure_id: int, recusal_id: int) -> str:
    return f"{V1}/organisations/{organisation_id}/disclosures/{disclosure_id}/recusals/{recusal_id}"


def test_the_organisations_admins_remove_a_recusal(world, recusal, client_for):
    url = recusal_url(world.civic.pk, recusal.disclosure_id, recusal.pk)
    for persona in ("official", "fellow", "outsider"):
        assert client_for(getattr(world, persona)).delete(url).status_code == 403
    assert client_for(None).delete(url).status_code == 401
    lead = client_for(world.civic_lead)
    assert lead.delete(recusal_url(world.civic.pk, recusal.disclosure_id, 999999)).status_code == (
        404
    )
    assert Recusal.objects.filter(pk=recusal.pk).exists()
    assert lead.delete(url).status_code == 204
    assert not Recusal.objects.filter(pk=recusal.pk).exists()
    assert lead.delete(url).status_code == 404
