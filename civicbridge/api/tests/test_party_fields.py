"""No API body replaces a side: every field of a writable schema that names an owner or a
party is tried with an organisation or a person from outside, and the server refuses it
or leaves the record as it was (X1).

The fields are found by name in every `*In` and `*Change` schema, so a new schema with
such a field fails `test_every_party_field_has_a_scenario` until someone writes how it is
tried here (or says why it names no side).
"""

import importlib
import inspect
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from ninja import Schema

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import agreement
from civicbridge.core.api.schemas import ChangeRefusingFixed
from civicbridge.partners.choices import OrganisationKind
from tests.factories import OrganisationFactory

V1 = "/api/v1"
ROOT = Path(__file__).resolve().parents[2]
# `assessment` too: the assessment a collaboration starts from is fixed like its parties, and
# one the proposer may not see must not be named.
PARTY_FIELD = re.compile(
    r"organisation|institution|party|owner|supplier|buyer|organiser|assessment"
)
SCALARS = (bool, str)


def writable_schemas() -> dict[str, type[Schema]]:
    """Every `*In` and `*Change` body of every app's API, by name."""
    modules = [*ROOT.glob("*/api/schemas.py"), *ROOT.glob("*/api.py")]
    found: dict[str, type[Schema]] = {}
    for path in sorted(modules):
        name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        for attribute, value in vars(importlib.import_module(name)).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Schema)
                and value.__module__ == name
                and re.search(r"(In|Change)$", attribute)
            ):
                found[attribute] = value
    return found


def party_fields() -> list[tuple[str, str]]:
    """(schema, field) for each field naming an organisation or a person that owns or is a
    party: an id or a list of ids, not a flag or a text. A change schema's refused fields
    count too, so dropping one from `fixed` is caught."""
    pairs = []
    for schema_name, schema in writable_schemas().items():
        for field, info in schema.model_fields.items():
            if PARTY_FIELD.search(field) and info.annotation not in SCALARS:
                pairs.append((schema_name, field))
        if issubclass(schema, ChangeRefusingFixed):
            pairs += [(schema_name, f) for f in schema.fixed if PARTY_FIELD.search(f)]
    return sorted(set(pairs))


def refused(response) -> bool:
    return 400 <= response.status_code < 500


def send(client, method: str, url: str, body: dict):
    return getattr(client, method)(url, body, content_type="application/json")


# The scenarios: each sends a body that names an outsider in the field, as a member of a
# side would, and checks the server refused it or changed nothing.


def _stranger_civic():
    return OrganisationFactory.create(kind=OrganisationKind.CIVIC, name="Stranger Collective")


def obligation_in(world, fellowship, client_for, field):
    outsider = {"party": world.other.pk, "owner": world.outsider.person.pk}[field]
    body = {
        "party": world.institution.pk,
        "description": "Provide a desk.",
        "owner": world.official.person.pk,
        "due_date": str(timezone.localdate() + timedelta(days=30)),
        field: outsider,
    }
    url = f"{V1}/collaborations/{fellowship.pk}/obligations"
    assert refused(send(client_for(world.civic_lead), "post", url, body))


def obligation_change(world, fellowship, client_for, field):
    obligation = agreement.add_obligation(
        world.civic_lead,
        fellowship,
        party=world.institution,
        description="Provide a desk.",
        owner=world.official.person,
        due_date=timezone.localdate() + timedelta(days=30),
    )
    outsider = {"party": world.other.pk, "owner": world.outsider.person.pk}[field]
    url = f"{V1}/collaborations/{fellowship.pk}/obligations/{obligation.pk}"
    response = send(client_for(world.civic_lead), "patch", url, {field: outsider})
    obligation.refresh_from_db()
    assert refused(response) or getattr(obligation, f"{field}_id") != outsider
    assert (obligation.party_id, obligation.owner_id) == (
        world.institution.pk,
        world.official.person.pk,
    )


