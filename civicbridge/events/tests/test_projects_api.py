"""Projects, judging and the engagement plan through the API: the same rules as the tabs."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.events.models import Artefact, Project
from civicbridge.events.services import engagement, judging
from civicbridge.events.services.projects import add_artefact

from .projectdata import PNG, SVG, add_project, hackathon, judge_user, rubric

API = "/api/v1/events"


@pytest.fixture
def event(world, playbook):
    return hackathon(world)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_organisers_enter_a_project_and_the_institution_reads_it(world, event, client_for):
    url = f"{API}/{event.collaboration_id}/projects"
    payload = {
        "team": event.teams.earliest("name").pk,
        "challenge": event.challenges.get(status="published").pk,
        "title": "Bin map",
        "problem": "Missed bins.",
        "users": "Residents.",
        "concept": "A map.",
    }

    assert post(client_for(world.official), url, payload).status_code == 403
    response = post(client_for(world.civic_lead), url, payload)

    assert response.status_code == 201, response.content
    listed = client_for(world.official).get(url).json()
    assert [item["title"] for item in listed["items"]] == ["Bin map"]
    assert client_for(world.outsider).get(url).status_code == 404


def test_a_project_of_another_event_is_not_found(world, event, client_for):
    other = hackathon(world, teams_count=1, title="Another hackathon")
    foreign = add_project(world, other, other.teams.earliest("name"))

    response = client_for(world.civic_lead).get(
        f"{API}/{event.collaboration_id}/projects/{foreign.pk}"
    )

    assert response.status_code == 404


def test_an_uploaded_artefact_is_checked_by_its_content(world, event, client_for):
    project = add_project(world, event, event.teams.earliest("name"))
    url = f"{API}/{event.collaboration_id}/projects/{project.pk}/artefacts"
    client = client_for(world.civic_lead)

    refused = client.post(url, {"kind": "sketch", "file": SimpleUploadedFile("x.png", SVG)})
    accepted = client.post(url, {"kind": "sketch", "file": SimpleUploadedFile("x.png", PNG)})

    assert refused.status_code == 422
    assert "SVG" in refused.json()["detail"]
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["content_type"] == "image/png"
    assert Artefact.objects.count() == 1


def test_a_judge_scores_and_the_results_wait_for_publication(world, event, client_for):
    criteria = rubric(world, event, 3, 1)
    ours, theirs = event.teams.order_by("name")
    first, second = add_project(world, event, ours), add_project(world, event, theirs)
    user = judge_user(world)
    judge = judging.add_judge(world.civic_lead, event, email=user.email)
    judging.recuse(user, judge, theirs)
    pk = event.collaboration_id
    sheet = {"scores": {str(criteria[0].pk): 4, str(criteria[1].pk): 5}}

    assert (
        put(client_for(world.official), f"{API}/{pk}/projects/{first.pk}/scores", sheet).status_code
        == 403
    )
    assert (
        put(client_for(user), f"{API}/{pk}/projects/{second.pk}/scores", sheet).status_code == 403
    )
    response = put(client_for(user), f"{API}/{pk}/projects/{first.pk}/scores", sheet)
    assert response.status_code == 200, response.content

    assert client_for(world.official).get(f"{API}/{pk}/results").status_code == 403
    results = client_for(user).get(f"{API}/{pk}/results").json()
    assert results["results"][0]["total"] == 4.25  # (3*4 + 1*5) / 4
    assert results["published_at"] is None
    assert post(client_for(world.civic_lead), f"{API}/{pk}/results/publish", {}).status_code == 200
    assert client_for(world.official).get(f"{API}/{pk}/results").status_code == 200


def test_the_engagement_plan_and_an_official_s_commitment(world, event, client_for):
    project = add_project(world, event, event.teams.earliest("name"))
    base = f"{API}/{event.collaboration_id}/projects/{project.pk}"
    official = client_for(world.official)

    assert official.get(f"{base}/engagement-plan").status_code == 404
    response = put(
        official,
        f"{base}/engagement-plan",
        {"worth_continuing": True, "owner": world.official.person.pk, "capacity": "A team."},
    )
    assert response.status_code == 200, response.content
    due = (date.today() + timedelta(days=30)).isoformat()
    response = post(
        official,
        f"{base}/commitments",
        {"official": world.official.person.pk, "next_step": "Pilot it.", "due_on": due},
    )
    assert response.status_code == 201, response.content
    commitment = response.json()["id"]

    done = post(
        official, f"{API}/{event.collaboration_id}/commitments/{commitment}/done", {"done": True}
    )
    assert done.status_code == 200
    assert done.json()["done_on"] == date.today().isoformat()
    assert Project.objects.get().engagement_plan.commitments.count() == 1


def test_a_judge_has_no_say_in_the_engagement_plan(world, event, client_for):
    project = add_project(world, event, event.teams.earliest("name"))
    user = judge_user(world)
    judging.add_judge(world.civic_lead, event, email=user.email)

    response = put(
        client_for(user),
        f"{API}/{event.collaboration_id}/projects/{project.pk}/engagement-plan",
        {"worth_continuing": False},
    )

    assert response.status_code == 404


def test_organisers_change_and_remove_rubric_lines_until_scoring_starts(world, event, client_for):
    first, second = rubric(world, event, 3, 1)
    pk = event.collaboration_id
    url = f"{API}/{pk}/criteria/{first.pk}"

    assert patch(client_for(world.official), url, {"weight": 5}).status_code == 403
    assert patch(client_for(world.outsider), url, {"weight": 5}).status_code == 404
    assert patch(client_for(world.civic_lead), url, {"weight": 11}).status_code == 422
    changed = patch(client_for(world.civic_lead), url, {"weight": 5})
    assert changed.status_code == 200
    assert (changed.json()["weight"], changed.json()["name"]) == (5, first.name)
    assert client_for(world.official).delete(url).status_code == 403
    assert client_for(world.civic_lead).delete(f"{API}/{pk}/criteria/{second.pk}").status_code == (
        204
    )

    user = judge_user(world)
    judging.add_judge(world.civic_lead, event, email=user.email)
    project = add_project(world, event, event.teams.earliest("name"))
    judging.score_project(user, project, {first.pk: 4})
    fixed = patch(client_for(world.civic_lead), url, {"weight": 2})
    assert fixed.status_code == 422 and "rubric is fixed" in fixed.json()["detail"]
    assert client_for(world.civic_lead).delete(url).status_code == 422
    assert [(c.pk, c.weight) for c in event.criteria.all()] == [(first.pk, 5)]


def test_organisers_take_a_judge_off_the_jury_until_the_results_are_out(world, event, client_for):
    (criterion,) = rubric(world, event, 1)
    project = add_project(world, event, event.teams.earliest("name"))
    user, other = judge_user(world), judge_user(world, "other@example.org", "Oth Er")
    judge = judging.add_judge(world.civic_lead, event, email=user.email)
    staying = judging.add_judge(world.civic_lead, event, email=other.email)
    judging.score_project(other, project, {criterion.pk: 4})
    pk = event.collaboration_id

    assert client_for(world.official).delete(f"{API}/{pk}/judges/{judge.pk}").status_code == 403
    assert client_for(world.outsider).delete(f"{API}/{pk}/judges/{judge.pk}").status_code == 404
    assert client_for(user).delete(f"{API}/{pk}/judges/{judge.pk}").status_code == 403
    assert client_for(world.civic_lead).delete(f"{API}/{pk}/judges/{judge.pk}").status_code == 204
    judging.publish_results(world.civic_lead, event)
    published = client_for(world.civic_lead).delete(f"{API}/{pk}/judges/{staying.pk}")
    assert published.status_code == 422 and "published" in published.json()["detail"]
    assert list(event.judges.all()) == [staying]


def test_organisers_remove_an_artefact_and_mark_a_winner(world, event, client_for):
    project = add_project(world, event, event.teams.earliest("name"))
    sketch = SimpleUploadedFile("sketch.png", PNG)
    artefact = add_artefact(world.civic_lead, project, kind="sketch", file=sketch)
    base = f"{API}/{event.collaboration_id}/projects/{project.pk}"

    assert client_for(world.official).delete(f"{base}/artefacts/{artefact.pk}").status_code == 403
    assert client_for(world.outsider).delete(f"{base}/artefacts/{artefact.pk}").status_code == 404
    assert client_for(world.civic_lead).delete(f"{base}/artefacts/{artefact.pk}").status_code == 204
    assert client_for(world.civic_lead).delete(f"{base}/artefacts/{artefact.pk}").status_code == 404
    assert not Artefact.objects.exists()

    assert put(client_for(world.official), f"{base}/winner", {"winner": True}).status_code == 403
    assert put(client_for(world.outsider), f"{base}/winner", {"winner": True}).status_code == 404
    assert put(client_for(world.civic_lead), f"{base}/winner", {"winner": "maybe"}).status_code == (
        422
    )
    assert not Project.objects.get().winner
    won = put(client_for(world.civic_lead), f"{base}/winner", {"winner": True})
    assert won.status_code == 200 and won.json()["winner"] is True
    assert Project.objects.get().winner


def test_the_organisers_send_a_team_its_project_link(
    world, event, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    team, without_contact = event.teams.order_by("name")
    without_contact.contact = None
    without_contact.save(update_fields=["contact"])
    base = f"{API}/{event.collaboration_id}/teams"

    assert post(client_for(world.official), f"{base}/{team.pk}/project-link", {}).status_code == (
        403
    )
    assert post(client_for(world.outsider), f"{base}/{team.pk}/project-link", {}).status_code == (
        404
    )
    refused = post(client_for(world.civic_lead), f"{base}/{without_contact.pk}/project-link", {})
    assert refused.status_code == 422 and "no contact" in refused.json()["detail"]
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = post(client_for(world.civic_lead), f"{base}/{team.pk}/project-link", {})
    assert sent.status_code == 200
    assert sent.json() == {"team_id": team.pk, "sent_to": team.contact.email}
    assert [message.to for message in mailoutbox] == [[team.contact.email]]


def test_either_side_removes_a_commitment_and_platform_admins_do_not(world, event, client_for):
    project = add_project(world, event, event.teams.earliest("name"))
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
    url = f"{API}/{event.collaboration_id}/commitments/{commitment.pk}"

    assert client_for(world.outsider).delete(url).status_code == 404
    assert client_for(world.admin).delete(url).status_code == 403
    assert plan.commitments.exists()
    assert client_for(world.civic_lead).delete(url).status_code == 204
    assert not plan.commitments.exists()
    assert client_for(world.official).delete(url).status_code == 404
