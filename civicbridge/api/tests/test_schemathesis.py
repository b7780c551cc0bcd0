"""Schemathesis sends generated requests to every operation of the API, in-process, and
finds no server error and no response that breaks the OpenAPI description.

Path parameters name real objects the caller may see, so the generated queries and bodies
reach the permission checks, forms and services rather than stopping at a 404. Each
request is sent by one of the two sides, drawn with the request: the civic organisation's
lead or the institution's official, so both sides' rules are exercised.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.services import (
    agreement,
    credit,
    goals,
    handover,
    parties,
    people,
)
from civicbridge.fellowships.services import create_or_update_placement
from civicbridge.partners.models import ImportRun
from civicbridge.readiness.services import start_assessment
from civicbridge.wsgi import application
from tests.factories import InboxItemFactory

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's database connection open across requests, as Django's test client does.

    The WSGI handler closes the connection after each request; on PostgreSQL that would end
    the transaction the test runs in.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


PERSONAS = ("civic_lead", "official")


def test_openapi_description_is_valid():
    schema.validate()


def test_every_schema_of_the_api_has_its_own_name():
    """The description names each schema by its class: two of one name would describe one
    room's operations with the other room's fields."""
    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = [
        cls.__name__
        for cls in set(subclasses(Schema))
        if cls.__module__.startswith("civicbridge.") and ".api" in cls.__module__
    ]
    assert sorted({name for name in names if names.count(name) > 1}) == []


@pytest.fixture
def tokens(world, settings):
    settings.API_RATE_PER_MINUTE = 100_000
    settings.API_ADDRESS_RATE_PER_MINUTE = 100_000
    return {
        persona: create_token(getattr(world, persona), name="Schemathesis", scope="read-write")[1]
        for persona in PERSONAS
    }


@pytest.fixture
def inbox_items(world):
    """Each persona's own message: an inbox item is found only by its owner."""
    return {
        persona: InboxItemFactory.create(user=getattr(world, persona)).pk for persona in PERSONAS
    }


@pytest.fixture
def ids(world, fellowship):
    goal = goals.add_goal(world.civic_lead, fellowship, kind="own", title="Faster permits")
    indicator = goals.add_indicator(
        world.civic_lead, goal, name="Days", baseline=Decimal(40), target=Decimal(10)
    )
    task = handover.add_task(world.civic_lead, fellowship, title="Move the code")
    statement = credit.draft_credit(
        world.civic_lead, fellowship, text="Thanks.", government_contribution="A team."
    )
    obligation = agreement.add_obligation(
        world.civic_lead,
        fellowship,
        party=world.institution,
        description="Provide a desk.",
        owner=world.official.person,
        due_date=fellowship.start_date,
    )
    placement = create_or_update_placement(
        world.civic_lead,
        fellowship,
        fellow=world.fellow.person,
        supervisor=world.official.person,
        host_department=world.department,
        start_date=fellowship.start_date,
        end_date=fellowship.end_date,
    )
    assessment = start_assessment(
        world.civic_lead,
        world.civic,
        title="Testshire",
        institution=world.institution,
        country="Australia",
        assessed_on=date(2026, 1, 1),
        visibility="both",
    )
    return {
        "organisation_id": world.civic.pk,
        "department_id": world.department.pk,
        "person_id": world.civic_lead.person.pk,
        "membership_id": world.civic_lead.person.memberships.first().pk,
        "assessment_id": assessment.pk,
        "collaboration_id": fellowship.pk,
        "indicator_id": indicator.pk,
        "goal_id": goal.pk,
        "task_id": task.pk,
        "credit_id": statement.pk,
        "obligation_id": obligation.pk,
        "who": "fellow",
        "stakeholder_id": people.add_stakeholder(
            world.official, fellowship, person=world.official.person, role="champion"
        ).pk,
        "successor_id": handover.add_successor(
            world.official, fellowship, person=world.official.person
        ).pk,
        "reform_id": credit.ask_reform(world.civic_lead, fellowship, title="Open the data").pk,
        "preparation_task_id": placement.preparation_tasks.earliest("id").pk,
        "change_id": parties.propose_party_change(
            world.civic_lead,
            fellowship,
            side="institution",
            successor=world.other,
            reason="The council merged.",
        ).pk,
        **service_delivery_ids(world),
        **event_ids(world),
        **project_ids(world),
    }


def event_ids(world) -> dict:
    """A public event with registration open, a challenge waiting for review and a team."""
    from civicbridge.events.services import teams
    from civicbridge.events.tests.eventdata import challenge, confirmed, open_event

    event = open_event(world)
    member = confirmed(event, "Ann Dev")
    return {
        "event_id": event.collaboration_id,
        "challenge_id": challenge(world, event, title="Waiting for review").pk,
        "team_id": teams.create_team(world.civic_lead, event, name="Bins", members=[member]).pk,
    }


