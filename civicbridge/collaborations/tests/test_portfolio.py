"""The portfolio at a glance: each figure is counted in the database, equals the count of
the list it links to, and the home page asks a fixed number of queries for it."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.choices import Model, RiskReason, Stage
from civicbridge.collaborations.models import (
    Agreement,
    CheckIn,
    Collaboration,
    FollowUp,
    Risk,
    Signature,
    Stakeholder,
)
from civicbridge.collaborations.models.health import at_risk_condition, health_changed
from civicbridge.collaborations.portfolio import portfolio_of
from civicbridge.collaborations.reminders.shared import work_out_health
from civicbridge.collaborations.services.checkins import refresh_owed_checkins
from civicbridge.partners.tests.test_query_counts import count_queries
from tests.factories import CollaborationFactory, PersonFactory

TODAY = date(2026, 11, 26)


def running(world, **fields) -> Collaboration:
    """An active collaboration of the world's parties, with two people named on each side
    and check-ins every 14 days from 1 October (due 15 Oct, 29 Oct, 12 Nov, 26 Nov)."""
    collaboration = CollaborationFactory.create(
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
        start_date=date(2026, 10, 1),
        end_date=date(2027, 3, 31),
        checkin_every_days=14,
        **fields,
    )
    for side in (world.civic, world.institution):
        for _ in range(2):
            Stakeholder.objects.create(
                collaboration=collaboration,
                person=PersonFactory.create(),
                organisation=side,
                role="champion",
            )
    for side in (world.civic, world.institution):
        give_checkin(collaboration, side, date(2026, 11, 12))
    return collaboration


def give_checkin(collaboration, side, due_on, quality=4, visibility="both") -> CheckIn:
    """A side's check-in, with what it owes kept as `submit_checkin` keeps it."""
    checkin = CheckIn.objects.create(
        collaboration=collaboration,
        owner_organisation=side,
        visibility=visibility,
        due_on=due_on,
        workflow="Going well",
        quality=quality,
    )
    refresh_owed_checkins(collaboration)
    return checkin


def at_risk(reason: str = "") -> set[str]:
    """Those at risk for `reason`, as the conditions find them; what each row keeps of its
    health (cleared by every change to what the conditions read) must say the same."""
    found = Collaboration.objects.filter(at_risk_condition(TODAY, reason))
    kept = Collaboration.objects.with_health(TODAY).at_risk(reason)
    assert set(kept.values_list("title", flat=True)) == set(found.values_list("title", flat=True))
    return set(found.values_list("title", flat=True))


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def test_a_collaboration_that_keeps_its_checkins_and_people_is_not_at_risk(world, today):
    running(world, title="Healthy")
    assert at_risk() == set()


def test_an_open_risk_counts_until_it_is_resolved(world, today):
    collaboration = running(world, title="Risky")
    risk = Risk.objects.create(
        collaboration=collaboration, condition="c", statement="s", reason="r", stage="active"
    )
    assert at_risk(RiskReason.CONDITIONS) == {"Risky"}
    risk.resolved_on = TODAY
    risk.save()
    assert at_risk(RiskReason.CONDITIONS) == set()


def test_running_on_an_mou_both_sides_no_longer_sign_is_a_failing_condition(world, today):
    collaboration = running(world, title="Unsigned")
    agreement = Agreement.objects.create(collaboration=collaboration)
    assert at_risk(RiskReason.CONDITIONS) == {"Unsigned"}
    for party, user in ((world.civic, world.civic_lead), (world.institution, world.official)):
        Signature.objects.create(
            agreement=agreement, version=1, party=party, signed_by=user, signer_name="x"
        )
    assert at_risk(RiskReason.CONDITIONS) == set()
    agreement.version = 2  # a change: the signatures of version 1 no longer stand
    agreement.save()
    assert at_risk(RiskReason.CONDITIONS) == {"Unsigned"}


def test_a_side_behind_with_its_checkins_is_at_risk_once_the_date_has_passed(world, today):
    collaboration = running(world, title="Behind")
    CheckIn.objects.filter(collaboration=collaboration, owner_organisation=world.civic).delete()
    give_checkin(collaboration, world.civic, date(2026, 10, 29))
    # The civic side's next date after 29 Oct is 12 Nov, which has passed.
    assert at_risk(RiskReason.CHECKINS) == {"Behind"}
    give_checkin(collaboration, world.civic, date(2026, 11, 12))
    # 26 Nov is due today: not missed yet.
    assert at_risk(RiskReason.CHECKINS) == set()


def test_no_checkin_at_all_counts_from_the_start(world, today):
    collaboration = running(world, title="Silent")
    CheckIn.objects.filter(collaboration=collaboration).delete()
    refresh_owed_checkins(collaboration)
    assert at_risk(RiskReason.CHECKINS) == {"Silent"}
    collaboration.start_date = date(2026, 11, 20)  # first date 4 Dec: nothing owed yet
    collaboration.save()
    refresh_owed_checkins(collaboration)
    assert at_risk(RiskReason.CHECKINS) == set()


