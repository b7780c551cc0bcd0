"""Registration without an account (E4): confirmation links, places and the waiting list,
spam defences, and who sees the participants."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.events.choices import ParticipantStatus
from civicbridge.events.models import Participant
from civicbridge.events.services import events, participants
from civicbridge.events.services.participants import LinkProblem, LinkRefused

from .eventdata import confirmed, make_event, open_event, registered, status_of

FORM = {
    "name": "Robin Resident",
    "email": "Robin@Example.net",
    "disciplines": ["user", "designer"],
    "consent": "on",
    "website": "",
}


@pytest.fixture
def event(world, playbook):
    return open_event(world, capacity=2)


def _register_url(event):
    return reverse("events:register", args=[event.collaboration_id])


def _submit(client, event, *, wait: float = 5, **changes):
    """Show the form, wait `wait` seconds as a person would, and send it."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        page = client.get(_register_url(event))
        started = re.search(rb'name="started" value="([^"]+)"', page.content)
        assert started, "the form carries the signed moment it was shown"
        traveller.shift(wait)
        return client.post(
            _register_url(event), {**FORM, "started": started.group(1).decode(), **changes}
        )


def _link(message, name: str) -> str:
    """The path of the `name` link (confirm or cancel) in an e-mail."""
    pattern = re.escape(reverse(f"events:{name}", args=["TOKEN"])).replace("TOKEN", r"[^/\s]+")
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(0)


def _token_in(path: str) -> str:
    return path.rstrip("/").split("/")[-2]


# Registering and confirming


def test_registering_sends_a_link_and_confirming_takes_a_place(
    world, event, client_for, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, event)
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.email == "robin@example.net"  # one address, however it is typed
    assert participant.status == ParticipantStatus.UNCONFIRMED
    assert participant.disciplines == ["designer", "user"]
    [message] = mail.outbox
    confirm_path = _link(message, "confirm")

    page = client.get(confirm_path)
    assert page.status_code == 200 and b"Confirm my registration" in page.content
    assert status_of(participant) == ParticipantStatus.UNCONFIRMED  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(confirm_path)
    assert b"Your place is confirmed" in done.content
    assert status_of(participant) == ParticipantStatus.CONFIRMED
    assert "give your place up" in mail.outbox[-1].body
    assert _link(mail.outbox[-1], "cancel")


def test_registration_needs_consent_and_a_discipline(world, event, client_for):
    response = _submit(client_for(None), event, consent="", disciplines=[])
    assert response.status_code == 200
    assert not Participant.objects.exists()
    with pytest.raises(ValidationError) as refused:
        participants.register(event, name="X", email="x@example.net", disciplines=[], consent=True)
    assert "disciplines" in refused.value.message_dict


def test_registration_is_refused_while_closed(world, event, client_for):
    events.close_registration(world.civic_lead, event)
    response = client_for(None).get(_register_url(event))
    assert b"Registration is closed" in response.content and b'name="email"' not in response.content
    with pytest.raises(ValidationError, match="closed"):
        registered(event, "Late Comer")


# Spam defences


def test_the_honeypot_refuses_a_robot(world, event, client_for):
    response = _submit(client_for(None), event, website="http://spam.example")
    assert response.status_code == 200
    assert b"We could not take this registration" in response.content
    assert not Participant.objects.exists()


def test_a_form_sent_within_seconds_is_refused(world, event, client_for):
    response = _submit(client_for(None), event, wait=1)
    assert response.status_code == 200
    assert b"came back within seconds of opening" in response.content
    assert not Participant.objects.exists()


def test_a_forged_form_moment_is_refused(world, event, client_for):
    client = client_for(None)
    forged = signing.dumps(0, salt="something else")
    response = client.post(_register_url(event), {**FORM, "started": forged})
    assert b"This form is damaged" in response.content
    assert not Participant.objects.exists()


def test_one_address_sends_only_a_few_registrations_a_minute(world, event, client_for, settings):
    settings.EVENT_REGISTRATIONS_PER_MINUTE = 2
    client = client_for(None)
    for number in range(2):
        assert _submit(client, event, email=f"person{number}@example.net").status_code == 302
    response = _submit(client, event, email="person3@example.net")
    assert response.status_code == 429
    assert b"Too many registrations" in response.content
    assert Participant.objects.count() == 2


# Duplicates


def test_a_confirmed_address_registers_once(world, event, client_for):
    confirmed(event, "Robin Resident", email="robin@example.net")
    response = _submit(client_for(None), event)
    assert response.status_code == 200
    assert b"This e-mail address is registered for this event already" in response.content
    assert Participant.objects.count() == 1