def project_ids(world) -> dict:
    """The event team's project, the civic lead judging it, and a plan worth continuing
    with the official's commitment."""
    from civicbridge.events.models import Team
    from civicbridge.events.services import engagement, judging
    from civicbridge.events.tests.projectdata import add_project

    team = Team.objects.get(name="Bins")
    project = add_project(world, team.event, team)
    plan = engagement.decide(
        world.official, project, worth_continuing=True, owner=world.official.person
    )
    commitment = engagement.add_commitment(
        world.official,
        plan,
        official=world.official.person,
        next_step="Pilot it.",
        due_on=date.today(),
    )
    judge = judging.add_judge(world.civic_lead, team.event, email=world.civic_lead.email)
    return {
        "project_id": project.pk,
        "judge_id": judge.pk,
        "commitment_id": commitment.pk,
        **rubric_and_artefact_ids(world, project),
    }


def rubric_and_artefact_ids(world, project) -> dict:
    """A line of the event's rubric, and a design artefact of its project."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.events.services import judging
    from civicbridge.events.services.projects import add_artefact
    from civicbridge.events.tests.projectdata import PNG

    sketch = SimpleUploadedFile("sketch.png", PNG)
    return {
        "criterion_id": judging.add_criterion(
            world.civic_lead, project.event, name="Design", weight=3
        ).pk,
        "artefact_id": add_artefact(world.civic_lead, project, kind="sketch", file=sketch).pk,
    }


def service_delivery_ids(world) -> dict:
    """A jurisdiction, and a role and a disclosure in the civic organisation's register."""
    from civicbridge.procurement.services import conflicts, routes

    today = date.today()
    jurisdiction = routes.create_jurisdiction(world.admin, name="Testland", code="testland")
    role = conflicts.add_role(
        world.civic_lead,
        world.civic,
        institution=world.institution,
        role="vendor",
        started_on=today,
    )
    disclosure = conflicts.add_disclosure(
        world.civic_lead,
        world.civic,
        institution=world.institution,
        roles=["watchdog"],
        mission_discussion="Discussed.",
        outcome="Decided.",
        discussed_on=today,
    )
    return {
        "jurisdiction_id": jurisdiction.pk,
        "role_id": role.pk,
        "disclosure_id": disclosure.pk,
        **rule_and_profile_ids(world, jurisdiction, disclosure),
        **contract_ids(world),
    }


def rule_and_profile_ids(world, jurisdiction, disclosure) -> dict:
    """A rule and a step of the jurisdiction, a recusal of the disclosure, and an offering
    and a past contract of the civic organisation's supplier profile."""
    from civicbridge.partners import services as partners
    from civicbridge.procurement.services import conflicts, routes

    source: dict[str, Any] = {"source": "Testland Procurement Act", "source_date": date.today()}
    return {
        "rule_id": routes.save_rule(
            world.admin, jurisdiction, route="grant", allowed=True, explanation="Yes.", **source
        ).pk,
        "step_id": routes.save_step(
            world.admin,
            jurisdiction,
            route="grant",
            order=1,
            name="Notice",
            minimum_days=10,
            **source,
        ).pk,
        "recusal_id": conflicts.add_recusal(
            world.civic_lead, disclosure, person=world.fellow.person, stands_aside_from="Reports."
        ).pk,
        "offering_id": partners.add_offering(
            world.civic_lead, world.civic, name="Hosting", kind="service", description="We run it."
        ).pk,
        "past_contract_id": partners.add_past_contract(
            world.civic_lead, world.civic, buyer_name="Elsewhere", title="A site", year=2024
        ).pk,
        # An import the civic lead started, which the official may not follow.
        "import_id": ImportRun.objects.create(
            kind="popolo", filename="x.json", status="done", created_by=world.civic_lead
        ).pk,
    }


def contract_ids(world) -> dict:
    """A signed contract with a deliverable, a planned cost, and an invoice paid in part."""
    from civicbridge.procurement.services import contracts, invoices
    from civicbridge.procurement.tests.contract_helpers import draft, service_delivery, sign_both

    contract = draft(world, service_delivery(world))
    milestone = contracts.add_milestone(
        world.civic_lead, contract, kind="delivery", title="Beta", due_on=date.today()
    )
    contract = sign_both(world, contract)
    cost = contracts.add_planned_cost(
        world.civic_lead,
        contract,
        description="Hosting",
        amount=Decimal("100.00"),
        currency="AUD",
        due_on=date.today(),
    )
    invoice = invoices.add_invoice(
        world.civic_lead,
        contract,
        number="INV-1",
        amount=Decimal("1000.00"),
        currency="AUD",
        issued_on=date.today(),
    )
    payment = invoices.record_payment(
        world.official, invoice, amount=Decimal("100.00"), currency="AUD", paid_on=date.today()
    )
    return {
        "contract_id": contract.pk,
        "milestone_id": milestone.pk,
        "cost_id": cost.pk,
        "invoice_id": invoice.pk,
        "payment_id": payment.pk,
    }


@pytest.mark.django_db
@schema.parametrize()
@schema.given(persona=st.sampled_from(PERSONAS))
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_description(case, persona, tokens, ids, inbox_items):
    if case.path_parameters:
        known = {**ids, "item_id": inbox_items[persona]}
        case.path_parameters = {name: known[name] for name in case.path_parameters}
    headers = {"Authorization": f"Bearer {tokens[persona]}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