def _hidden_assessment(world):
    """A finished assessment of the institution that the civic side may not see."""
    from datetime import date

    from civicbridge.readiness import services

    assessment = services.start_assessment(
        world.official,
        world.institution,
        title="Kept to ourselves",
        institution=world.institution,
        country="Australia",
        assessed_on=date(2026, 11, 1),
        visibility="own",
    )
    questions = assessment.playbook_version.content["questions"]
    services.save_answers(world.official, assessment, {q["id"]: 1 for q in questions})
    return services.complete_assessment(world.official, assessment)


def collaboration_in(world, fellowship, client_for, field):
    if field == "assessment":
        # Parties of its own, and an assessment the proposer may not see.
        body = {
            "model": "fellowship",
            "title": "From a hidden assessment",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "assessment": _hidden_assessment(world).pk,
        }
        before = Collaboration.objects.count()
        assert refused(send(client_for(world.civic_lead), "post", f"{V1}/collaborations", body))
        assert Collaboration.objects.count() == before
        return
    # A proposal names its parties, and the proposer must act for one of them.
    body = {
        "model": "fellowship",
        "title": "Taken over",
        "civic_organisation": _stranger_civic().pk,
        "institution": world.other.pk,
    }
    before = Collaboration.objects.count()
    assert refused(send(client_for(world.civic_lead), "post", f"{V1}/collaborations", body))
    assert Collaboration.objects.count() == before


def collaboration_change(world, fellowship, client_for, field):
    outsider = {
        "civic_organisation": _stranger_civic().pk,
        "institution": world.other.pk,
        "assessment": _hidden_assessment(world).pk if field == "assessment" else None,
    }[field]
    url = f"{V1}/collaborations/{fellowship.pk}"
    assert refused(send(client_for(world.civic_lead), "patch", url, {field: outsider}))
    stored = Collaboration.objects.get(pk=fellowship.pk)
    assert stored.party_ids == (world.civic.pk, world.institution.pk)
    assert stored.assessment_id is None


def handover_task_in(world, fellowship, client_for, field):
    url = f"{V1}/collaborations/{fellowship.pk}/handover-tasks"
    body = {"title": "Document the tool", "owner": world.outsider.person.pk}
    assert refused(send(client_for(world.civic_lead), "post", url, body))


def stakeholder_in(world, fellowship, client_for, field):
    url = f"{V1}/collaborations/{fellowship.pk}/stakeholders"
    body = {"person": world.official.person.pk, "role": "champion", "organisation": world.other.pk}
    assert refused(send(client_for(world.civic_lead), "post", url, body))


def _event(world):
    from civicbridge.events.tests.eventdata import make_event

    return make_event(world, partners=[])


def event_in(world, fellowship, client_for, field):
    today = timezone.localdate()
    body = {
        "title": "Hack",
        "kind": "hackathon",
        "civic_organisation": world.civic.pk,
        "institution": world.institution.pk,
        "start_date": str(today + timedelta(days=30)),
        "end_date": str(today + timedelta(days=31)),
        "venue": "Town hall",
    }
    body[field] = {
        # An event is organised by a civic organisation the creator belongs to ...
        "civic_organisation": _stranger_civic().pk,
        # ... with a government body as institution, and other ones as partners.
        "institution": world.civic.pk,
        "partner_institutions": [world.institution.pk],
    }[field]
    before = Collaboration.objects.count()
    assert refused(send(client_for(world.civic_lead), "post", f"{V1}/events", body))
    assert Collaboration.objects.count() == before


