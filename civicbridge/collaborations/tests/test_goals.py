"""Goals with indicators (F1): who sees which goal, progress, and values per period."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.collaborations.choices import GoalKind
from civicbridge.collaborations.models import Activity, Goal, IndicatorValue
from civicbridge.collaborations.services.goals import (
    add_goal,
    add_indicator,
    progress,
    report_value,
    update_goal,
)
from civicbridge.core.models import AuditEntry

PERSONAS = ("civic_lead", "official", "fellow", "outsider", "admin", "anonymous")


def goal_of(user, collaboration, visibility, title=None, kind=GoalKind.CITIZEN_SERVICES):
    return add_goal(
        user, collaboration, kind=kind, title=title or f"A {visibility} goal", visibility=visibility
    )


def indicator_of(goal, user, baseline="40", target="10"):
    return add_indicator(
        user,
        goal,
        name="Days to renew a permit",
        unit="days",
        baseline=Decimal(baseline),
        target=Decimal(target),
    )


def goals_page(client_for, user, collaboration):
    return client_for(user).get(reverse("collaborations:goals", args=[collaboration.pk]))


@pytest.fixture
def goals(world, fellowship):
    return {
        visibility: goal_of(world.civic_lead, fellowship, visibility, f"Civic {visibility} goal")
        for visibility in ("own", "both", "public")
    }


@pytest.mark.parametrize(
    ("persona", "status", "seen"),
    [
        ("civic_lead", 200, {"own", "both", "public"}),
        ("fellow", 200, {"own", "both", "public"}),  # a member of the civic side
        ("official", 200, {"both", "public"}),
        ("admin", 200, {"own", "both", "public"}),
        ("outsider", 404, set()),
        ("anonymous", 302, set()),
    ],
)
def test_goals_each_persona_sees(world, fellowship, goals, client_for, persona, status, seen):
    response = goals_page(client_for, getattr(world, persona), fellowship)
    assert response.status_code == status
    page = response.content.decode()
    for visibility in ("own", "both", "public"):
        assert (f"Civic {visibility} goal" in page) == (visibility in seen), visibility


def test_own_side_goal_is_tagged_with_the_side(world, fellowship, goals, client_for):
    page = goals_page(client_for, world.civic_lead, fellowship).content.decode()
    assert "Code for Testing only" in page and "Both sides" in page and "Public" in page


def test_official_cannot_reach_the_civic_sides_private_goal(world, fellowship, goals, client_for):
    client = client_for(world.official)
    own, both = goals["own"], goals["both"]
    assert (
        client.get(reverse("collaborations:goal_edit", args=[fellowship.pk, own.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("collaborations:indicator_create", args=[fellowship.pk, own.pk])
        ).status_code
        == 404
    )
    indicator = indicator_of(own, world.civic_lead)
    report = reverse("collaborations:indicator_report", args=[fellowship.pk, indicator.pk])
    assert client.get(report).status_code == 404
    # A shared goal: the official reads it, may report on it, but does not change it.
    assert (
        client.get(reverse("collaborations:goal_edit", args=[fellowship.pk, both.pk])).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        update_goal(world.official, both, kind=both.kind, title="Hijacked", visibility="both")
    with pytest.raises(PermissionDenied):
        report_value(world.official, indicator, period_end=date(2026, 3, 31), value=Decimal(1))


def test_fellow_cannot_report_on_the_institutions_private_goal(world, fellowship):
    # The fellow may read it (a viewer of the institution) but writes for the civic side.
    private = goal_of(world.official, fellowship, "own", "Institution's own goal")
    indicator = indicator_of(private, world.official)
    with pytest.raises(PermissionDenied):
        report_value(world.fellow, indicator, period_end=date(2026, 3, 31), value=Decimal(1))
    report_value(world.official, indicator, period_end=date(2026, 3, 31), value=Decimal(1))


def test_public_page_shows_public_goals_only(world, fellowship, goals, client_for):
    fellowship.public = True
    fellowship.save()
    url = reverse("collaborations:public", args=[fellowship.pk])
    for user in (None, world.outsider, world.official):
        page = client_for(user).get(url).content.decode()
        assert "Civic public goal" in page
        assert "Civic both goal" not in page and "Civic own goal" not in page


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "percent"),
    [
        ("40", "10", "25", "50"),  # a target below the baseline
        ("0", "3", "1", "33"),
        ("0", "3", "2", "67"),
        ("10", "20", "10", "0"),
        ("10", "20", "25", "150"),
        ("10", "20", "5", "-50"),
        ("0.10", "0.30", "0.15", "25"),
        ("5", "5", "5", "100"),  # target equals baseline: held or not
        ("5", "5", "6", "0"),
    ],
)
def test_progress_is_exact_decimal_percent(baseline, target, actual, percent):
    got = progress(Decimal(baseline), Decimal(target), Decimal(actual))
    assert isinstance(got, Decimal) and got == Decimal(percent)


def test_page_shows_values_with_progress_and_reporter(world, fellowship, client_for):
    goal = goal_of(world.civic_lead, fellowship, "both", "Faster permits")
    indicator = indicator_of(goal, world.civic_lead)
    report_value(world.official, indicator, period_end=date(2026, 3, 31), value=Decimal("25"))
    page = goals_page(client_for, world.civic_lead, fellowship).content.decode()
    assert "Days to renew a permit (days)" in page
    assert "50%" in page and "Sam Official" in page and "31 Mar 2026" in page


def test_reporting_a_period_twice_updates_it_and_records_who(world, fellowship):
    goal = goal_of(world.civic_lead, fellowship, "both")
    indicator = indicator_of(goal, world.civic_lead)
    first = report_value(
        world.civic_lead, indicator, period_end=date(2026, 3, 31), value=Decimal("30")
    )
    second = report_value(
        world.official, indicator, period_end=date(2026, 3, 31), value=Decimal("25"), note="Fixed"
    )
    assert second.pk == first.pk
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("25") and value.reported_by == world.official
    assert value.note == "Fixed"
    update = AuditEntry.objects.filter(action="update", object_id=str(value.pk)).get()
    assert update.changes["value"] == ["30.00", "25"]
    assert update.organisation_id == world.civic.pk
    assert Activity.objects.filter(message__contains="corrected").exists()
    report_value(world.official, indicator, period_end=date(2026, 6, 30), value=Decimal("20"))
    assert indicator.values.count() == 2


def test_activity_of_a_private_goal_stays_on_its_side(world, fellowship):
    goal = goal_of(world.civic_lead, fellowship, "own")
    indicator = indicator_of(goal, world.civic_lead)
    report_value(world.fellow, indicator, period_end=date(2026, 3, 31), value=Decimal("30"))
    assert set(
        Activity.objects.filter(collaboration=fellowship).values_list(
            "owner_organisation_id", "visibility"
        )
    ) == {(world.civic.pk, "own")}


def test_only_the_goals_side_adds_indicators(world, fellowship, client_for):
    goal = goal_of(world.civic_lead, fellowship, "both")
    with pytest.raises(PermissionDenied):
        indicator_of(goal, world.official)
    url = reverse("collaborations:indicator_create", args=[fellowship.pk, goal.pk])
    assert client_for(world.official).get(url).status_code == 403
    response = client_for(world.fellow).post(
        url, {"name": "Forms online", "unit": "%", "baseline": "10", "target": "80"}
    )
    assert response.status_code == 302
    assert goal.indicators.get().target == Decimal("80")


def test_add_a_goal_through_the_form_shared_by_default(world, fellowship, client_for):
    client = client_for(world.official)
    url = reverse("collaborations:goal_create", args=[fellowship.pk])
    form = client.get(url).content.decode()
    assert "Build fellows" in form and "Fellowships set out to" in form
    response = client.post(
        url, {"kind": "efficiency", "title": "Fewer paper forms", "visibility": "both"}
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.owner_organisation == world.institution and goal.visibility == "both"
    assert client_for(world.admin).get(url).status_code == 403


def test_report_through_the_form_then_correct_it(world, fellowship, client_for):
    goal = goal_of(world.civic_lead, fellowship, "both")
    indicator = indicator_of(goal, world.civic_lead)
    url = reverse("collaborations:indicator_report", args=[fellowship.pk, indicator.pk])
    client = client_for(world.official)
    assert client.post(url, {"period_end": "2026-03-31", "value": "30"}).status_code == 302
    assert client.post(url, {"period_end": "2026-03-31", "value": "20.5"}).status_code == 302
    assert indicator.values.get().value == Decimal("20.5")
    assert client_for(world.admin).get(url).status_code == 403


def test_edit_a_goal_changes_its_visibility(world, fellowship, client_for):
    goal = goal_of(world.civic_lead, fellowship, "both")
    url = reverse("collaborations:goal_edit", args=[fellowship.pk, goal.pk])
    response = client_for(world.civic_lead).post(
        url, {"kind": "own", "title": "Our private aim", "visibility": "own"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Our private aim" and goal.visibility == "own"
    assert (
        goals_page(client_for, world.official, fellowship).content.decode().count("Our private aim")
        == 0
    )


def test_empty_goals_say_what_they_are_for(world, fellowship, client_for):
    page = goals_page(client_for, world.official, fellowship).content.decode()
    assert "No goals yet" in page and "Add the first goal" in page


def _goals_queries(client, collaboration) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("collaborations:goals", args=[collaboration.pk]))
    assert response.status_code == 200
    return len(queries)


def _add_goals(world, collaboration, count):
    for i in range(count):
        for writer in (world.civic_lead, world.official):
            goal = goal_of(writer, collaboration, "both", f"Goal {i}")
            indicator = indicator_of(goal, writer)
            for month in (3, 6):
                report_value(
                    world.official if i % 2 else world.civic_lead,
                    indicator,
                    period_end=date(2026, month, 28),
                    value=Decimal(i),
                )


def test_goals_page_queries_do_not_grow_with_the_goals(world, fellowship, client_for):
    client = client_for(world.official)
    _add_goals(world, fellowship, 1)
    one = _goals_queries(client, fellowship)
    _add_goals(world, fellowship, 9)
    assert _goals_queries(client, fellowship) == one
