"""The API's routes: the same rules as the web pages, one error body, documented."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from civicbridge.collaborations.models import Agreement, CheckIn, Collaboration, Signature
from civicbridge.collaborations.services import agreement, goals
from civicbridge.collaborations.services.lifecycle import advance
from conftest import PASSWORD

V1 = "/api/v1"


def collaboration_url(collaboration, tail: str = "") -> str:
    return f"{V1}/collaborations/{collaboration.pk}{tail}"


def test_openapi_description_lists_every_route(db, client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Civic Bridge API"
    assert schema["info"]["version"] == "1"
    assert f"{V1}/collaborations/{{collaboration_id}}/transitions" in schema["paths"]
    for path in schema["paths"].values():
        for operation in path.values():
            assert {"401", "403", "404", "422", "429"} <= operation["responses"].keys()


def test_docs_page_loads_its_scripts_from_static_under_the_csp(db, client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("/static/ninja/") for src in sources)
    # The only script element without a source is data, which the browser does not run.
    inline = re.findall(r"<script(?![^>]*src=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline)
    assert not re.search(r"https?://", "".join(re.findall(r'(?:src|href)="([^"]+)"', html)))


def test_every_4xx_has_the_same_body(world, fellowship, client_for):
    client = client_for(world.outsider)
    for response, status in (
        (client.get(collaboration_url(fellowship)), 404),
        (client.get(f"{V1}/organisations?limit=1000"), 422),
        (client_for(world.admin).post(collaboration_url(fellowship, "/transitions")), 403),
        (client_for(None).get(f"{V1}/people"), 401),
    ):
        assert response.status_code == status
        body = response.json()
        assert set(body) == {"detail", "errors"} and body["detail"]


def test_field_errors_name_the_field(world, client_for):
    response = client_for(world.civic_lead).post(
        f"{V1}/collaborations",
        {
            "model": "fellowship",
            "title": "Upside down",
            "civic_organisation": world.institution.pk,
            "institution": world.civic.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"civic_organisation", "institution"} <= fields


def test_organisation_filters(world, client_for):
    client = client_for(world.fellow)

    def names(query: str) -> list[str]:
        return [o["name"] for o in client.get(f"{V1}/organisations{query}").json()["items"]]

    assert names("?kind=civic") == ["Code for Testing"]
    assert names("?q=shire") == ["Testshire Council"]
    assert names("?country=nowhere") == []


def test_cursor_pagination_walks_every_row_once(world, client_for):
    client = client_for(world.fellow)
    seen, cursor = [], None
    while True:
        query = "?limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"{V1}/organisations{query}").json()
        seen += [o["id"] for o in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == sorted({world.civic.pk, world.institution.pk, world.other.pk})


def test_collaboration_list_filters_as_the_web_list(world, fellowship, client_for):
    client = client_for(world.civic_lead)

    def ids(query: str) -> list[int]:
        return [c["id"] for c in client.get(f"{V1}/collaborations{query}").json()["items"]]

    assert ids("") == [fellowship.pk]
    assert ids("?stage=proposed&model=fellowship&q=open") == [fellowship.pk]
    assert ids("?stage=active") == []
    assert ids(f"?partner={world.institution.pk}") == [fellowship.pk]
    # A partner the user has no collaboration with is not a choice, as on the web.
    response = client.get(f"{V1}/collaborations?partner={world.other.pk}")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "partner"
    assert client_for(world.outsider).get(f"{V1}/collaborations").json()["items"] == []


def test_create_a_collaboration(world, playbook, client_for):
    response = client_for(world.civic_lead).post(
        f"{V1}/collaborations",
        {
            "model": "fellowship",
            "title": "Permits fellowship",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "departments": [world.department.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = Collaboration.objects.get(pk=response.json()["id"])
    assert created.created_by == world.civic_lead and created.stage == "proposed"
    assert list(created.departments.all()) == [world.department]


def test_platform_admin_reads_but_cannot_write(world, fellowship, client_for):
    client = client_for(world.admin)
    assert client.get(collaboration_url(fellowship)).status_code == 200
    assert client.post(collaboration_url(fellowship, "/transitions")).status_code == 403


def test_detail_shows_stage_and_next_gates(world, fellowship, client_for):
    advance(world.civic_lead, fellowship)
    body = client_for(world.official).get(collaboration_url(fellowship)).json()
    assert body["stage"] == "preparing" and body["next_stage"] == "agreed"
    assert body["next_gates"] and {"condition", "passed", "reason", "mitigations"} <= set(
        body["next_gates"][0]
    )


def test_transition_refused_by_a_gate_is_409_with_reasons(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    assert client.post(collaboration_url(fellowship, "/transitions")).status_code == 201
    response = client.post(collaboration_url(fellowship, "/transitions"))
    assert response.status_code == 409
    body = response.json()
    assert body["errors"] and all(error["reason"] for error in body["errors"])
    assert all("mitigations" in error for error in body["errors"])
    fellowship.refresh_from_db()
    assert fellowship.stage == "preparing"


def test_add_and_list_stakeholders(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    response = client.post(
        collaboration_url(fellowship, "/stakeholders"),
        {"person": world.official.person.pk, "role": "champion"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation_id"] == world.institution.pk
    items = client_for(world.official).get(collaboration_url(fellowship, "/stakeholders")).json()
    assert [s["person_id"] for s in items["items"]] == [world.official.person.pk]
    # The viewer of the institution reads but does not write.
    again = client_for(world.official).post(
        collaboration_url(fellowship, "/stakeholders"),
        {"person": world.official.person.pk, "role": "champion"},
        content_type="application/json",
    )
    assert again.status_code == 422


def add_obligation(world, fellowship):
    return agreement.add_obligation(
        world.civic_lead,
        fellowship,
        party=world.institution,
        description="Provide a desk.",
        owner=world.official.person,
        due_date=date.today() + timedelta(days=30),
    )


def test_add_obligations_and_sign(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    response = client.post(
        collaboration_url(fellowship, "/obligations"),
        {
            "party": world.institution.pk,
            "description": "Provide a desk.",
            "owner": world.official.person.pk,
            "due_date": "2030-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert len(client.get(collaboration_url(fellowship, "/obligations")).json()["items"]) == 1
    version = Agreement.objects.get(collaboration=fellowship).version
    sign = collaboration_url(fellowship, "/signatures")
    wrong = client.post(
        sign, {"version": version, "password": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"
    fellow = client_for(world.fellow).post(
        sign, {"version": version, "password": PASSWORD}, content_type="application/json"
    )
    assert fellow.status_code == 403
    signed = client_for(world.civic_lead).post(
        sign, {"version": version, "password": PASSWORD}, content_type="application/json"
    )
    assert signed.status_code == 201, signed.content
    assert Signature.objects.get().party == world.civic
    assert len(client.get(sign).json()["items"]) == 1


def test_checkins_open_once_agreed(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/checkins")
    start = date.today() - timedelta(days=20)
    payload = {"due_on": str(start + timedelta(days=14)), "workflow": "Going well.", "quality": 4}
    client = client_for(world.fellow)
    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 422
    Collaboration.objects.filter(pk=fellowship.pk).update(stage="active", start_date=start)
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert CheckIn.objects.get().owner_organisation == world.civic
    assert len(client_for(world.official).get(url).json()["items"]) == 1
    # client_for signs the one test client in as someone else: sign the fellow back in.
    own = client_for(world.fellow).post(
        url, {**payload, "visibility": "own"}, content_type="application/json"
    )
    assert own.status_code == 201
    assert client_for(world.official).get(url).json()["items"] == []


def test_report_an_indicator_value(world, fellowship, client_for):
    goal = goals.add_goal(world.civic_lead, fellowship, kind="own", title="Faster permits")
    indicator = goals.add_indicator(
        world.civic_lead, goal, name="Days", baseline=Decimal(40), target=Decimal(10)
    )
    client = client_for(world.fellow)
    listed = client.get(collaboration_url(fellowship, "/indicators")).json()["items"]
    assert [i["id"] for i in listed] == [indicator.pk]
    url = collaboration_url(fellowship, f"/indicators/{indicator.pk}/values")
    response = client.post(
        url, {"period_end": "2026-12-31", "value": "25.5"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["value"]) == Decimal("25.5")
    assert (
        client_for(world.outsider)
        .post(url, {"period_end": "2026-12-31", "value": "1"}, content_type="application/json")
        .status_code
        == 404
    )


def test_url_names_are_namespaced(db):
    assert reverse("api:organisations") == f"{V1}/organisations"


def test_wrong_passwords_when_signing_lock_out_in_the_api_format(world, fellowship, client_for):
    add_obligation(world, fellowship)
    version = Agreement.objects.get(collaboration=fellowship).version
    client = client_for(world.civic_lead)
    sign = collaboration_url(fellowship, "/signatures")
    statuses = [
        client.post(sign, {"version": version, "password": "nope"}, content_type="application/json")
        for _ in range(6)
    ]
    assert [r.status_code for r in statuses] == [422] * 4 + [429] * 2
    assert all(r["Content-Type"].startswith("application/json") for r in statuses)
    assert "wrong passwords" in statuses[-1].json()["detail"]
    right = client.post(
        sign, {"version": version, "password": PASSWORD}, content_type="application/json"
    )
    assert right.status_code == 429  # locked out, as on the sign-in page
