"""A request body is read as its description says, and the description says when a valid
request can still be refused."""

import json

import pytest

from civicbridge.api.main import api
from civicbridge.collaborations.models import Agreement, Signature
from civicbridge.core.api.schemas import (
    ERROR_DESCRIPTIONS,
    INVALID_ONLY,
    REFUSED_BY_RULES,
    Body,
)
from tests.factories import PASSWORD

from .helpers import V1, add_obligation, collaboration_url, patch_json, post_json


@pytest.fixture
def lead(world, fellowship, client_for):
    return client_for(world.civic_lead)


@pytest.mark.parametrize("body", [[None, None], [], 0, "title", True])
def test_a_body_that_is_not_an_object_changes_nothing(body, fellowship, lead):
    before = fellowship.title
    sent = json.dumps(body)
    response = lead.patch(collaboration_url(fellowship), sent, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json() == {
        "detail": "The request is not valid: see the errors.",
        "errors": [{"field": None, "message": "Should be an object."}],
    }
    fellowship.refresh_from_db()
    assert fellowship.title == before


@pytest.mark.parametrize("value", [0, 1, "yes", "true", None])
def test_only_true_or_false_is_a_boolean(value, fellowship, lead):
    response = patch_json(lead, collaboration_url(fellowship), {"public": value})
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert error["field"] == "public"
    fellowship.refresh_from_db()
    assert fellowship.public is False


def test_a_number_is_not_text(fellowship, lead):
    response = patch_json(lead, collaboration_url(fellowship), {"title": 5})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "title", "message": "Should be text."}]


def test_a_date_is_an_iso_date_string_and_nothing_else(fellowship, lead):
    url = collaboration_url(fellowship)
    later = fellowship.end_date.replace(year=fellowship.end_date.year + 1)
    for wrong in (0, 1767225600, "tomorrow", "2030-02-30"):
        response = patch_json(lead, url, {"end_date": wrong})
        assert response.status_code == 422, wrong
        assert response.json()["errors"][0]["field"] == "end_date"
    changed = patch_json(lead, url, {"end_date": later.isoformat()})
    assert changed.status_code == 200, changed.content
    assert changed.json()["end_date"] == later.isoformat()


def test_a_wrong_type_is_named_in_a_list_of_ids(world, fellowship, lead):
    response = patch_json(lead, collaboration_url(fellowship), {"departments": ["1"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "departments.0"


def test_every_request_body_is_read_by_its_description():
    """No operation reads a body leniently: each body derives from Body."""

    def routers(router):
        yield router
        for _prefix, child, _tags in router._routers:
            yield from routers(child)

    lenient = []
    every_router = [router for _prefix, top in api._routers for router in routers(top)]
    assert len(every_router) > 8
    for router in every_router:
        for path, operations in router.path_operations.items():
            for operation in operations.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ != "body":
                        continue
                    for field in model.model_fields.values():
                        if not issubclass(field.annotation, Body):
                            lenient.append((path, field.annotation))
    assert lenient == []


def test_signing_a_version_that_moved_on_is_409(world, fellowship, lead):
    add_obligation(world, fellowship)
    version = Agreement.objects.get(collaboration=fellowship).version
    add_obligation(world, fellowship)  # a new version while the lead was reading
    response = post_json(
        lead,
        collaboration_url(fellowship, "/signatures"),
        {"version": version, "password": PASSWORD},
    )
    assert response.status_code == 409, response.content
    assert "version" in response.json()["detail"]
    assert not Signature.objects.exists()


def test_the_description_says_when_409_and_422_come(db, client):
    paths = client.get("/api/openapi.json").json()["paths"]
    transitions = paths[f"{V1}/collaborations/{{collaboration_id}}/transitions"]
    assert transitions["post"]["responses"]["409"]["description"] == ERROR_DESCRIPTIONS[409]
    assert transitions["post"]["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert "409" not in transitions["get"]["responses"]
    # A page of a list matches its description or is refused for not matching it...
    assert transitions["get"]["responses"]["422"]["description"] == INVALID_ONLY
    # ...a change goes through the service's rules, and so do a list's filters.
    change = paths[f"{V1}/collaborations/{{collaboration_id}}"]["patch"]
    assert change["responses"]["422"]["description"] == REFUSED_BY_RULES
    listed = paths[f"{V1}/collaborations"]["get"]
    assert listed["responses"]["422"]["description"] == REFUSED_BY_RULES
    conflicts = sorted(
        f"{method.upper()} {path}"
        for path, item in paths.items()
        for method, operation in item.items()
        if "409" in operation["responses"]
    )
    assert conflicts == [
        f"PATCH {V1}/collaborations/{{collaboration_id}}/shortcomings/{{shortcoming_id}}",
        f"POST {V1}/collaborations/{{collaboration_id}}/credit-statements/{{credit_id}}/approvals",
        f"POST {V1}/collaborations/{{collaboration_id}}/feedback/{{feedback_id}}/answer",
        f"POST {V1}/collaborations/{{collaboration_id}}/feedback/{{feedback_id}}/moderate",
        f"POST {V1}/collaborations/{{collaboration_id}}/shortcomings/{{shortcoming_id}}/status",
        f"POST {V1}/collaborations/{{collaboration_id}}/signatures",
        f"POST {V1}/collaborations/{{collaboration_id}}/transitions",
        f"POST {V1}/collaborations/{{policy_id}}/commitments/{{policy_commitment_id}}/assessments",
        f"POST {V1}/collaborations/{{policy_id}}/policy-changes/{{policy_change_id}}/stages",
        f"POST {V1}/consulting/{{consulting_id}}/deliverables/{{deliverable_id}}/accept",
        f"POST {V1}/consulting/{{consulting_id}}/deliverables/{{deliverable_id}}/changes",
        f"POST {V1}/consulting/{{consulting_id}}/deliverables/{{deliverable_id}}/versions",
        f"POST {V1}/contracts/{{contract_id}}/signatures",
        f"POST {V1}/events/{{event_id}}/challenges/{{challenge_id}}/review",
        f"POST {V1}/events/{{event_id}}/challenges/{{challenge_id}}/submit",
        f"POST {V1}/events/{{event_id}}/registration/close",
        f"POST {V1}/events/{{event_id}}/registration/open",
        f"PUT {V1}/collaborations/{{collaboration_id}}/procurement-plan",
    ]
