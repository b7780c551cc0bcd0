"""Schemathesis sends generated requests to every operation of the API, in-process, and
finds no server error and no response that breaks the OpenAPI description.

Path parameters name real objects the caller may see, so the generated queries and bodies
reach the permission checks, forms and services rather than stopping at a 404.
"""

from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.services import agreement, credit, goals, handover
from civicbridge.fellowships.services import create_or_update_placement
from civicbridge.readiness.services import start_assessment
from civicbridge.wsgi import application

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


@pytest.fixture
def token(world, settings):
    settings.API_RATE_PER_MINUTE = 100_000
    settings.API_ADDRESS_RATE_PER_MINUTE = 100_000
    _token, secret = create_token(world.civic_lead, name="Schemathesis", scope="read-write")
    return secret


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
    create_or_update_placement(
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
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_description(case, token, ids):
    if case.path_parameters:
        case.path_parameters = {name: ids[name] for name in case.path_parameters}
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
