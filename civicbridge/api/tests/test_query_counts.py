"""Every API list makes the same number of queries at 1x and 10x its data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicbridge.collaborations.models import (
    Activity,
    Agreement,
    AgreementVersion,
    CheckIn,
    CollaborationNote,
    CreditStatement,
    Goal,
    HandoverTask,
    Indicator,
    Obligation,
    Reform,
    Risk,
    Signature,
    Stakeholder,
    Successor,
    Transition,
)
from civicbridge.fellowships.models import Placement, PreparationTask
from civicbridge.notifications.models import InboxItem
from civicbridge.readiness.services import start_assessment
from tests.factories import (
    CollaborationFactory,
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)


def add_rows(kind: str, world, fellowship, n: int, start: int) -> None:
    """Add `n` rows of the list `kind` shows."""
    agreement, _ = Agreement.objects.get_or_create(collaboration=fellowship)
    for i in range(start, start + n):
        if kind == "organisations":
            OrganisationFactory()
        elif kind == "departments":
            DepartmentFactory(organisation=world.institution)
        elif kind == "people":
            PersonFactory()
        elif kind == "memberships":
            MembershipFactory(organisation=world.civic)
        elif kind == "assessments":
            start_assessment(
                world.civic_lead,
                world.civic,
                title=f"Assessment {i}",
                institution=world.institution,
                country="Australia",
                assessed_on=date(2026, 1, 1),
                visibility="both",
            )
        elif kind == "collaborations":
            CollaborationFactory(civic_organisation=world.civic, institution=world.institution)
        elif kind == "stakeholders":
            Stakeholder.objects.create(
                collaboration=fellowship,
                person=PersonFactory.create(),
                organisation=world.institution,
                role="champion",
            )
        elif kind == "obligations":
            Obligation.objects.create(
                agreement=agreement, party=world.civic, description=f"Obligation {i}"
            )
        elif kind == "signatures":
            Signature.objects.create(
                agreement=agreement,
                version=i + 1,
                party=world.civic,
                signed_by=world.civic_lead,
                signer_name="Alex Lead",
                voided_at=timezone.now(),
            )
        elif kind == "checkins":
            CheckIn.objects.create(
                collaboration=fellowship,
                owner_organisation=world.civic,
                visibility="both",
                due_on=date(2026, 1, 1) + timedelta(days=i),
                workflow="Fine.",
                quality=4,
            )
        elif kind == "indicators":
            goal = Goal.objects.create(
                collaboration=fellowship,
                owner_organisation=world.civic,
                visibility="both",
                kind="own",
                title=f"Goal {i}",
            )
            Indicator.objects.create(goal=goal, name="Days", baseline=Decimal(1), target=Decimal(2))
        elif kind == "transitions":
            Transition.objects.create(
                collaboration=fellowship,
                from_stage="proposed",
                to_stage="preparing",
                actor=world.civic_lead,
                gate_results=[{"condition": "c", "passed": True}],
            )
        elif kind == "goals":
            Goal.objects.create(
                collaboration=fellowship,
                owner_organisation=world.civic,
                visibility="both",
                kind="own",
                title=f"Goal {i}",
            )
        elif kind == "successors":
            Successor.objects.create(collaboration=fellowship, person=PersonFactory.create())
        elif kind == "handover_tasks":
            HandoverTask.objects.create(collaboration=fellowship, title=f"Task {i}")
        elif kind == "credit_statements":
            CreditStatement.objects.create(
                collaboration=fellowship,
                text=f"Thanks {i}.",
                government_contribution="A team.",
                drafted_by=world.civic,
            )
        elif kind == "reforms":
            reform = Reform.objects.create(
                collaboration=fellowship,
                owner_organisation=world.civic,
                visibility="both",
                title=f"Reform {i}",
            )
            reform.champions.add(PersonFactory.create(), PersonFactory.create())
        elif kind == "agreement_versions":
            AgreementVersion.objects.create(
                agreement=agreement, number=i + 1, content={}, made_by=world.civic_lead
            )
        elif kind == "preparation_tasks":
            placement, _ = Placement.objects.get_or_create(
                collaboration=fellowship,
                defaults={
                    "fellow": world.fellow.person,
                    "supervisor": world.official.person,
                    "start_date": fellowship.start_date,
                    "end_date": fellowship.end_date,
                },
            )
            PreparationTask.objects.create(
                placement=placement, title=f"Task {i}", days_before_start=i
            )
        elif kind == "risks":
            Risk.objects.create(
                collaboration=fellowship,
                condition=f"c{i}",
                statement="S",
                reason="R",
                stage="agreed",
            )
        elif kind == "activity":
            Activity.objects.create(
                collaboration=fellowship,
                owner_organisation=world.civic,
                visibility="both",
                actor=world.civic_lead,
                message=f"Step {i}",
            )
        elif kind == "inbox":
            InboxItem.objects.create(user=world.official, title=f"Reminder {i}")
        elif kind == "notes":
            CollaborationNote.objects.create(
                collaboration=fellowship,
                owner_organisation=world.institution,
                visibility="own",
                author=world.official,
                body=f"Note {i}",
            )


LISTS = {
    "organisations": "/api/v1/organisations",
    "departments": "/api/v1/departments",
    "people": "/api/v1/people",
    "memberships": "/api/v1/memberships",
    "assessments": "/api/v1/assessments",
    "collaborations": "/api/v1/collaborations?stage=proposed",
    "stakeholders": "/api/v1/collaborations/{pk}/stakeholders",
    "obligations": "/api/v1/collaborations/{pk}/obligations",
    "signatures": "/api/v1/collaborations/{pk}/signatures",
    "checkins": "/api/v1/collaborations/{pk}/checkins",
    "indicators": "/api/v1/collaborations/{pk}/indicators",
    "transitions": "/api/v1/collaborations/{pk}/transitions",
    "goals": "/api/v1/collaborations/{pk}/goals",
    "successors": "/api/v1/collaborations/{pk}/successors",
    "handover_tasks": "/api/v1/collaborations/{pk}/handover-tasks",
    "credit_statements": "/api/v1/collaborations/{pk}/credit-statements",
    "reforms": "/api/v1/collaborations/{pk}/reforms",
    "notes": "/api/v1/collaborations/{pk}/notes",
    "agreement_versions": "/api/v1/collaborations/{pk}/agreement/versions",
    "preparation_tasks": "/api/v1/collaborations/{pk}/preparation/tasks",
    "inbox": "/api/v1/notifications",
    "risks": "/api/v1/collaborations/{pk}/risks",
    "activity": "/api/v1/collaborations/{pk}/activity",
}


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_list_queries_do_not_grow_with_the_data(kind, world, fellowship, client_for):
    client = client_for(world.official)
    url = LISTS[kind].format(pk=fellowship.pk)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.content
        return len(queries), len(response.json()["items"])

    add_rows(kind, world, fellowship, 2, 0)
    once, rows_once = count()
    add_rows(kind, world, fellowship, 18, 2)
    tenfold, rows_tenfold = count()
    assert rows_tenfold >= rows_once + 18
    assert tenfold == once, f"{kind}: {once} queries at 1x, {tenfold} at 10x"
