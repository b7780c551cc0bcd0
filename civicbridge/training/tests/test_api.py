"""The training API: the same rules as the pages, and lists of constant queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicbridge.training.choices import Moment
from civicbridge.training.models import Seat

from .test_pages import _grow
from .test_services import rate
from .trainingdata import enrol, officials, session

V1 = "/api/v1/collaborations"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_programme_is_run_through_the_api(world, programme, client_for):
    client = client_for(world.civic_lead)
    base = f"{V1}/{programme.pk}/training"
    module = post(client, f"{base}/modules", {"title": "Basics", "required": True})
    assert module.status_code == 201, module.content
    module_id = module.json()["id"]
    objective = post(client, f"{base}/modules/{module_id}/objectives", {"text": "Read a CSV"})
    assert objective.status_code == 201
    starts = timezone.now() + timedelta(days=2)
    created = post(
        client,
        f"{base}/sessions",
        {
            "title": "Day one",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "place": "Town hall",
            "capacity": 5,
            "modules": [module_id],
            "trainers": [world.civic_lead.person.pk],
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["module_ids"] == [module_id]
    [person] = officials(world, 1)
    added = post(client_for(world.official), f"{base}/participants", {"person": person.pk})
    assert added.status_code == 201, added.content
    participant_id = added.json()["id"]
    session_id = created.json()["id"]
    seat = post(
        client_for(world.official),
        f"{base}/sessions/{session_id}/seats",
        {"participant": participant_id},
    )
    assert seat.json() == {"participant_id": participant_id, "status": "registered"}
    client = client_for(world.civic_lead)
    attendance = post(
        client, f"{base}/sessions/{session_id}/attendance", {"attended": [participant_id]}
    )
    assert attendance.json() == {"attended": 1, "absent": 0}
    listed = client.get(f"{base}/participants").json()["items"]
    assert listed[0]["earned"] is True


def test_the_api_refuses_what_the_pages_refuse(world, programme, taught, client_for):
    base = f"{V1}/{programme.pk}/training"
    refused = post(client_for(world.official), f"{base}/modules", {"title": "Ours"})
    assert refused.status_code == 403
    day = session(world, programme, [taught[0]], capacity=1)
    a, b = enrol(world, programme, officials(world, 2))
    client = client_for(world.civic_lead)
    post(client, f"{base}/sessions/{day.pk}/seats", {"participant": a.pk})
    full = post(client, f"{base}/sessions/{day.pk}/seats", {"participant": b.pk})
    assert full.status_code == 422
    assert Seat.objects.count() == 1
    stranger = post(client, f"{base}/sessions/{day.pk}/attendance", {"attended": [b.pk]})
    assert stranger.status_code == 422
    assert client_for(world.outsider).get(f"{base}/sessions").status_code == 404


def test_capacity_shows_groups_of_five_and_keeps_smaller_ones_back(
    world, programme, taught, client_for
):
    people = enrol(world, programme, officials(world, 5))
    for participant in people:
        rate(participant, Moment.BEFORE, 3)
    rows = client_for(world.official).get(f"{V1}/{programme.pk}/training/capacity").json()
    everyone = rows[0]
    assert everyone["department"] == ""
    assert everyone["before"] == {
        "count": 5,
        "shown": True,
        "low": 3,
        "q1": 3,
        "median": 3,
        "q3": 3,
        "high": 3,
    }
    assert everyone["after"]["count"] == 0 and not everyone["after"]["shown"]


def test_api_lists_keep_their_queries_at_ten_times_the_data(world, programme, taught, client_for):
    client = client_for(world.civic_lead)
    urls = [f"{V1}/{programme.pk}/training/{part}" for part in ("sessions", "participants")]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found

    _grow(world, programme, [taught[0]], 1)
    once = counts()
    _grow(world, programme, [taught[0], taught[1]], 9)
    assert counts() == once
