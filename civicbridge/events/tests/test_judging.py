"""Judging through the services and pages: the rubric, the jury, recusals, scores, ties,
and results that stay with the organisers and the judges until they are published."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.events import judging as rules
from civicbridge.events.models import Score
from civicbridge.events.services import judging

from .projectdata import add_project, add_team, hackathon, judge_user, rubric, sheet


@pytest.fixture
def event(world, playbook):
    return hackathon(world)


@pytest.fixture
def jury(world, event):
    """Two judges from outside both sides, and the civic lead as a third."""
    first = judge_user(world, "first@example.org", "First Judge")
    second = judge_user(world, "second@example.org", "Second Judge")
    return [
        judging.add_judge(world.civic_lead, event, email=user.email)
        for user in (first, second, world.civic_lead)
    ]


@pytest.fixture
def entries(world, event):
    first, second = event.teams.order_by("name")
    return add_project(world, event, first, "Bin map"), add_project(
        world, event, second, "Pothole app"
    )


# The rubric


def test_a_criterion_weighs_from_one_to_ten(world, event):
    with pytest.raises(ValidationError) as refused:
        judging.add_criterion(world.civic_lead, event, name="Design", weight=11)
    assert "weight" in refused.value.message_dict

    criterion = judging.add_criterion(world.civic_lead, event, name="Design", weight=10)

    assert criterion.weight == 10
    event.refresh_from_db()
    assert event.tie_break == rules.TIE_BREAK  # stated as soon as there is a rubric


def test_the_rubric_is_fixed_once_scoring_starts(world, event, jury, entries):
    criteria = rubric(world, event, 3, 1)
    judging.score_project(jury[0].user, entries[0], sheet(criteria, 4, 4))

    for change in (
        lambda: judging.add_criterion(world.civic_lead, event, name="Late", weight=1),
        lambda: judging.change_criterion(world.civic_lead, criteria[0], weight=1),
        lambda: judging.remove_criterion(world.civic_lead, criteria[1]),
    ):
        with pytest.raises(ValidationError, match="rubric is fixed"):
            change()


def test_only_the_organisers_set_the_rubric(world, event):
    with pytest.raises(PermissionDenied):
        judging.add_criterion(world.official, event, name="Design", weight=3)


# The jury


def test_a_judge_is_a_person_with_an_account_added_once(world, event):
    user = judge_user(world)
    with pytest.raises(ValidationError, match="Nobody has an account"):
        judging.add_judge(world.civic_lead, event, email="nobody@example.org")

    judging.add_judge(world.civic_lead, event, email=user.email.upper())

    with pytest.raises(ValidationError, match="a judge already"):
        judging.add_judge(world.civic_lead, event, email=user.email)


def test_the_institution_does_not_choose_the_judges(world, event):
    with pytest.raises(PermissionDenied):
        judging.add_judge(world.official, event, email=world.outsider.email)


# Scores


def test_only_a_judge_scores(world, event, entries):
    criteria = rubric(world, event, 1)

    with pytest.raises(PermissionDenied, match="judges"):
        judging.score_project(world.official, entries[0], sheet(criteria, 3))


def test_a_judge_scores_every_criterion_from_one_to_five(world, event, jury, entries):
    criteria = rubric(world, event, 3, 1)

    for scores in ({criteria[0].pk: 4}, sheet(criteria, 4, 6), sheet(criteria, 0, 3)):
        with pytest.raises(ValidationError):
            judging.score_project(jury[0].user, entries[0], scores)

    assert not Score.objects.exists()


def test_a_judge_changes_their_sheet_without_a_second_row(world, event, jury, entries):
    criteria = rubric(world, event, 3, 1)
    judging.score_project(jury[0].user, entries[0], sheet(criteria, 2, 2))

    judging.score_project(jury[0].user, entries[0], sheet(criteria, 5, 2))

    assert sorted(Score.objects.values_list("score", flat=True)) == [2, 5]


def test_a_judge_with_a_stake_recuses_and_their_scores_go(world, event, jury, entries):
    criteria = rubric(world, event, 3, 1)
    bins, potholes = entries
    judge = jury[0]
    judging.score_project(judge.user, bins, sheet(criteria, 1, 1))
    judging.score_project(judge.user, potholes, sheet(criteria, 5, 5))

    judging.recuse(judge.user, judge, bins.team)

    assert not Score.objects.filter(judge=judge, project=bins).exists()
    assert Score.objects.filter(judge=judge, project=potholes).count() == 2
    with pytest.raises(PermissionDenied, match="recused"):
        judging.score_project(judge.user, bins, sheet(criteria, 1, 1))


def test_a_recusal_is_recorded_by_the_judge_or_the_organisers(world, event, jury):
    team = event.teams.earliest("name")

    with pytest.raises(PermissionDenied):
        judging.recuse(jury[1].user, jury[0], team)

    judging.recuse(world.civic_lead, jury[0], team)

    assert list(jury[0].recused_from.all()) == [team]


def test_a_recused_judge_does_not_count_for_the_team_s_project(world, event, jury, entries):
    criteria = rubric(world, event, 1)
    bins, _potholes = entries
    judging.score_project(jury[0].user, bins, sheet(criteria, 1))
    judging.score_project(jury[1].user, bins, sheet(criteria, 5))

    judging.recuse(jury[0].user, jury[0], bins.team)

    (result,) = [r for r in judging.results(event) if r.project == bins]
    assert (result.total, result.judges) == (5, 1)


def test_equal_totals_are_ordered_by_the_heaviest_criterion(world, event, jury, entries):
    # Design weighs 3, feasibility 1. Bins: (3*4 + 1*4) / 4 = 4 from both judges; the pothole
    # app: (3*5 + 1*1) / 4 = 4 from both. Equal totals; the pothole app's design is better,
    # though the bin map was entered first.
    design, feasibility = rubric(world, event, 3, 1)
    bins, potholes = entries
    for judge in jury[:2]:
        judging.score_project(judge.user, bins, {design.pk: 4, feasibility.pk: 4})
        judging.score_project(judge.user, potholes, {design.pk: 5, feasibility.pk: 1})

    first, second = judging.results(event)

    assert first.total == second.total == 4
    assert [first.project, second.project] == [potholes, bins]
    assert second.decided_by == rules.BY_HEAVIEST


def test_a_full_tie_goes_to_the_project_entered_first(world, event, jury, entries):
    criteria = rubric(world, event, 2, 1)
    bins, potholes = entries
    for project in (potholes, bins):
        judging.score_project(jury[0].user, project, sheet(criteria, 3, 4))

    first, second = judging.results(event)

    assert [first.project, second.project] == [bins, potholes]  # bins was entered first
    assert second.decided_by == rules.BY_ENTRY


# Publishing


def test_results_wait_for_a_scored_project(world, event, jury, entries):
    with pytest.raises(ValidationError, match="No project is scored"):
        judging.publish_results(world.civic_lead, event)


def test_after_publication_no_score_or_judge_changes(world, event, jury, entries):
    criteria = rubric(world, event, 1)
    judging.score_project(jury[0].user, entries[0], sheet(criteria, 4))
    judging.publish_results(world.civic_lead, event)

    with pytest.raises(ValidationError, match="published"):
        judging.score_project(jury[0].user, entries[0], sheet(criteria, 5))
    with pytest.raises(ValidationError, match="published"):
        judging.remove_judge(world.civic_lead, jury[1])
    with pytest.raises(ValidationError, match="published"):
        judging.recuse(jury[0].user, jury[0], entries[0].team)


def test_results_are_hidden_until_the_organisers_publish_them(
    world, event, jury, entries, client_for
):
    criteria = rubric(world, event, 1)
    judging.score_project(jury[0].user, entries[0], sheet(criteria, 4))
    event.collaboration.public = True
    event.collaboration.save(update_fields=["public"])
    results = reverse("events:results", args=[event.collaboration_id])
    public = reverse("events:public_results", args=[event.collaboration_id])
    api = f"/api/v1/events/{event.collaboration_id}/results"

    def statuses():
        return {
            "organiser": client_for(world.civic_lead).get(results).status_code,
            "judge": client_for(jury[0].user).get(results).status_code,
            "official": client_for(world.official).get(results).status_code,
            "official api": client_for(world.official).get(api).status_code,
            "public": client_for(None).get(public).status_code,
        }

    assert statuses() == {
        "organiser": 200,
        "judge": 200,
        "official": 403,
        "official api": 403,
        "public": 404,
    }
    judging.publish_results(world.civic_lead, event)
    assert set(statuses().values()) == {200}
    assert "Bin map" in client_for(None).get(public).content.decode()


def test_winners_are_marked_by_the_organisers(world, event, entries):
    judging.set_winner(world.civic_lead, entries[0], winner=True)

    with pytest.raises(PermissionDenied):
        judging.set_winner(world.official, entries[1], winner=True)
    entries[0].refresh_from_db()
    assert entries[0].winner


# Pages


def test_a_judge_scores_on_one_form_per_project(world, event, jury, entries, client_for):
    design, feasibility = rubric(world, event, 3, 1)
    url = reverse("events:score", args=[event.collaboration_id, entries[0].pk])
    client = client_for(jury[0].user)

    assert client.get(url).status_code == 200
    response = client.post(url, {f"criterion_{design.pk}": "5", f"criterion_{feasibility.pk}": "2"})

    assert response.status_code == 302
    assert dict(Score.objects.values_list("criterion_id", "score")) == {
        design.pk: 5,
        feasibility.pk: 2,
    }


def test_a_project_of_another_event_cannot_be_scored_here(world, event, jury, client_for):
    rubric(world, event, 1)
    other = hackathon(world, teams_count=1, title="Another hackathon")
    foreign = add_project(world, other, other.teams.earliest("name"))

    url = reverse("events:score", args=[event.collaboration_id, foreign.pk])

    assert client_for(jury[0].user).get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_results_and_judging_pages_take_as_many_queries_for_ten_times_the_data(
    world, event, jury, entries, client_for
):
    criteria = rubric(world, event, 3, 2, 1)
    for project in entries:
        judging.score_project(jury[0].user, project, sheet(criteria, 3, 4, 5))
    judging.recuse(jury[1].user, jury[1], entries[0].team)
    client = client_for(world.civic_lead)
    pages = [
        reverse(name, args=[event.collaboration_id])
        for name in ("events:results", "events:judging")
    ]
    judge_page = reverse("events:judging", args=[event.collaboration_id])
    once = [_queries(client, url) for url in pages]
    once_judge = _queries(client_for(jury[0].user), judge_page)

    for number in range(18):
        project = add_project(world, event, add_team(world, event, f"More {number}"))
        for judge in jury:
            judging.score_project(judge.user, project, sheet(criteria, 1, 2, 3))
    for number in range(8):
        user = judge_user(world, f"judge{number}@example.org", f"Judge {number}")
        judge = judging.add_judge(world.civic_lead, event, email=user.email)
        judging.recuse(world.civic_lead, judge, entries[1].team)

    client = client_for(world.civic_lead)
    assert [_queries(client, url) for url in pages] == once
    assert _queries(client_for(jury[0].user), judge_page) == once_judge
