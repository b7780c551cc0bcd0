"""Schemathesis sends generated requests to every operation of the API, in-process, and
finds no server error and no response that breaks the OpenAPI description.

Every phase runs (examples, coverage, fuzzing, then the stateful phase, which follows the
links between operations), with every check. Path parameters name real objects the caller
may see, so the generated queries and bodies reach the permission checks, forms and
services rather than stopping at a 404. Each request is sent by one of the two sides, drawn
with the request: the civic organisation's lead or the institution's official, so both
sides' rules are exercised.

A request that matches the description must be answered 2xx unless the description says
the operation can refuse it: 409 where it lists 409, 422 where its 422 says the service's
rules apply (`positive_data_acceptance`, configured per operation from the description).
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.services import (
    agreement,
    credit,
    goals,
    handover,
    parties,
    people,
)
from civicbridge.core.api.schemas import REFUSED_BY_RULES
from civicbridge.fellowships.services import create_or_update_placement
from civicbridge.partners.models import ImportRun
from civicbridge.readiness.services import start_assessment
from civicbridge.wsgi import application
from conftest import loaded_for_module, make_world
from tests.factories import CollaborationFactory, InboxItemFactory

OPENAPI = "/api/openapi.json"
# What any request may meet whatever the description: no session or token, a persona not
# allowed, a record hidden or gone, too many requests.
ALWAYS_POSSIBLE = ["2xx", "401", "403", "404", "429"]


def expected_for_valid_requests(operation: dict[str, Any]) -> list[str]:
    """The answers the description allows to a request that matches it."""
    responses = operation["responses"]
    expected = list(ALWAYS_POSSIBLE)
    if "409" in responses:
        expected.append("409")
    if responses.get("422", {}).get("description") == REFUSED_BY_RULES:
        expected.append("422")
    return expected


def load_schema() -> Any:
    """The served description, with each operation's answers to valid requests taken from it."""
    document = schemathesis.openapi.from_wsgi(OPENAPI, application).raw_schema
    operations = [
        {
            "include-operation-id": operation["operationId"],
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": expected_for_valid_requests(operation)
                }
            },
        }
        for item in document["paths"].values()
        for operation in item.values()
    ]
    config = SchemathesisConfig.from_dict(
        {
            # The same cases every run: a failure seen once is seen again.
            "seed": 13,
            "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES},
            "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
            "operations": operations,
        }
    )
    loaded = schemathesis.openapi.from_dict(document, config=config)
    loaded.app = application
    loaded.location = OPENAPI
    return loaded


# Bounded for a shared machine: five cases per operation in each generating phase (coverage
# adds its own boundary cases), and per persona fifteen linked scenarios of up to six calls.
# The module took about 2.5 minutes on two busy cores (pytest -n 2), 7 on heavily loaded ones.
MAX_EXAMPLES = 5
STATEFUL_STEPS = 6
STATEFUL_SCENARIOS = 15
schema = load_schema()

