"""The training pages: the tabs, the attendance sheet, the participant's own page, the link,
and lists that keep their number of queries at ten times the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicbridge.training.choices import Moment, SeatStatus
from civicbridge.training.models import Seat, SelfAssessment
from civicbridge.training.services import capacity, sessions
from tests.factories import DepartmentFactory, UserFactory

from .trainingdata import enrol, officials, session


def base(programme) -> str:
    return f"/collaborations/{programme.pk}/training"


def test_every_tab_shows_to_both_sides(world, programme, taught, client_for):
    day = session(world, programme, [taught[0]], title="Opening day")
    enrol(world, programme, officials(world, 2))
    for user in (world.civic_lead, world.official):
        client = client_for(user)
        assert "Open data basics" in client.get(f"{base(programme)}/curriculum/").content.decode()
        assert "Opening day" in client.get(f"{base(programme)}/sessions/").content.decode()
        assert "Official 00" in client.get(f"{base(programme)}/participants/").content.decode()
        assert client.get(f"{base(programme)}/capacity/").status_code == 200
        assert client.get(f"{base(programme)}/sessions/{day.pk}/").status_code == 200
    assert client_for(world.outsider).get(f"{base(programme)}/curriculum/").status_code == 404


def test_empty_tabs_say_what_comes_first(world, programme, client_for):
    client = client_for(world.civic_lead)
    assert "No modules yet" in client.get(f"{base(programme)}/curriculum/").content.decode()
    assert (
        "No sessions are planned yet" in client.get(f"{base(programme)}/sessions/").content.decode()
    )
    assert "No participants yet" in client.get(f"{base(programme)}/participants/").content.decode()


def test_a_module_and_an_objective_are_added_through_the_pages(world, programme, client_for):
    client = client_for(world.civic_lead)
    response = client.post(
        f"{base(programme)}/curriculum/new/", {"title": "Basics", "required": "on", "position": 1}
    )
    assert response.status_code == 302
    module = programme.training_modules.get()
    client.post(f"{base(programme)}/curriculum/{module.pk}/objectives/new/", {"text": "Read CSV"})
    assert module.objectives.get().text == "Read CSV"
    refused = client_for(world.official).post(f"{base(programme)}/curriculum/new/", {"title": "X"})
    assert refused.status_code == 403


def test_attendance_is_one_form_of_big_ticks_that_works_without_script(
    world, programme, taught, client_for
):
    day = session(world, programme, [taught[0]])
    a, b = enrol(world, programme, officials(world, 2))
    sessions.invite(world.civic_lead, day, [a, b])
    client = client_for(world.civic_lead)
    url = f"{base(programme)}/sessions/{day.pk}/attendance/"
    sheet = client.get(url).content.decode()
    assert sheet.count('type="checkbox"') == 2
    assert "usa-checkbox__input--tile" in sheet
    response = client.post(url, {"attended": [a.pk]})
    assert response.status_code == 302
    statuses = dict(Seat.objects.values_list("participant_id", "status"))
    assert statuses == {a.pk: SeatStatus.ATTENDED, b.pk: SeatStatus.ABSENT}
    assert client_for(world.official).get(url).status_code == 403


def test_a_participant_sees_their_own_page_and_registers(world, programme, taught, client_for):
    day = session(world, programme, [taught[0]], title="Opening day")
    [person] = officials(world, 1)
    [participant] = enrol(world, programme, [person])
    user = UserFactory(person=person)
    client = client_for(user)
    page = client.get(f"{base(programme)}/mine/")
    assert "Opening day" in page.content.decode()
    assert "answer now" in page.content.decode()
    response = client.post(f"{base(programme)}/sessions/{day.pk}/register/")
    assert response["Location"] == f"{base(programme)}/mine/"
    assert Seat.objects.get(participant=participant).status == SeatStatus.REGISTERED
    assert client.get(f"{base(programme)}/curriculum/").status_code == 404
    assert client_for(world.outsider).get(f"{base(programme)}/mine/").status_code == 404


def test_the_link_takes_the_ratings_without_an_account_once(world, programme, taught, client):
    [participant] = enrol(world, programme, officials(world, 1))
    assessment = participant.self_assessments.get(moment=Moment.BEFORE)
    url = capacity.answer_path(assessment)
    form = client.get(url)
    assert form.status_code == 200
    assert "Explain what open data is" in form.content.decode()
    fields = {f"objective_{o.pk}": 2 for o in taught[2]}
    incomplete = client.post(url, dict(list(fields.items())[:1]))
    assert incomplete.status_code == 200
    assert not SelfAssessment.objects.filter(answered_at__isnull=False).exists()
    thanks = client.post(url, fields)
    assert "Thank you" in thanks.content.decode()
    assert client.post(url, fields).status_code == 410
    assert client.get(url[:-3] + "xx/").status_code in (400, 410)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(world, programme, modules, times: int):
    department = DepartmentFactory(organisation=world.institution)
    for number in range(times):
        day = session(world, programme, modules, title=f"Day {number}", days=number + 1)
        people = enrol(world, programme, officials(world, 2, department, prefix=f"P{number}-"))
        sessions.invite(world.civic_lead, day, people)
        sessions.take_attendance(world.civic_lead, day, [people[0].pk])


def test_the_lists_keep_their_queries_at_ten_times_the_data(world, programme, taught, client_for):
    client = client_for(world.civic_lead)
    urls = [f"{base(programme)}/{tab}/" for tab in ("sessions", "participants", "capacity")]
    _grow(world, programme, [taught[0]], 1)
    day = programme.training_sessions.first()
    urls.append(f"{base(programme)}/sessions/{day.pk}/attendance/")
    once = [_count(client, url) for url in urls]
    _grow(world, programme, [taught[0], taught[1]], 9)
    sessions.invite(world.civic_lead, day, list(programme.training_participants.all()))
    assert [_count(client, url) for url in urls] == once