def test_registering_again_before_confirming_replaces_the_link(
    world, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = registered(event, "Robin", email="robin@example.net")
        again = participants.register(
            event, name="Robin R.", email="ROBIN@example.net", disciplines=["user"], consent=True
        )
    assert again.again and again.participant.pk == first.pk
    assert Participant.objects.count() == 1
    old, new = (_link(message, "confirm") for message in mail.outbox)
    with pytest.raises(LinkRefused) as refused:
        participants.participant_for_link(_token_in(old))
    assert refused.value.problem == LinkProblem.REPLACED
    assert participants.participant_for_link(_token_in(new)).name == "Robin R."


# Links


def test_a_forged_confirmation_link_is_refused_with_a_clear_page(world, event, client_for):
    participant = registered(event, "Robin")
    token = participants.link_token(participant)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client_for(None).get(reverse("events:confirm", args=[forged]))
    assert response.status_code == 400
    assert b"This link is not valid" in response.content
    assert status_of(participant) == ParticipantStatus.UNCONFIRMED


def test_a_cancel_link_does_not_confirm(world, event, client_for):
    participant = registered(event, "Robin")
    response = client_for(None).post(
        reverse("events:confirm", args=[participants.link_token(participant, cancel=True)])
    )
    assert response.status_code == 400
    assert status_of(participant) == ParticipantStatus.UNCONFIRMED


def test_an_expired_confirmation_link_is_refused(world, event, client_for):
    participant = registered(event, "Robin")
    token = participants.link_token(participant)
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        response = client_for(None).post(reverse("events:confirm", args=[token]))
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert status_of(participant) == ParticipantStatus.UNCONFIRMED


def test_a_confirmation_link_works_once(world, event, client_for):
    participant = registered(event, "Robin")
    url = reverse("events:confirm", args=[participants.link_token(participant)])
    client = client_for(None)
    assert client.post(url).status_code == 200
    again = client.post(url)
    assert again.status_code == 409
    assert b"This link was used already" in again.content
    assert client.get(url).status_code == 409


# Places and the waiting list


def test_beyond_capacity_people_join_the_waiting_list_in_order(world, event):
    ann, bo = confirmed(event, "Ann"), confirmed(event, "Bo")
    cy, di = confirmed(event, "Cy"), confirmed(event, "Di")
    assert [status_of(p) for p in (ann, bo, cy, di)] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
    ]
    assert [participants.waiting_position(p) for p in (cy, di)] == [1, 2]
    places = participants.places(event)
    assert (places.confirmed, places.waiting, places.left, places.full) == (2, 2, 0, True)


def test_who_confirms_first_gets_the_place_not_who_registered_first(world, event):
    late = registered(event, "Late")
    ann, bo = registered(event, "Ann"), registered(event, "Bo")
    participants.confirm(ann)
    participants.confirm(bo)
    assert participants.confirm(late).status == ParticipantStatus.WAITING
    assert participants.places(event).confirmed == 2


def test_a_cancelled_place_goes_to_the_first_on_the_waiting_list(
    world, event, client_for, django_capture_on_commit_callbacks
):
    ann = confirmed(event, "Ann")
    confirmed(event, "Bo")
    cy, di = confirmed(event, "Cy"), confirmed(event, "Di")
    url = reverse("events:cancel", args=[participants.link_token(ann, cancel=True)])
    client = client_for(None)
    assert b"Give your place at" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert b"Your registration is cancelled" in response.content
    assert status_of(ann) == "cancelled"
    assert (status_of(cy), status_of(di)) == ("confirmed", "waiting")
    assert participants.waiting_position(Participant.objects.get(pk=di.pk)) == 1
    [message] = mail.outbox
    assert message.to == [cy.email] and "it is yours" in message.body
    assert client.post(url).status_code == 409  # cancelled once


def test_a_bigger_capacity_lets_the_waiting_list_in(world, event):
    confirmed(event, "Ann"), confirmed(event, "Bo")
    cy = confirmed(event, "Cy")
    events.save_event(
        world.civic_lead,
        event.collaboration,
        kind=event.kind,
        venue=event.venue,
        online=False,
        capacity=3,
        url="",
        organisers=[world.civic_lead.person],
        partner_institutions=[],
    )
    assert status_of(cy) == "confirmed"


def test_the_capacity_cannot_drop_below_the_confirmed_places(world, event):
    confirmed(event, "Ann"), confirmed(event, "Bo")
    with pytest.raises(ValidationError) as refused:
        events.save_event(
            world.civic_lead,
            event.collaboration,
            kind=event.kind,
            venue=event.venue,
            capacity=1,
            organisers=[],
            partner_institutions=[],
        )
    assert "capacity" in refused.value.message_dict


def test_a_cancel_link_no_longer_works_after_the_event(world, event):
    ann = confirmed(event, "Ann")
    token = participants.link_token(ann, cancel=True)
    with (
        time_machine.travel(timezone.now() + timedelta(days=40)),
        pytest.raises(LinkRefused) as refused,
    ):
        participants.participant_for_link(token, cancel=True)
    assert refused.value.problem == LinkProblem.OVER


# Who sees the participants


def test_the_organisers_see_names_and_addresses_and_the_institution_only_counts(
    world, event, client_for
):
    confirmed(event, "Ann Dev", email="ann@example.net")
    confirmed(event, "Una User", ["user"], email="una@example.net")
    url = reverse("events:participants", args=[event.collaboration_id])
    lead = client_for(world.civic_lead).get(url).content.decode()
    assert "ann@example.net" in lead and "Una User" in lead
    official = client_for(world.official).get(url)
    assert official.status_code == 200
    page = official.content.decode()
    assert "ann@example.net" not in page and "Ann Dev" not in page
    assert "Confirmed participants by discipline" in page
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_csv_is_the_organisers_and_defuses_formulas(world, event, client_for):
    confirmed(event, "=HYPERLINK(1)", email="eve@example.net")
    url = reverse("events:participants_csv", args=[event.collaboration_id])
    response = client_for(world.civic_lead).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "'=HYPERLINK(1)" in body and "eve@example.net" in body
    assert client_for(world.official).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_participants_page_keeps_its_queries_as_people_grow(world, playbook, client_for):
    event = open_event(world)
    client = client_for(world.civic_lead)
    url = reverse("events:participants", args=[event.collaboration_id])
    confirmed(event, "Person 0")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for number in range(1, 10):
        confirmed(event, f"Person {number}", ["developer", "user"])
    assert queries() == one


def test_a_private_event_takes_no_registration(world, playbook, client_for):
    event = make_event(world, public=False)
    assert client_for(None).get(_register_url(event)).status_code == 404
