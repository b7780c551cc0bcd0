"""Teams from confirmed participants, and the team-mix check (E4)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.events.choices import Discipline
from civicbridge.events.models import Participant, Team
from civicbridge.events.services import participants, teams
from civicbridge.events.teammix import DEVELOPER, OFFICIAL, USER, check_mix, coder_only
from civicbridge.playbook import checks

from .eventdata import confirmed, open_event, registered


@pytest.fixture
def event(world, playbook):
    return open_event(world)


# The pure check


def test_the_discipline_names_are_the_choices():
    assert {DEVELOPER, USER, OFFICIAL} <= set(Discipline.values)


@pytest.mark.parametrize(
    ("members", "flagged"),
    [
        ([["developer"], ["developer"]], True),
        ([["developer"]], True),
        ([["developer"], ["developer", "designer"]], False),
        ([["developer"], ["user"]], False),
        ([], False),  # an empty team is no team of coders
    ],
)
def test_a_team_of_developers_only_is_flagged(members, flagged):
    assert coder_only(members) is flagged


def test_the_mix_counts_users_and_officials_and_names_coder_teams():
    report = check_mix(
        [["developer"], ["developer"], ["designer", "user"], ["official"]],
        {"Bytes": [["developer"], ["developer"]], "Mixed": [["designer", "user"], ["official"]]},
    )
    assert (report.participants, report.users, report.officials) == (4, 1, 1)
    assert report.coder_only_teams == ("Bytes",)
    assert report.flagged


def test_an_event_without_users_or_officials_is_flagged():
    report = check_mix([["developer"], ["designer"]], {})
    assert not report.has_users and not report.has_officials and report.flagged
    fine = check_mix([["user"], ["official", "domain_expert"]], {"A": [["user"], ["official"]]})
    assert not fine.flagged


# Forming teams


def test_organisers_form_a_team_of_confirmed_participants(world, event):
    ann, una = confirmed(event, "Ann"), confirmed(event, "Una", ["user"])
    team = teams.create_team(world.civic_lead, event, name="Bins", members=[ann, una], contact=una)
    assert set(team.members.all()) == {ann, una} and team.contact == una


def test_a_participant_is_in_one_team_only(world, event):
    ann, una = confirmed(event, "Ann"), confirmed(event, "Una", ["user"])
    teams.create_team(world.civic_lead, event, name="Bins", members=[ann])
    ann.refresh_from_db()
    with pytest.raises(ValidationError, match="is in another team already"):
        teams.create_team(world.civic_lead, event, name="Libraries", members=[ann, una])
    assert Team.objects.count() == 1
    assert Participant.objects.get(pk=una.pk).team is None


def test_only_confirmed_participants_join_a_team(world, event):
    waiting = registered(event, "Not confirmed yet")
    with pytest.raises(ValidationError, match="has no confirmed place"):
        teams.create_team(world.civic_lead, event, name="Bins", members=[waiting])


def test_the_contact_is_a_member(world, event):
    ann, una = confirmed(event, "Ann"), confirmed(event, "Una", ["user"])
    with pytest.raises(ValidationError) as refused:
        teams.create_team(world.civic_lead, event, name="Bins", members=[ann], contact=una)
    assert "contact" in refused.value.message_dict


def test_participants_of_another_event_do_not_join(world, event):
    other = open_event(world, title="Another event")
    stranger = confirmed(other, "Stranger")
    with pytest.raises(ValidationError, match="did not register for this event"):
        teams.create_team(world.civic_lead, event, name="Bins", members=[stranger])


@pytest.mark.parametrize("persona", ["official", "outsider", "admin"])
def test_only_organisers_form_teams(world, event, persona):
    ann = confirmed(event, "Ann")
    with pytest.raises(PermissionDenied):
        teams.create_team(getattr(world, persona), event, name="Bins", members=[ann])


def test_changing_a_team_frees_those_left_out(world, event):
    ann, una = confirmed(event, "Ann"), confirmed(event, "Una", ["user"])
    team = teams.create_team(world.civic_lead, event, name="Bins", members=[ann, una])
    teams.update_team(world.civic_lead, team, name="Bin day", members=[una], contact=una)
    assert Participant.objects.get(pk=ann.pk).team is None
    assert list(team.members.all()) == [una]


def test_a_cancelled_participant_leaves_the_team(world, event):
    ann, una = confirmed(event, "Ann"), confirmed(event, "Una", ["user"])
    team = teams.create_team(world.civic_lead, event, name="Bins", members=[ann, una], contact=ann)
    participants.cancel(Participant.objects.get(pk=ann.pk))
    team.refresh_from_db()
    assert list(team.members.all()) == [una] and team.contact is None


def test_dissolving_a_team_frees_its_members(world, event, client_for):
    ann = confirmed(event, "Ann")
    team = teams.create_team(world.civic_lead, event, name="Bins", members=[ann])
    url = reverse("events:team_delete", args=[event.collaboration_id, team.pk])
    assert client_for(world.official).post(url).status_code == 403
    assert client_for(world.civic_lead).post(url).status_code == 302
    assert not Team.objects.exists() and Participant.objects.get(pk=ann.pk).team is None


# The checks and the pages


def test_the_registered_checks_read_the_confirmed_participants(world, event):
    collaboration = event.collaboration
    passed, reason = checks.run("events.multidisciplinary", collaboration)
    assert not passed and "Nobody has confirmed a place yet" in reason
    ann, bo = confirmed(event, "Ann"), confirmed(event, "Bo")
    teams.create_team(world.civic_lead, event, name="Bytes", members=[ann, bo])
    passed, reason = checks.run("events.multidisciplinary", collaboration)
    assert not passed
    assert "team Bytes is made only of developers" in reason
    assert "no official is among the confirmed participants" in reason
    assert checks.run("events.users_present", collaboration)[0] is False
    confirmed(event, "Una", ["user"]), confirmed(event, "Otto", ["official"])
    Team.objects.all().delete()
    assert checks.run("events.multidisciplinary", collaboration)[0] is True
    assert checks.run("events.users_present", collaboration) == (
        True,
        "1 user or citizen takes part.",
    )


def test_the_teams_page_flags_coders_only_with_the_playbooks_advice(world, event, client_for):
    ann, bo = confirmed(event, "Ann"), confirmed(event, "Bo")
    teams.create_team(world.civic_lead, event, name="Bytes", members=[ann, bo], contact=ann)
    for persona in ("civic_lead", "official"):
        response = client_for(getattr(world, persona)).get(
            reverse("events:teams", args=[event.collaboration_id])
        )
        page = response.content.decode()
        assert "Made only of developers: Bytes." in page
        assert "No user or citizen takes part" in page
        assert "Check that no team is made only of coders." in page  # the mitigation
        assert ("ann@example.net" in page) is (persona == "civic_lead")


def test_forming_a_team_through_the_form(world, event, client_for):
    ann, una = confirmed(event, "Ann"), confirmed(event, "Una", ["user"])
    response = client_for(world.fellow).post(
        reverse("events:team_create", args=[event.collaboration_id]),
        {"name": "Bins", "members": [ann.pk, una.pk], "contact": una.pk},
    )
    assert response.status_code == 302
    assert Team.objects.get().contact == una


def test_the_teams_page_keeps_its_queries_as_teams_grow(world, event, client_for):
    client = client_for(world.civic_lead)
    url = reverse("events:teams", args=[event.collaboration_id])

    def add_team(number):
        members = [
            confirmed(event, f"Person {number}-{i}", ["developer", "user"]) for i in range(2)
        ]
        teams.create_team(world.civic_lead, event, name=f"Team {number}", members=members)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add_team(0)
    one = queries()
    for number in range(1, 10):
        add_team(number)
    assert queries() == one
