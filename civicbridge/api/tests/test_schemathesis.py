"""Schemathesis sends generated requests to every operation of the API, in-process, and
finds no server error and no response that breaks the OpenAPI description.

Path parameters name real objects the caller may see, so the generated queries and bodies
reach the permission checks, forms and services rather than stopping at a 404.
"""

from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.services import goals
from civicbridge.readiness.services import start_assessment
from civicbridge.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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