def event_change(world, fellowship, client_for, field):
    from civicbridge.events.services import challenges
    from civicbridge.events.tests.eventdata import partner_official

    event = _event(world)
    if field == "organisers":
        body = {"organisers": [world.outsider.person.pk]}
    else:
        # A partner that posed a challenge is a side of the event: it cannot be swapped out.
        event.partner_institutions.add(world.other)
        challenges.create_challenge(
            partner_official(world),
            event,
            institution=world.other,
            title="Parks",
            problem="Litter.",
            affected_users="All.",
            success_criteria="Less.",
        )
        body = {"partner_institutions": [OrganisationFactory.create(kind="government").pk]}
    url = f"{V1}/events/{event.collaboration_id}"
    assert refused(send(client_for(world.civic_lead), "patch", url, body))
    assert world.outsider.person not in event.organisers.all()
    assert field == "organisers" or list(event.partner_institutions.all()) == [world.other]


def challenge_in(world, fellowship, client_for, field):
    event = _event(world)
    body = {
        "institution": world.institution.pk,
        "title": "Potholes",
        "problem": "Lost reports.",
        "affected_users": "Drivers.",
        "success_criteria": "Fixed faster.",
        "owner": world.official.person.pk,
    }
    body[field] = {"institution": world.other.pk, "owner": world.outsider.person.pk}[field]
    url = f"{V1}/events/{event.collaboration_id}/challenges"
    assert refused(send(client_for(world.official), "post", url, body))


def challenge_change(world, fellowship, client_for, field):
    from civicbridge.events.tests.eventdata import challenge

    event = _event(world)
    posed = challenge(world, event)
    url = f"{V1}/events/{event.collaboration_id}/challenges/{posed.pk}"
    response = send(client_for(world.official), "patch", url, {"owner": world.outsider.person.pk})
    posed.refresh_from_db()
    assert refused(response) and posed.owner == world.official.person


def plan_in(world, fellowship, client_for, field):
    from civicbridge.events.tests.projectdata import add_project, add_team, hackathon

    event = hackathon(world)
    project = add_project(world, event, add_team(world, event, "Owls"))
    url = f"{V1}/events/{event.collaboration_id}/projects/{project.pk}/engagement-plan"
    body = {"worth_continuing": True, "owner": world.outsider.person.pk, "capacity": "Two"}
    assert refused(send(client_for(world.official), "put", url, body))


def _shortcoming(world, fellowship, owner=None):
    from civicbridge.feedback.services.shortcomings import raise_shortcoming

    return raise_shortcoming(
        world.civic_lead,
        fellowship,
        title="Forms lost",
        evidence="Ten a week.",
        solution="Scan them on arrival.",
        owner=owner,
    )


def _not_of_the_institution(world):
    """People who may not own a solution: a stranger, and a person of the civic side."""
    return [world.outsider.person.pk, world.civic_lead.person.pk]


def shortcoming_in(world, fellowship, client_for, field):
    from civicbridge.feedback.models import Shortcoming

    url = f"{V1}/collaborations/{fellowship.pk}/shortcomings"
    for forged in _not_of_the_institution(world):
        body = {"title": "Forms lost", "evidence": "Ten.", "solution": "Scan.", field: forged}
        assert refused(send(client_for(world.civic_lead), "post", url, body))
    assert not Shortcoming.objects.exists()


def shortcoming_change(world, fellowship, client_for, field):
    shortcoming = _shortcoming(world, fellowship, owner=world.official.person)
    url = f"{V1}/collaborations/{fellowship.pk}/shortcomings/{shortcoming.pk}"
    for forged in _not_of_the_institution(world):
        assert refused(send(client_for(world.civic_lead), "patch", url, {field: forged}))
    shortcoming.refresh_from_db()
    assert shortcoming.owner_id == world.official.person.pk


def shortcoming_move_in(world, fellowship, client_for, field):
    shortcoming = _shortcoming(world, fellowship)
    url = f"{V1}/collaborations/{fellowship.pk}/shortcomings/{shortcoming.pk}/status"
    for forged in _not_of_the_institution(world):
        body = {"status": "accepted", field: forged}
        assert refused(send(client_for(world.official), "post", url, body))
    shortcoming.refresh_from_db()
    assert (shortcoming.status, shortcoming.owner_id) == ("proposed", None)


