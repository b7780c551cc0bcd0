"""Projects: entered by the organisers or by the team through its link, design first; and
their design artefacts, checked by content and served only to those who see the project."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.events.models import Artefact, Project
from civicbridge.events.services import judging, projects

from .eventdata import make_event, published_challenge
from .projectdata import JPEG, PDF, PNG, SVG, add_project, add_team, hackathon, judge_user


@pytest.fixture
def event(world, playbook):
    return hackathon(world)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def fields(event, **changes):
    return {
        "team": event.teams.earliest("name"),
        "challenge": event.challenges.get(status="published"),
        "title": "Bin map",
        "problem": "Missed bins nobody sees.",
        "users": "Residents.",
        "concept": "A map.",
        **changes,
    }


# Entering a project


def test_organisers_enter_a_project_that_answers_a_published_challenge(world, event):
    project = projects.create_project(world.civic_lead, event, **fields(event))

    assert project.challenge == event.challenges.get(status="published")
    assert project.repository_url == ""  # code is optional


def test_a_project_says_its_problem_users_and_concept(world, event):
    with pytest.raises(ValidationError) as refused:
        projects.create_project(
            world.civic_lead, event, **fields(event, problem=" ", users="", concept="")
        )

    assert set(refused.value.message_dict) == {"problem", "users", "concept"}
    assert not Project.objects.exists()


def test_a_project_answers_a_challenge_of_its_own_event_only(world, event):
    other = make_event(world, title="Another hackathon")
    foreign = published_challenge(world, other, title="Another event's challenge")
    other_team = add_team(world, hackathon(world, teams_count=0, title="Third"), "Elsewhere")

    with pytest.raises(ValidationError) as refused:
        projects.create_project(
            world.civic_lead, event, **fields(event, challenge=foreign, team=other_team)
        )

    assert set(refused.value.message_dict) == {"challenge", "team"}


def test_a_draft_challenge_cannot_be_answered(world, event):
    from .eventdata import challenge

    draft = challenge(world, event, submit=False, title="Still a draft")

    with pytest.raises(ValidationError, match="published challenge"):
        projects.create_project(world.civic_lead, event, **fields(event, challenge=draft))


def test_a_team_has_one_project_with_a_title_of_its_own(world, event):
    first, second = event.teams.order_by("name")
    add_project(world, event, first, "Bin map")

    with pytest.raises(ValidationError) as refused:
        projects.create_project(world.civic_lead, event, **fields(event, team=first))
    assert "has a project already" in refused.value.message_dict["team"][0]

    with pytest.raises(ValidationError) as refused:
        projects.create_project(
            world.civic_lead, event, **fields(event, team=second, title="BIN MAP")
        )
    assert "title" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["official", "outsider"])
def test_only_the_organisers_enter_projects(world, event, persona):
    with pytest.raises(PermissionDenied):
        projects.create_project(getattr(world, persona), event, **fields(event))


# Design artefacts


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("sketch.png", PNG, "image/png"),
        ("slides.pdf", PDF, "application/pdf"),
        ("photo.JPG", JPEG, "image/jpeg"),
    ],
)
def test_an_artefact_is_typed_by_its_content(world, event, name, content, content_type):
    project = add_project(world, event, event.teams.earliest("name"))

    artefact = projects.add_artefact(
        world.civic_lead, project, kind="sketch", file=upload(name, content)
    )

    assert artefact.content_type == content_type
    assert artefact.size == len(content)
    assert artefact.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("drawing.svg", SVG, "SVG"),
        ("drawing.png", SVG, "SVG"),  # an SVG dressed as a PNG
        ("notes.pdf", b"just some text, not a PDF", "PDF, PNG or JPEG"),
        ("page.html", b"<html><script>alert(1)</script></html>", "PDF, PNG or JPEG"),
        ("sketch.pdf", PNG, "name it .png"),  # a PNG named as a PDF
        ("empty.pdf", b"", "empty"),
    ],
)
def test_an_artefact_of_another_kind_is_refused_and_nothing_is_kept(
    world, event, settings, name, content, message
):
    project = add_project(world, event, event.teams.earliest("name"))

    with pytest.raises(ValidationError, match=message):
        projects.add_artefact(world.civic_lead, project, kind="sketch", file=upload(name, content))

    assert not Artefact.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_an_artefact_larger_than_the_setting_is_refused(world, event, settings):
    settings.ARTEFACT_MAX_BYTES = 1024 * 1024
    project = add_project(world, event, event.teams.earliest("name"))
    big = PNG + b"\x00" * (1024 * 1024)

    with pytest.raises(ValidationError, match="larger than 1 MB"):
        projects.add_artefact(world.civic_lead, project, kind="sketch", file=upload("a.png", big))

    projects.add_artefact(
        world.civic_lead, project, kind="sketch", file=upload("a.png", big[: 1024 * 1024])
    )


def test_a_project_keeps_a_limited_number_of_artefacts(world, event):
    project = add_project(world, event, event.teams.earliest("name"))
    for number in range(projects.MAX_ARTEFACTS):
        projects.add_artefact(
            world.civic_lead, project, kind="sketch", file=upload(f"{number}.png", PNG)
        )

    with pytest.raises(ValidationError, match="at most"):
        projects.add_artefact(world.civic_lead, project, kind="sketch", file=upload("x.png", PNG))


def test_the_institution_cannot_upload(world, event):
    project = add_project(world, event, event.teams.earliest("name"))

    with pytest.raises(PermissionDenied):
        projects.add_artefact(world.official, project, kind="sketch", file=upload("a.png", PNG))


def _artefact(world, event):
    project = add_project(world, event, event.teams.earliest("name"))
    artefact = projects.add_artefact(
        world.civic_lead, project, kind="slides", file=upload("slides.pdf", PDF)
    )
    url = reverse("events:artefact", args=[event.collaboration_id, project.pk, artefact.pk])
    return project, artefact, url


def test_an_artefact_downloads_as_an_attachment_that_is_never_sniffed(world, event, client_for):
    *_, url = _artefact(world, event)

    response = client_for(world.official).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="slides' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_only_those_who_see_the_project_download_its_artefacts(world, event, client_for):
    *_, url = _artefact(world, event)
    judge = judge_user(world)
    judging.add_judge(world.civic_lead, event, email=judge.email)

    statuses = {
        who: client_for(user).get(url).status_code
        for who, user in {
            "civic_lead": world.civic_lead,
            "official": world.official,
            "judge": judge,
            "outsider": world.outsider,
        }.items()
    }

    assert statuses == {"civic_lead": 200, "official": 200, "judge": 200, "outsider": 404}
    assert client_for(None).get(url).status_code == 302


def test_an_artefact_is_not_found_through_another_event_or_project(world, event, client_for):
    project, artefact, _url = _artefact(world, event)
    other_project = add_project(world, event, event.teams.latest("name"), "Second")
    other = hackathon(world, teams_count=0, title="Another hackathon")
    client = client_for(world.civic_lead)

    for pk, project_pk in (
        (other.collaboration_id, project.pk),
        (event.collaboration_id, other_project.pk),
    ):
        url = reverse("events:artefact", args=[pk, project_pk, artefact.pk])
        assert client.get(url).status_code == 404


def test_removing_an_artefact_deletes_its_file(world, event, django_capture_on_commit_callbacks):
    project = add_project(world, event, event.teams.earliest("name"))
    artefact = projects.add_artefact(
        world.civic_lead, project, kind="sketch", file=upload("a.png", PNG)
    )
    storage, name = artefact.file.storage, artefact.file.name or ""
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        projects.remove_artefact(world.civic_lead, artefact)

    assert not storage.exists(name)
    assert not Artefact.objects.exists()


# The team's own link


def test_the_team_enters_its_project_through_the_link_it_was_sent(
    world, event, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    team = event.teams.earliest("name")
    with django_capture_on_commit_callbacks(execute=True):
        projects.send_team_link(world.civic_lead, team)
    (message,) = mailoutbox
    assert message.to == [team.contact.email]
    link = next(line for line in message.body.splitlines() if "/team-projects/" in line)
    path = link[link.index("/team-projects/") :]
    client = client_for(None)

    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "challenge": event.challenges.get(status="published").pk,
            "title": "Our bin map",
            "problem": "Missed bins.",
            "users": "Residents.",
            "concept": "A map.",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(team=team)
    response = client.post(
        reverse("events:team_artefact_upload", args=[path.split("/")[2]]),
        {"kind": "sketch", "file": upload("sketch.png", PNG)},
    )
    assert response.status_code == 302
    assert project.artefacts.get().content_type == "image/png"


def test_a_team_link_refuses_an_svg_with_the_reason(world, event, client_for):
    team = event.teams.earliest("name")
    token = projects.team_link_token(team)
    add_project(world, event, team)

    response = client_for(None).post(
        reverse("events:team_artefact_upload", args=[token]),
        {"kind": "sketch", "file": upload("evil.svg", SVG)},
    )

    assert response.status_code == 400
    assert "SVG images can carry scripts" in response.content.decode()
    assert not Artefact.objects.exists()


def test_a_forged_link_is_refused_with_a_clear_page(world, event, client_for):
    token = projects.team_link_token(event.teams.earliest("name"))

    response = client_for(None).get(reverse("events:team_project", args=[token[:-2] + "xx"]))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_a_link_expires(world, event, client_for):
    token = projects.team_link_token(event.teams.earliest("name"))

    with time_machine.travel(timezone.now() + projects.TEAM_LINK_VALID + timedelta(hours=1)):
        response = client_for(None).get(reverse("events:team_project", args=[token]))

    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_link_closes_once_the_results_are_published(world, event):
    team = event.teams.earliest("name")
    token = projects.team_link_token(team)
    event.results_published_at = timezone.now()
    event.save(update_fields=["results_published_at"])

    with pytest.raises(projects.TeamLinkRefused, match="published"):
        projects.team_for_link(token)


def test_a_team_link_changes_that_team_s_project_only(world, event, client_for):
    first, second = event.teams.order_by("name")
    theirs = add_project(world, event, second, "Theirs")
    token = projects.team_link_token(first)

    client_for(None).post(
        reverse("events:team_project", args=[token]),
        {
            "challenge": theirs.challenge_id,
            "title": "Ours",
            "problem": "p",
            "users": "u",
            "concept": "c",
            "team": second.pk,  # not a field of the team's form: ignored
        },
    )

    assert Project.objects.get(team=first).title == "Ours"
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


def test_a_team_without_a_contact_gets_no_link(world, event):
    team = event.teams.earliest("name")
    team.contact = None
    team.save(update_fields=["contact"])

    with pytest.raises(ValidationError, match="no contact"):
        projects.send_team_link(world.civic_lead, team)


# Pages


def test_the_projects_of_another_event_are_not_found(world, event, client_for):
    other = hackathon(world, teams_count=1, title="Another hackathon")
    foreign = add_project(world, other, other.teams.earliest("name"))
    client = client_for(world.civic_lead)

    for name in ("events:project", "events:project_edit", "events:artefact_upload"):
        url = reverse(name, args=[event.collaboration_id, foreign.pk])
        assert client.get(url).status_code == 404, name


def test_a_judge_from_outside_sees_the_projects_and_nothing_else(world, event, client_for):
    project = add_project(world, event, event.teams.earliest("name"))
    judge = judge_user(world)
    judging.add_judge(world.civic_lead, event, email=judge.email)
    client = client_for(judge)
    pk = event.collaboration_id

    statuses = {
        name: client.get(reverse(name, args=args)).status_code
        for name, args in (
            ("events:projects", [pk]),
            ("events:project", [pk, project.pk]),
            ("events:judging", [pk]),
            ("events:event", [pk]),
            ("events:project_edit", [pk, project.pk]),
            ("events:engagement", [pk]),
        )
    }

    assert statuses == {
        "events:projects": 200,
        "events:project": 200,
        "events:judging": 200,
        "events:event": 404,
        "events:project_edit": 404,
        "events:engagement": 404,
    }


def test_an_organiser_enters_a_project_on_the_page(world, event, client_for):
    response = client_for(world.civic_lead).post(
        reverse("events:project_create", args=[event.collaboration_id]),
        {
            "team": event.teams.earliest("name").pk,
            "challenge": event.challenges.get(status="published").pk,
            "title": "Bin map",
            "problem": "Missed bins.",
            "users": "Residents.",
            "concept": "A map.",
        },
    )

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "events:project", args=[event.collaboration_id, project.pk]
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_projects_page_takes_as_many_queries_for_ten_times_the_projects(
    world, event, client_for
):
    url = reverse("events:projects", args=[event.collaboration_id])
    for team in event.teams.all():
        project = add_project(world, event, team)
        projects.add_artefact(world.civic_lead, project, kind="sketch", file=upload("a.png", PNG))
    client = client_for(world.civic_lead)
    once = _queries(client, url)

    for number in range(18):
        team = add_team(world, event, f"More {number}")
        add_project(world, event, team)
        add_team(world, event, f"Without {number}")

    assert _queries(client, url) == once