def test_checkins_after_the_end_date_are_not_owed(world, today):
    collaboration = running(world, title="Ended")
    CheckIn.objects.filter(collaboration=collaboration).delete()
    give_checkin(collaboration, world.civic, date(2026, 10, 15))
    give_checkin(collaboration, world.institution, date(2026, 10, 15))
    collaboration.end_date = date(2026, 10, 20)  # no date falls between 15 Oct and the end
    collaboration.save()
    refresh_owed_checkins(collaboration)
    assert at_risk(RiskReason.CHECKINS) == set()


def test_recent_shared_ratings_far_apart_are_a_risk(world, today):
    collaboration = running(world, title="Diverging")
    CheckIn.objects.filter(collaboration=collaboration, owner_organisation=world.civic).update(
        quality=5
    )
    CheckIn.objects.filter(
        collaboration=collaboration, owner_organisation=world.institution
    ).update(quality=2)
    health_changed([collaboration.pk])  # an update() sends no signal: say what changed
    assert at_risk(RiskReason.CHECKINS) == {"Diverging"}
    # A rating a side kept to itself is not compared.
    CheckIn.objects.filter(
        collaboration=collaboration, owner_organisation=world.institution
    ).update(visibility="own")
    health_changed([collaboration.pk])
    assert at_risk(RiskReason.CHECKINS) == set()


def test_a_divergence_older_than_two_periods_no_longer_counts(world, today):
    collaboration = running(world, title="Old news")
    give_checkin(collaboration, world.civic, date(2026, 10, 15), quality=5)
    give_checkin(collaboration, world.institution, date(2026, 10, 15), quality=1)
    # 15 Oct + 28 days = 12 Nov, before today.
    assert at_risk(RiskReason.CHECKINS) == set()


def test_a_side_naming_one_person_rests_on_them(world, today):
    collaboration = running(world, title="Lonely")
    assert at_risk(RiskReason.ONE_PERSON) == set()
    named = Stakeholder.objects.filter(collaboration=collaboration, organisation=world.institution)
    named.order_by("pk")[0].delete()
    assert at_risk(RiskReason.ONE_PERSON) == {"Lonely"}


def test_a_closed_collaboration_is_not_at_risk(world, today):
    collaboration = running(world, title="Done")
    Risk.objects.create(
        collaboration=collaboration, condition="c", statement="s", reason="r", stage="active"
    )
    CheckIn.objects.filter(collaboration=collaboration).delete()
    Stakeholder.objects.filter(collaboration=collaboration).delete()
    assert at_risk() == {"Done"}
    Collaboration.objects.filter(pk=collaboration.pk).update(stage=Stage.CLOSED)
    health_changed([collaboration.pk])
    assert at_risk() == set()


# --- The portfolio on the home page ---------------------------------------------------------


def mixed_portfolio(world) -> None:
    """Collaborations of several models and stages: healthy, at risk for each reason, and a
    closed one with a follow-up due."""
    running(world, title="Healthy")
    risky = running(world, title="Open risk", model=Model.TRAINING)
    Risk.objects.create(
        collaboration=risky, condition="c", statement="s", reason="r", stage="active"
    )
    behind = running(world, title="Behind", model=Model.POLICY)
    CheckIn.objects.filter(collaboration=behind).delete()
    refresh_owed_checkins(behind)
    lonely = running(world, title="Lonely", model=Model.TRAINING)
    Stakeholder.objects.filter(collaboration=lonely, organisation=world.civic).delete()
    CollaborationFactory.create(
        civic_organisation=world.civic, institution=world.institution, title="Proposed one"
    )
    closed = CollaborationFactory.create(
        civic_organisation=world.civic,
        institution=world.institution,
        title="Closed one",
        model=Model.CONSULTING,
        stage=Stage.CLOSED,
    )
    FollowUp.objects.create(collaboration=closed, months_after=6, due_on=TODAY)
    # Not the world's: never counted.
    CollaborationFactory.create(title="Someone else's", stage=Stage.ACTIVE)


def listed_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_each_figure_equals_the_count_of_the_list_it_links_to(world, today, client_for):
    mixed_portfolio(world)
    counts = portfolio_of(world.civic_lead, {world.civic.pk}, TODAY).counts
    client = client_for(world.civic_lead)
    assert counts.total.count == 6 == listed_count(client, counts.total.url)
    assert counts.at_risk.value == 3 == listed_count(client, counts.at_risk.url)
    assert counts.follow_ups.value == 1 == listed_count(client, counts.follow_ups.url)
    assert {str(f.label): f.value for f in counts.reasons} == {
        "A condition of the playbook fails": 1,
        "Check-ins overdue or diverging": 1,
        "A side rests on one person": 1,
    }
    for figure in counts.reasons:
        assert listed_count(client, figure.url) == figure.value
    cells = [cell for row in counts.rows for cell in [*row.cells, row.total]]
    for cell in [*cells, *counts.stage_totals]:
        assert listed_count(client, cell.url) == cell.count
    training = next(row for row in counts.rows if row.model == Model.TRAINING)
    assert training.total.count == 2
    assert [row.model for row in counts.rows] == [
        Model.FELLOWSHIP,
        Model.TRAINING,
        Model.CONSULTING,
        Model.POLICY,
    ]