def _consulting_deliverable(world):
    from datetime import date

    from civicbridge.consulting import services as consulting
    from tests.factories import CollaborationFactory

    engagement = CollaborationFactory.create(
        model="consulting", civic_organisation=world.civic, institution=world.institution
    )
    return consulting.add_deliverable(
        world.civic_lead, engagement, title="Review", kind="review", due_on=date(2030, 1, 1)
    )


def recommendation_in(world, fellowship, client_for, field):
    """The owner of a recommendation is a person of the institution, never one from
    elsewhere nor of the civic side."""
    deliverable = _consulting_deliverable(world)
    url = f"{V1}/consulting/{deliverable.collaboration_id}/recommendations"
    for stranger in (world.outsider.person, world.civic_lead.person):
        body = {
            "deliverable": deliverable.pk,
            "title": "Publish the register",
            "finding": "Asked weekly.",
            field: stranger.pk,
        }
        assert refused(send(client_for(world.civic_lead), "post", url, body))
    assert not deliverable.recommendations.exists()


def recommendation_change(world, fellowship, client_for, field):
    from civicbridge.consulting import services as consulting

    deliverable = _consulting_deliverable(world)
    recommendation = consulting.add_recommendation(
        world.civic_lead,
        deliverable.collaboration,
        deliverable=deliverable,
        title="Publish the register",
        finding="Asked weekly.",
        priority="high",
        owner=world.official.person,
    )
    url = f"{V1}/consulting/{deliverable.collaboration_id}/recommendations/{recommendation.pk}"
    response = send(client_for(world.official), "patch", url, {field: world.outsider.person.pk})
    recommendation.refresh_from_db()
    assert refused(response) and recommendation.owner == world.official.person


Scenario = Callable[..., None]
SCENARIOS: dict[str, Scenario] = {
    "ObligationIn": obligation_in,
    "ObligationChange": obligation_change,
    "CollaborationIn": collaboration_in,
    "CollaborationChange": collaboration_change,
    "HandoverTaskIn": handover_task_in,
    "StakeholderIn": stakeholder_in,
    "EventIn": event_in,
    "EventChange": event_change,
    "ChallengeIn": challenge_in,
    "ChallengeChange": challenge_change,
    "PlanIn": plan_in,
    "ShortcomingIn": shortcoming_in,
    "ShortcomingChange": shortcoming_change,
    "ShortcomingMoveIn": shortcoming_move_in,
    "RecommendationIn": recommendation_in,
    "RecommendationChange": recommendation_change,
}

# Fields that match by name but name no side of a collaboration, and why.
NO_SIDE = {
    ("PastContractIn", "buyer"): "a supplier's own account of past work; it grants no access",
    ("PastContractChange", "buyer"): "a supplier's own account of past work",
    ("RoleIn", "institution"): "where a person of the organisation holds a role, for conflicts",
    ("DisclosureIn", "institution"): "the institution a declared conflict of interest concerns",
    # An action plan names the institutions that lead and support each commitment: any
    # government body, party to the collaboration or not; naming one grants it nothing.
    ("PolicyCommitmentIn", "lead_institution"): "an institution an action plan names; no access",
    ("PolicyCommitmentIn", "supporting_institutions"): "institutions an action plan names",
    ("PolicyCommitmentChange", "lead_institution"): "an institution an action plan names",
    ("PolicyCommitmentChange", "supporting_institutions"): "institutions an action plan names",
}


def test_every_party_field_has_a_scenario():
    missing = [pair for pair in party_fields() if pair[0] not in SCENARIOS and pair not in NO_SIDE]
    assert missing == [], "Write how these fields are tried in SCENARIOS (or say why in NO_SIDE)"


@pytest.mark.parametrize(
    ("schema", "field"),
    [pair for pair in party_fields() if pair not in NO_SIDE],
    ids=lambda value: value,
)
def test_no_body_replaces_a_side(schema, field, world, fellowship, client_for):
    SCENARIOS[schema](world, fellowship, client_for, field)
