"""The API's routes: the same rules as the web pages, one error body, documented."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from civicbridge import __version__
from civicbridge.collaborations.models import Agreement, CheckIn, Collaboration, Risk, Signature
from civicbridge.collaborations.services import credit, goals
from civicbridge.collaborations.services.lifecycle import advance
from tests.factories import PASSWORD

from .helpers import V1, add_obligation, collaboration_url, post_json


def test_openapi_description_lists_every_route(db, client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Civic Bridge API"
    assert schema["info"]["version"] == __version__
    assert f"{V1}/collaborations/{{collaboration_id}}/transitions" in schema["paths"]
    for path in schema["paths"].values():
        for operation in path.values():
            assert {"401", "403", "404", "422", "429"} <= operation["responses"].keys()


def test_openapi_description_is_built_once_per_process(db, client, monkeypatch):
    from civicbridge.api import main

    monkeypatch.setattr(main.api, "_openapi_schemas", {})
    built = []
    build = main.CivicBridgeApi.build_openapi_schema

    def counting(self, path_prefix):
        built.append(path_prefix)
        return build(self, path_prefix)

    monkeypatch.setattr(main.CivicBridgeApi, "build_openapi_schema", counting)
    first = client.get("/api/openapi.json")
    assert client.get("/api/docs").status_code == 200
    second = client.get("/api/openapi.json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert built == ["/api/"]


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


def move(client, collaboration, from_stage):
    return post_json(
        client, collaboration_url(collaboration, "/transitions"), {"from_stage": from_stage}
    )


def test_every_4xx_has_the_same_body(world, fellowship, client_for):
    client = client_for(world.outsider)
    for response, status in (
        (client.get(collaboration_url(fellowship)), 404),
        (client.get(f"{V1}/organisations?limit=1000"), 422),
        (move(client_for(world.admin), fellowship, "proposed"), 403),
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
    assert ids(f"?partner_name={world.institution.name[:6]}") == [fellowship.pk]
    assert ids("?partner_name=nobody-by-this-name") == []
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
    assert move(client, fellowship, "proposed").status_code == 403


def test_detail_shows_stage_and_next_gates(world, fellowship, client_for):
    advance(world.civic_lead, fellowship)
    body = client_for(world.official).get(collaboration_url(fellowship)).json()
    assert body["stage"] == "preparing" and body["next_stage"] == "agreed"
    assert body["next_gates"] and {"condition", "passed", "reason", "mitigations"} <= set(
        body["next_gates"][0]
    )


def test_transition_refused_by_a_gate_is_409_with_reasons(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    assert move(client, fellowship, "proposed").status_code == 201
    response = move(client, fellowship, "preparing")
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


def test_transition_history_lists_each_move_with_its_gates(world, fellowship, client_for):
    advance(world.civic_lead, fellowship)
    url = collaboration_url(fellowship, "/transitions")
    body = client_for(world.official).get(url).json()
    [move] = body["items"]
    assert (move["from_stage"], move["to_stage"]) == ("proposed", "preparing")
    assert move["actor_id"] == world.civic_lead.pk and isinstance(move["gate_results"], list)
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401
    assert client_for(world.official).get(f"{url}?limit=0").status_code == 422


def test_add_and_list_goals_as_each_side_may_see_them(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/goals")
    client = client_for(world.civic_lead)
    shared = post_json(client, url, {"kind": "own", "title": "Faster permits"})
    assert shared.status_code == 201, shared.content
    assert shared.json()["owner_organisation_id"] == world.civic.pk
    own = post_json(client, url, {"kind": "own", "title": "Ours", "visibility": "own"})
    assert own.status_code == 201
    assert post_json(client, url, {"kind": "nonsense", "title": "x"}).status_code == 422
    assert len(client.get(url).json()["items"]) == 2
    # The other side sees only the shared goal; strangers nothing; anonymous must sign in.
    listed = client_for(world.official).get(url).json()["items"]
    assert [g["title"] for g in listed] == ["Faster permits"]
    assert client_for(world.outsider).get(url).status_code == 404
    assert post_json(client_for(world.admin), url, {"kind": "own", "title": "x"}).status_code == 403
    assert client_for(None).get(url).status_code == 401


def test_add_an_indicator_to_a_goal(world, fellowship, client_for):
    goal = goals.add_goal(world.civic_lead, fellowship, kind="own", title="Faster permits")
    hidden = goals.add_goal(
        world.official, fellowship, kind="own", title="Theirs", visibility="own"
    )
    url = collaboration_url(fellowship, f"/goals/{goal.pk}/indicators")
    payload = {"name": "Days", "unit": "days", "baseline": "40", "target": "10"}
    response = post_json(client_for(world.fellow), url, payload)
    assert response.status_code == 201, response.content
    assert response.json()["goal_id"] == goal.pk and goal.indicators.count() == 1
    # Only the side that set the goal measures it; a goal the user cannot see is not found.
    assert post_json(client_for(world.official), url, payload).status_code == 403
    assert post_json(client_for(world.outsider), url, payload).status_code == 404
    other = collaboration_url(fellowship, f"/goals/{hidden.pk}/indicators")
    assert post_json(client_for(world.civic_lead), other, payload).status_code == 404
    assert post_json(client_for(world.fellow), url, {"name": "Days"}).status_code == 422
    assert post_json(client_for(None), url, payload).status_code == 401


def test_successors_and_handover_tasks(world, fellowship, client_for):
    successors = collaboration_url(fellowship, "/successors")
    client = client_for(world.official)
    added = post_json(
        client, successors, {"person": world.official.person.pk, "takes_over": "Code"}
    )
    assert added.status_code == 201, added.content
    # A successor is an official of the institution.
    wrong = post_json(client, successors, {"person": world.civic_lead.person.pk})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "person"
    listed = client_for(world.fellow).get(successors).json()["items"]
    assert [s["person_id"] for s in listed] == [world.official.person.pk]

    tasks = collaboration_url(fellowship, "/handover-tasks")
    task = post_json(
        client_for(world.civic_lead),
        tasks,
        {"title": "Move the code", "owner": world.official.person.pk, "due_date": "2030-01-01"},
    )
    assert task.status_code == 201, task.content
    assert post_json(client_for(world.civic_lead), tasks, {"title": ""}).status_code == 422
    [listed_task] = client_for(world.official).get(tasks).json()["items"]
    assert listed_task["done_on"] is None
    done = collaboration_url(fellowship, f"/handover-tasks/{listed_task['id']}/done")
    assert post_json(client_for(world.admin), done).status_code == 403
    assert post_json(client_for(world.outsider), done).status_code == 404
    assert post_json(client_for(None), done).status_code == 401
    marked = post_json(client_for(world.official), done)
    assert marked.status_code == 200 and marked.json()["done_on"] == str(timezone.localdate())
    assert client_for(world.outsider).get(tasks).status_code == 404
    assert client_for(None).get(successors).status_code == 401


def test_draft_list_and_approve_credit_statements(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/credit-statements")
    payload = {"text": "Thanks to Testshire.", "government_contribution": "A team."}
    drafted = post_json(client_for(world.fellow), url, payload)
    assert drafted.status_code == 201, drafted.content
    assert drafted.json()["drafted_by_id"] == world.civic.pk
    assert post_json(client_for(world.fellow), url, {"text": "x"}).status_code == 422
    assert post_json(client_for(world.admin), url, payload).status_code == 403
    [statement] = client_for(world.official).get(url).json()["items"]
    approve = f"{url}/{statement['id']}/approvals"
    # The words changed since the digest was read: nothing is approved.
    stale = post_json(client_for(world.official), approve, {"seen": "0" * 16})
    assert stale.status_code == 409
    seen = {"seen": statement["digest"]}
    # Only an admin of a side approves: the fellow is a member, not an admin.
    assert post_json(client_for(world.fellow), approve, seen).status_code == 403
    assert post_json(client_for(world.outsider), approve, seen).status_code == 404
    assert post_json(client_for(None), approve, seen).status_code == 401
    assert post_json(client_for(world.official), approve, seen).json()["published"] is False
    both = post_json(client_for(world.civic_lead), approve, seen)
    assert both.status_code == 200 and both.json()["published"] is True
    assert client_for(world.outsider).get(url).status_code == 404


def test_ask_for_reforms_and_list_them(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/reforms")
    client = client_for(world.civic_lead)
    asked = post_json(
        client,
        url,
        {"title": "Open the permit data", "champions": [world.official.person.pk]},
    )
    assert asked.status_code == 201, asked.content
    assert asked.json()["champion_ids"] == [world.official.person.pk]
    assert post_json(client, url, {"title": "Ours", "visibility": "own"}).status_code == 201
    # A champion is an official of the institution.
    wrong = post_json(client, url, {"title": "x", "champions": [world.civic_lead.person.pk]})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "champions"
    assert len(client.get(url).json()["items"]) == 2
    listed = client_for(world.official).get(url).json()["items"]
    assert [r["title"] for r in listed] == ["Open the permit data"]
    assert client_for(world.outsider).get(url).status_code == 404
    assert post_json(client_for(world.admin), url, {"title": "x"}).status_code == 403
    assert client_for(None).get(url).status_code == 401


def test_notes_stay_on_their_side_unless_shared(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/notes")
    client = client_for(world.fellow)
    private = post_json(client, url, {"body": "Only for us."})
    assert private.status_code == 201 and private.json()["visibility"] == "own"
    shared = post_json(client, url, {"body": "For both.", "visibility": "both"})
    assert shared.status_code == 201
    # A collaboration's notes are never public.
    assert post_json(client, url, {"body": "x", "visibility": "public"}).status_code == 422
    assert post_json(client, url, {"body": ""}).status_code == 422
    assert len(client_for(world.civic_lead).get(url).json()["items"]) == 2
    assert [n["body"] for n in client_for(world.official).get(url).json()["items"]] == ["For both."]
    assert client_for(world.outsider).get(url).status_code == 404
    assert post_json(client_for(world.admin), url, {"body": "x"}).status_code == 403
    assert client_for(None).get(url).status_code == 401


def test_record_the_placement_and_both_statements(world, fellowship, client_for):
    url = collaboration_url(fellowship, "/placement")
    assert client_for(world.civic_lead).get(url).status_code == 404  # not recorded yet
    payload = {
        "fellow": world.fellow.person.pk,
        "supervisor": world.official.person.pk,
        "host_department": world.department.pk,
        "start_date": str(fellowship.start_date),
        "end_date": str(fellowship.end_date),
    }
    client = client_for(world.civic_lead)
    created = client.put(url, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    changed = client.put(url, payload, content_type="application/json")
    assert changed.status_code == 200
    upside_down = {**payload, "fellow": world.official.person.pk}
    wrong = client.put(url, upside_down, content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "fellow"
    assert (
        client_for(world.admin).put(url, payload, content_type="application/json").status_code
        == 403
    )
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401
    assert client_for(world.official).get(url).json()["supervisor_id"] == world.official.person.pk

    statement = {"text": "I want to make permits simpler."}
    fellow = f"{url}/statements/fellow"
    # The supervisor's side does not write the fellow's statement.
    refused = client_for(world.official).put(fellow, statement, content_type="application/json")
    assert refused.status_code == 403
    own = client_for(world.fellow).put(fellow, statement, content_type="application/json")
    assert own.status_code == 200 and own.json()["fellow_statement"] == statement["text"]
    supervisor = client_for(world.official).put(
        f"{url}/statements/supervisor", statement, content_type="application/json"
    )
    assert supervisor.status_code == 200 and supervisor.json()["supervisor_statement_by_id"]
    nobody = client_for(world.fellow).put(
        f"{url}/statements/mayor", statement, content_type="application/json"
    )
    assert nobody.status_code == 422
    blank = client_for(world.fellow).put(fellow, {"text": ""}, content_type="application/json")
    assert blank.status_code == 422


def test_change_an_obligations_status(world, fellowship, client_for):
    obligation = add_obligation(world, fellowship)
    url = collaboration_url(fellowship, f"/obligations/{obligation.pk}/status")
    done = post_json(client_for(world.official), url, {"status": "done"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["done_on"]
    assert post_json(client_for(world.official), url, {"status": "finished"}).status_code == 422
    assert post_json(client_for(world.admin), url, {"status": "open"}).status_code == 403
    assert post_json(client_for(world.outsider), url, {"status": "open"}).status_code == 404
    assert post_json(client_for(None), url, {"status": "open"}).status_code == 401
    missing = collaboration_url(fellowship, f"/obligations/{obligation.pk + 1000}/status")
    assert post_json(client_for(world.official), missing, {"status": "open"}).status_code == 404


def test_activity_shows_each_side_what_it_may_see(world, fellowship, client_for):
    credit.ask_reform(world.official, fellowship, title="Ours alone", visibility="own")
    credit.ask_reform(world.civic_lead, fellowship, title="Open the permit data")
    url = collaboration_url(fellowship, "/activity")

    def messages(user) -> list[str]:
        return [a["message"] for a in client_for(user).get(url).json()["items"]]

    assert any("Ours alone" in message for message in messages(world.official))
    seen_by_civic = messages(world.civic_lead)
    assert any("Open the permit data" in message for message in seen_by_civic)
    assert not any("Ours alone" in message for message in seen_by_civic)
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401


def test_risks_list_the_gates_that_failed_without_blocking(world, fellowship, client_for):
    Risk.objects.create(
        collaboration=fellowship,
        condition="fellowship.several_contacts",
        statement="More than one contact.",
        reason="One contact only.",
        stage="agreed",
    )
    url = collaboration_url(fellowship, "/risks")
    [risk] = client_for(world.official).get(url).json()["items"]
    assert (risk["condition"], risk["resolved_on"]) == ("fellowship.several_contacts", None)
    assert client_for(world.outsider).get(url).status_code == 404