def test_the_list_filters_for_the_portfolio_are_in_the_api_too(world, today, client_for):
    mixed_portfolio(world)
    client = client_for(world.civic_lead)
    for reason in ("any", *RiskReason.values):
        api = client.get("/api/v1/collaborations", {"at_risk": reason}).json()
        expected = Collaboration.objects.filter(
            at_risk_condition(TODAY, "" if reason == "any" else reason),
            civic_organisation=world.civic,
        )
        assert {item["id"] for item in api["items"]} == set(expected.values_list("pk", flat=True))
    due = client.get("/api/v1/collaborations", {"follow_ups": "due"}).json()
    assert [item["title"] for item in due["items"]] == ["Closed one"]


def test_home_shows_the_portfolio_with_its_numbers_and_charts(world, today, client_for):
    mixed_portfolio(world)
    page = client_for(world.civic_lead).get(reverse("collaborations:home")).content.decode()
    assert "Your portfolio at a glance" in page
    assert reverse("collaborations:portfolio_stages_chart") in page
    assert "/collaborations/?at_risk=any" in page
    assert "/collaborations/?model=training&amp;stage=active" in page
    assert "Check-ins overdue or diverging: 1 collaboration" in page
    assert "Someone else&#x27;s" not in page


def test_the_charts_are_svg_images_without_scripts(world, today, client_for):
    mixed_portfolio(world)
    client = client_for(world.civic_lead)
    for name in ("portfolio_stages_chart", "portfolio_risks_chart"):
        response = client.get(reverse(f"collaborations:{name}"))
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<script" not in response.content
    assert (
        b"Training programme"
        in client.get(reverse("collaborations:portfolio_stages_chart")).content
    )


def test_home_asks_the_same_number_of_queries_at_ten_times_the_collaborations(
    world, playbook, client_for
):
    from civicbridge.collaborations.services import record_activity

    def grow(how_many: int) -> None:
        with time_machine.travel(TODAY, tick=False):
            for _ in range(how_many):
                mixed_portfolio(world)
                for collaboration in Collaboration.objects.filter(
                    civic_organisation=world.civic
                ).order_by("-id")[:3]:
                    record_activity(
                        world.civic_lead,
                        collaboration,
                        "Alex Lead did a thing.",
                        side=world.civic.pk,
                    )

    client = client_for(world.civic_lead)
    grow(1)
    with time_machine.travel(TODAY, tick=False):
        few = count_queries(client, reverse("collaborations:home"))
    grow(10)
    with time_machine.travel(TODAY, tick=False):
        assert count_queries(client, reverse("collaborations:home")) == few
        counts = portfolio_of(world.civic_lead, {world.civic.pk}, TODAY).counts
    assert counts.total.count == 66 and counts.at_risk.value == 33


# --- The platform admin's landing -----------------------------------------------------------


def test_the_platform_admin_lands_on_the_platforms_work(world, playbook, client_for):
    from tests.factories import ImportRunFactory

    ImportRunFactory.create(created_by=world.admin, filename="councils.json")
    page = client_for(world.admin).get(reverse("collaborations:home")).content.decode()
    assert "The platform's work" in page
    assert "does not act for an organisation" not in page
    assert "councils.json" in page
    assert reverse("core:task_queue") + "?state=failed" in page
    assert reverse("playbook:versions") in page
    assert reverse("procurement:jurisdictions") in page
    assert "Version 1 is in force" in page
    assert "Your portfolio at a glance" not in page


def test_only_the_platform_admin_sees_the_platforms_work(world, client_for):
    for user in (world.civic_lead, world.outsider):
        page = client_for(user).get(reverse("collaborations:home")).content.decode()
        assert "The platform's work" not in page
    outsider = client_for(world.outsider).get(reverse("collaborations:home")).content.decode()
    assert "does not act for an organisation" in outsider


def test_task_figures_equal_the_task_queue_lists(world, client_for):
    from civicbridge.collaborations.portfolio import platform_work
    from civicbridge.core import tasks

    work = platform_work(world.admin, TODAY)
    for figure in work.tasks:
        state = figure.url.rsplit("=", 1)[1]
        assert figure.value == tasks.listed(state).count()


def test_the_health_kept_on_each_row_is_worked_out_again_each_day(world, today):
    running(world, title="Due today")  # its sides' check-ins of today are not late yet
    assert at_risk(RiskReason.CHECKINS) == set()
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):
        # The scheduler's first pass of the day works out every row; a second finds none.
        assert work_out_health(timezone.now()) == 1
        assert work_out_health(timezone.now()) == 0
        kept = Collaboration.objects.at_risk(RiskReason.CHECKINS)
        assert set(kept.values_list("title", flat=True)) == {"Due today"}
