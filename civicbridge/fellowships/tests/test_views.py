"""The placement and preparation tabs, as each persona sees them."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.fellowships.models import Placement, PreparationTask

from .conftest import place


def _url(name, collaboration, **kwargs):
    return reverse(f"fellowships:{name}", kwargs={"pk": collaboration.pk, **kwargs})


def test_placement_tab_without_placement_explains_and_offers_to_record_it(
    fellowship, world, client_for
):
    response = client_for(world.official).get(_url("placement", fellowship))
    assert response.status_code == 200
    assert b"No placement yet" in response.content
    assert _url("placement_edit", fellowship).encode() in response.content
    response = client_for(world.civic_lead).get(_url("brief", fellowship))
    assert b"Preparation starts long before the first day" in response.content


def test_recording_the_placement_through_the_form(fellowship, world, client_for):
    response = client_for(world.civic_lead).post(
        _url("placement_edit", fellowship),
        {
            "fellow": world.fellow.person.pk,
            "supervisor": world.official.person.pk,
            "host_department": world.department.pk,
            "start_date": fellowship.start_date.isoformat(),
            "end_date": fellowship.end_date.isoformat(),
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(collaboration=fellowship)
    assert placement.supervisor == world.official.person


def test_placement_form_refuses_a_fellow_from_outside_the_civic_organisation(
    fellowship, world, client_for
):
    response = client_for(world.official).post(
        _url("placement_edit", fellowship),
        {
            "fellow": world.official.person.pk,
            "supervisor": world.official.person.pk,
            "start_date": fellowship.start_date.isoformat(),
            "end_date": fellowship.end_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert not Placement.objects.exists()


def test_placement_tab_quotes_the_playbook_and_shows_who_recorded(placement, world, client_for):
    client = client_for(world.fellow)
    client.post(_url("statement", placement.collaboration, who="fellow"), {"text": "So keen."})
    response = client.get(_url("placement", placement.collaboration))
    page = response.content.decode()
    assert "The fellow is enthusiastic and open to innovation inside government." in page
    assert "The supervisor who hosts the fellow is enthusiastic" in page
    assert "So keen." in page and "Recorded by" in page
    assert "Not recorded yet" in page  # the supervisor's


def test_statement_route_knows_only_fellow_and_supervisor(placement, world, client_for):
    client = client_for(world.civic_lead)
    assert client.get(_url("statement", placement.collaboration, who="mayor")).status_code == 404
    assert client.get(_url("statement", placement.collaboration, who="fellow")).status_code == 200
    assert (
        client.get(_url("statement", placement.collaboration, who="supervisor")).status_code == 403
    )


def test_outsiders_get_404_everywhere(placement, world, client_for):
    task = placement.preparation_tasks.first()
    client = client_for(world.outsider)
    collaboration = placement.collaboration
    for name, kwargs in (
        ("placement", {}),
        ("placement_edit", {}),
        ("statement", {"who": "fellow"}),
        ("brief", {}),
        ("brief_edit", {}),
        ("task_create", {}),
    ):
        assert client.get(_url(name, collaboration, **kwargs)).status_code == 404, name
    for name, kwargs in (
        ("brief_deliver", {}),
        ("task_done", {"task_pk": task.pk}),
        ("task_reopen", {"task_pk": task.pk}),
    ):
        assert client.post(_url(name, collaboration, **kwargs)).status_code == 404, name


def test_brief_tab_counts_down_and_flags_overdue_tasks(placement, world, client_for):
    # 60 days to go: the 90-day task is overdue, the others are not yet.
    response = client_for(world.fellow).get(_url("brief", placement.collaboration))
    page = response.content.decode()
    assert "60 days to go" in page
    assert 'class="usa-process-list"' in page
    assert page.count("Overdue") == 1
    assert "Write the brief" not in page  # the fellow reads; the host writes


def test_marking_a_task_done_and_not_done(placement, world, client_for):
    task = placement.preparation_tasks.first()
    client = client_for(world.fellow)
    assert (
        client.post(_url("task_done", placement.collaboration, task_pk=task.pk)).status_code == 302
    )
    task.refresh_from_db()
    assert task.done_on is not None
    client.post(_url("task_reopen", placement.collaboration, task_pk=task.pk))
    task.refresh_from_db()
    assert task.done_on is None
    assert (
        client.get(_url("task_done", placement.collaboration, task_pk=task.pk)).status_code == 405
    )


def test_adding_a_task(placement, world, client_for):
    response = client_for(world.official).post(
        _url("task_create", placement.collaboration), {"title": "Badge", "days_before_start": 2}
    )
    assert response.status_code == 302
    assert placement.preparation_tasks.filter(title="Badge", days_before_start=2).exists()


def test_the_host_writes_and_sends_the_brief_through_the_pages(
    placement, world, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(world.official)
    client.post(
        _url("brief_edit", placement.collaboration),
        {"possibilities": "a", "priorities": "b", "challenges": "c"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("brief_deliver", placement.collaboration))
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["fellow@example.org"]]
    assert (
        client_for(world.civic_lead).get(_url("brief_edit", placement.collaboration)).status_code
        == 403
    )


def test_sending_an_incomplete_brief_says_why(placement, world, client_for):
    client = client_for(world.official)
    client.post(
        _url("brief_edit", placement.collaboration),
        {"possibilities": "a", "priorities": "", "challenges": ""},
    )
    response = client.post(_url("brief_deliver", placement.collaboration), follow=True)
    assert b"The brief is not complete" in response.content


def test_preparation_tab_queries_do_not_grow_with_tasks(complete_brief, world, client_for):
    placement = complete_brief.placement
    client = client_for(world.official)
    url = _url("brief", placement.collaboration)

    def queries_with(tasks: int) -> int:
        PreparationTask.objects.filter(placement=placement).delete()
        PreparationTask.objects.bulk_create(
            PreparationTask(placement=placement, title=f"Task {n}", days_before_start=n)
            for n in range(tasks)
        )
        client.get(url)  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("usa-process-list__item") == tasks
        return len(captured)

    assert queries_with(1) == queries_with(10)


def test_a_non_fellowship_has_no_room(world, playbook, client_for):
    from tests.factories import CollaborationFactory

    training = CollaborationFactory.create(
        model="training", civic_organisation=world.civic, institution=world.institution
    )
    assert client_for(world.civic_lead).get(_url("placement", training)).status_code == 404


def test_fellow_without_account_access_still_records_their_statement(fellowship, world, client_for):
    from tests.factories import MembershipFactory, UserFactory

    newcomer = UserFactory.create(person__name="New Comer")
    MembershipFactory.create(person=newcomer.person, organisation=world.civic)  # no access
    placement = place(world.civic_lead, fellowship, world, fellow=newcomer.person)
    client = client_for(newcomer)
    assert client.get(_url("placement", fellowship)).status_code == 404
    url = _url("statement", fellowship, who="fellow")
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Count me in."}).status_code == 302
    placement.refresh_from_db()
    assert placement.fellow_statement == "Count me in."
    assert client.get(_url("statement", fellowship, who="supervisor")).status_code == 403
    assert fellowship.start_date - timedelta(days=1) < placement.start_date