PERSONAS = ("civic_lead", "official")


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


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas, their tokens and a record behind every path parameter, built once.

    Each operation's test runs in a savepoint rolled back after it, so every operation
    meets the records as built.
    """
    from civicbridge.playbook.services import save_version
    from civicbridge.playbook.tests.helpers import shipped

    made = SimpleNamespace(media_root=tmp_path_factory.mktemp("schemathesis") / "media")

    def build() -> None:
        save_version(None, shipped(), "Loaded for a test")
        world = make_world()
        fellowship = CollaborationFactory.create(
            title="Open data fellowship",
            civic_organisation=world.civic,
            institution=world.institution,
        )
        fellowship.departments.add(world.department)
        made.ids = known_ids(world, fellowship)
        made.tokens = {persona: token_for(getattr(world, persona)) for persona in PERSONAS}
        # Each persona's own message: an inbox item is found only by its owner.
        made.inbox_items = {
            persona: InboxItemFactory.create(user=getattr(world, persona)).pk
            for persona in PERSONAS
        }

    with loaded_for_module(django_db_blocker, made.media_root, build):
        yield made


def token_for(user) -> str:
    _token, secret = create_token(user, name="Schemathesis", scope="read-write")
    return secret


@pytest.fixture
def known(built, db, settings):
    settings.MEDIA_ROOT = built.media_root
    settings.API_RATE_PER_MINUTE = 100_000
    settings.API_ADDRESS_RATE_PER_MINUTE = 100_000
    return built


def prepared(case, persona: str, known, ids: bool = True) -> dict[str, str]:
    """Name a record the persona may see in every path parameter, and return the persona's
    token to send; a part of the request generated to break the description stays broken."""
    meta = case.meta
    if ids and case.path_parameters and not (meta and meta.is_negative_at(ParameterLocation.PATH)):
        records = {**known.ids, "item_id": known.inbox_items[persona]}
        case.path_parameters = {name: records[name] for name in case.path_parameters}
    if meta and meta.is_negative_at(ParameterLocation.HEADER):
        return {}  # the generated Authorization header is the broken part
    return {"Authorization": f"Bearer {known.tokens[persona]}"}


def known_ids(world, fellowship) -> dict:
    """A record behind every path parameter, each one the personas may see."""
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
        **feedback_ids(world, fellowship),
        **service_delivery_ids(world),
        **event_ids(world),
        **project_ids(world),
        **consulting_ids(world),
        **policy_ids(world),
        **training_ids(world),
    }


def policy_ids(world) -> dict:
    """A policy collaboration with a draft change and a commitment with a milestone."""
    from civicbridge.collaborations.choices import Model
    from civicbridge.policy import services
    from civicbridge.policy.tests.conftest import days_ago, record_change

    policy = CollaborationFactory.create(
        model=Model.POLICY,
        title="Towards agile procurement",
        civic_organisation=world.civic,
        institution=world.institution,
    )
    commitment = services.save_commitment(world.civic_lead, policy, title="Open the budget")
    milestone = services.add_milestone(
        world.civic_lead, commitment, title="Online", due_on=days_ago(-10)
    )
    return {
        "policy_id": policy.pk,
        "policy_change_id": record_change(world.civic_lead, policy).pk,
        "policy_commitment_id": commitment.pk,
        "policy_milestone_id": milestone.pk,
    }


def consulting_ids(world) -> dict:
    """A consulting engagement with its scope, a deliverable whose first version waits for
    the institution, and a recommendation the official owns."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.collaborations.services.lifecycle import create_collaboration
    from civicbridge.consulting import services

    engagement = create_collaboration(
        world.civic_lead,
        model="consulting",
        title="Advice on permits",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=date.today(),
    )
    services.save_engagement(world.official, engagement, scope="Permits.", questions=["Which?"])
    deliverable = services.add_deliverable(
        world.civic_lead, engagement, title="Review", kind="review", due_on=date.today()
    )
    services.submit_version(
        world.civic_lead,
        deliverable,
        from_status="planned",
        file=SimpleUploadedFile("review.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    recommendation = services.add_recommendation(
        world.civic_lead,
        engagement,
        deliverable=deliverable,
        title="Publish the register",
        finding="Asked weekly.",
        priority="high",
        owner=world.official.person,
    )
    return {
        "consulting_id": engagement.pk,
        "deliverable_id": deliverable.pk,
        "recommendation_id": recommendation.pk,
    }


def feedback_ids(world, fellowship) -> dict:
    """A beneficiary's published feedback with an address, and a proposed shortcoming."""
    from civicbridge.feedback.choices import FeedbackStatus
    from civicbridge.feedback.services.shortcomings import raise_shortcoming
    from tests.factories import FeedbackFactory

    feedback = FeedbackFactory.create(
        collaboration=fellowship, status=FeedbackStatus.PUBLISHED, email="resident@example.net"
    )
    shortcoming = raise_shortcoming(
        world.civic_lead,
        fellowship,
        title="Forms lost",
        evidence="Ten a week.",
        solution="Scan them on arrival.",
    )
    return {"feedback_id": feedback.pk, "shortcoming_id": shortcoming.pk}


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


@schema.parametrize()
@schema.given(persona=st.sampled_from(PERSONAS))
@settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_description(case, persona, known):
    # Every check runs. `object_level_authorization` replays a read as the other identities
    # named in Schemathesis's auth configuration; this run sends each persona's token itself
    # and names none, so that check finds no peer and passes: who may see which record is
    # proven by core/tests/test_url_walk.py, every URL as every persona.
    case.call_and_validate(headers=prepared(case, persona, known))


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_conforms_to_its_description_statefully(persona, known):
    """Sequences of one persona's calls along the description's links: what one answer
    creates, the next request reads, changes or removes, with every check (`use_after_free`
    and `ensure_resource_availability` among them)."""
    machine: Any = schema.as_state_machine()

    class Machine(machine):
        def setup(self) -> None:
            # Each scenario starts from the records as built, so a scenario replays the same.
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def step(self, input):
            # A first step names records that exist; later steps follow the links.
            self.headers = prepared(input.case, persona, known, ids=not input.is_applied)
            return super().step(input)

        def get_call_kwargs(self, case):
            return {"headers": self.headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # Name the headers sent, so `ignored_auth` knows the token is ours, not generated.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=self.headers,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Machine.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )


def training_ids(world) -> dict:
    """A training programme with its curriculum, a session and a participant."""
    from civicbridge.training.services import participants
    from civicbridge.training.tests.trainingdata import programme, session, with_curriculum

    training = programme(world, title="Schemathesis training")
    basics, _practice, _objectives = with_curriculum(world, training)
    day = session(world, training, [basics])
    participants.add_participant(world.civic_lead, training, person=world.official.person)
    return {"training_id": training.pk, "module_id": basics.pk, "session_id": day.pk}
