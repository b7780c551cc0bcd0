"""Creating an event, changing its facts, the registration gate and the public page (E1, E2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration, Risk
from civicbridge.collaborations.services.lifecycle import advance
from civicbridge.core.models import AuditEntry
from civicbridge.events.models import Event
from civicbridge.events.services import challenges, events
from tests.factories import OrganisationFactory

from .eventdata import (
    TITLE,
    challenge,
    confirmed,
    make_event,
    open_event,
    partner_official,
    published_challenge,
)


@pytest.fixture
def event(world, playbook):
    return make_event(world)


def test_creating_an_event_makes_its_collaboration_and_its_facts_at_once(world, playbook):
    event = make_event(world, capacity=40)
    collaboration = event.collaboration
    assert collaboration.model == Model.EVENT
    assert collaboration.stage == "proposed"
    assert (event.kind, event.venue, event.capacity) == ("hackathon", "Testshire Town Hall", 40)
    assert list(event.organisers.all()) == [world.civic_lead.person]
    assert list(event.partner_institutions.all()) == [world.other]
    assert AuditEntry.objects.filter(object_repr=TITLE, action="create").count() == 2


def test_only_the_civic_side_creates_an_event(world, playbook):
    with pytest.raises(PermissionDenied):
        events.create_event(
            world.official,
            title="The council's own event",
            civic_organisation=world.civic,
            institution=world.institution,
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
            kind="hackathon",
            online=True,
        )
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"venue": "", "online": False}, "venue"),
        ({"start_date": None}, "start_date"),
        ({"partners": "civic"}, "partner_institutions"),
        ({"partners": "itself"}, "partner_institutions"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_an_event_with_wrong_facts_is_refused_and_nothing_is_saved(world, playbook, changes, field):
    partners = changes.pop("partners", None)
    if partners == "civic":
        changes["partners"] = [OrganisationFactory.create(kind="civic")]
    elif partners == "itself":
        changes["partners"] = [world.institution]
    with pytest.raises(ValidationError) as refused:
        make_event(world, **changes)
    assert field in refused.value.message_dict
    assert not Collaboration.objects.exists() and not Event.objects.exists()


def test_organisers_are_people_of_the_civic_side(world, event):
    with pytest.raises(ValidationError) as refused:
        events.save_event(
            world.civic_lead,
            event.collaboration,
            organisers=[world.official.person],
            partner_institutions=[],
        )
    assert "is not a current member of Code for Testing" in str(refused.value)


def test_the_institution_does_not_change_the_event(world, event):
    with pytest.raises(PermissionDenied):
        events.save_event(
            world.official, event.collaboration, organisers=[], partner_institutions=[]
        )


# The registration gate (E2, deliverable 9)


def test_registration_does_not_open_without_a_published_challenge_with_an_owner(world, event):
    challenge(world, event)  # submitted, not published
    with pytest.raises(events.RegistrationRefused) as refused:
        events.open_registration(world.civic_lead, event)
    message = refused.value.messages[0]
    assert "1 waits for the organisers' review" in message
    # The playbook's mitigation for event.real_problems comes with the refusal.
    assert "Work with the institution to pose real problems" in message
    event.refresh_from_db()
    assert event.registration_opened_at is None


def test_registration_opens_once_a_challenge_is_published(world, event):
    published_challenge(world, event)
    events.open_registration(world.civic_lead, event)
    event.refresh_from_db()
    assert event.registration_open


def test_a_published_challenge_without_an_owner_does_not_open_registration(world, event):
    published = published_challenge(world, event)
    # The owner's membership ends and their record is taken off the challenge.
    type(published).objects.filter(pk=published.pk).update(owner=None)
    with pytest.raises(events.RegistrationRefused):
        events.open_registration(world.civic_lead, event)


@pytest.mark.parametrize("capacity", ["", "   \n  "])
def test_registration_waits_until_someone_is_named_to_take_the_results_forward(
    world, event, capacity
):
    """E1 from the offset: before registration opens, each published challenge says who in
    the institution takes the results forward, and with what capacity."""
    published = published_challenge(world, event, receiving_capacity=capacity)
    with pytest.raises(events.RegistrationRefused) as refused:
        events.open_registration(world.civic_lead, event)
    message = refused.value.messages[0]
    assert f"who takes the results forward, and with what capacity, for “{published.title}”" in (
        message
    )
    # The playbook's mitigation for E1 comes with the refusal.
    assert "name the officials who will receive the results" in message
    event.refresh_from_db()
    assert event.registration_opened_at is None
    challenges.update_challenge(
        world.official, published, receiving_capacity="The waste team, two days a month."
    )
    challenges.publish_challenge(world.civic_lead, published)
    events.open_registration(world.civic_lead, event)
    event.refresh_from_db()
    assert event.registration_open


def test_the_receivers_check_passes_only_when_every_published_challenge_names_them(world, event):
    from civicbridge.events.checks import receivers_committed

    assert receivers_committed(event.collaboration)[0] is False  # nothing published yet
    published_challenge(world, event)
    passed, reason = receivers_committed(event.collaboration)
    assert passed and "names who takes its results forward" in reason
    published_challenge(world, event, title="Another", receiving_capacity="")
    assert receivers_committed(event.collaboration) == (
        False,
        "The institution has not said who takes the results forward, and with what "
        "capacity, for “Another”.",
    )


def test_registration_needs_a_public_page(world, playbook):
    event = make_event(world, public=False)
    published_challenge(world, event)
    with pytest.raises(ValidationError, match="make the event public first"):
        events.open_registration(world.civic_lead, event)


def test_only_organisers_open_and_close_registration(world, event):
    published_challenge(world, event)
    with pytest.raises(PermissionDenied):
        events.open_registration(world.official, event)
    events.open_registration(world.fellow, event)
    with pytest.raises(PermissionDenied):
        events.close_registration(world.official, event)
    events.close_registration(world.civic_lead, event)
    event.refresh_from_db()
    assert not event.registration_open
    with pytest.raises(ValidationError, match="not open"):
        events.close_registration(world.civic_lead, event)


def test_the_same_check_gates_the_lifecycle_as_a_risk(world, event):
    collaboration = event.collaboration
    collaboration.stage = "agreed"
    collaboration.save(update_fields=["stage"])
    advance(world.civic_lead, collaboration)
    risk = Risk.objects.get(collaboration=collaboration, condition="event.real_problems")
    assert "No institution has a published challenge yet" in risk.reason


def test_the_gate_passes_in_the_lifecycle_once_a_challenge_is_published(world, event):
    published_challenge(world, event)
    collaboration = event.collaboration
    collaboration.stage = "agreed"
    collaboration.save(update_fields=["stage"])
    transition = advance(world.civic_lead, collaboration)
    result = next(r for r in transition.gate_results if r["condition"] == "event.real_problems")
    assert result["passed"] is True
    assert result["check"] == "events.challenge_published"


# Pages


def test_creating_an_event_through_the_form(world, playbook, client_for):
    today = timezone.localdate()
    response = client_for(world.civic_lead).post(
        reverse("events:create"),
        {
            "title": "Open data day",
            "kind": "datathon",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "partner_institutions": [world.other.pk],
            "start_date": (today + timedelta(days=10)).isoformat(),
            "end_date": (today + timedelta(days=10)).isoformat(),
            "online": "on",
            "capacity": "25",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:event", args=[event.collaboration_id])
    assert (event.kind, event.online, event.capacity) == ("datathon", True, 25)


def test_the_event_form_says_what_is_missing(world, playbook, client_for):
    response = client_for(world.civic_lead).post(
        reverse("events:create"),
        {"title": "Nowhere", "kind": "hackathon", "civic_organisation": world.civic.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say where the event takes place, or that it is online." in page
    assert not Event.objects.exists()


def test_an_official_cannot_open_the_new_event_form(world, playbook, client_for):
    assert client_for(world.official).get(reverse("events:create")).status_code == 403


def test_opening_registration_on_the_page_says_why_it_is_refused(world, event, client_for):
    response = client_for(world.civic_lead).post(
        reverse("events:registration_open", args=[event.collaboration_id])
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Registration cannot open yet" in page
    assert "No institution has a published challenge yet" in page
    assert "The playbook recommends:" in page


def test_the_event_tab_offers_to_record_facts_for_an_event_made_as_a_collaboration(
    world, playbook, client_for
):
    from civicbridge.collaborations.services.lifecycle import create_collaboration

    collaboration = create_collaboration(
        world.civic_lead,
        model=Model.EVENT,
        title="Made on the collaborations page",
        civic_organisation=world.civic,
        institution=world.institution,
    )
    client = client_for(world.civic_lead)
    response = client.get(reverse("events:event", args=[collaboration.pk]))
    assert "The event's facts are not recorded yet" in response.content.decode()
    response = client.post(
        reverse("events:event_edit", args=[collaboration.pk]),
        {"kind": "workshop", "venue": "Library", "organisers": [world.civic_lead.person.pk]},
    )
    assert response.status_code == 302
    assert Event.objects.get(collaboration=collaboration).kind == "workshop"


def test_a_partner_official_sees_the_event_in_their_list_and_its_challenges(
    world, event, client_for
):
    partner = partner_official(world)
    client = client_for(partner)
    listing = client.get(reverse("events:list")).content.decode()
    assert TITLE in listing
    assert reverse("events:challenges", args=[event.collaboration_id]) in listing
    # A partner institution reads the event's pages (see test_partner_visibility.py).
    assert client.get(reverse("events:event", args=[event.collaboration_id])).status_code == 200
    page = client.get(reverse("events:challenges", args=[event.collaboration_id]))
    assert page.status_code == 200


def test_the_public_page_shows_published_challenges_and_places(world, playbook, client_for):
    event = open_event(world, capacity=2)
    challenge(world, event, title="A submitted problem")
    challenges.create_challenge(
        world.official,
        event,
        institution=world.institution,
        title="A draft problem",
        problem="x",
        affected_users="x",
        success_criteria="x",
    )
    confirmed(event, "Ann Dev")
    response = client_for(None).get(reverse("events:public", args=[event.collaboration_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fewer missed bin collections" in page
    assert "Sam Official owns it and will be there" in page
    assert "A submitted problem" not in page and "A draft problem" not in page
    assert "1 place left of 2." in page
    assert reverse("events:register", args=[event.collaboration_id]) in page


def test_the_public_page_of_a_private_event_is_not_found(world, playbook, client_for):
    event = make_event(world, public=False)
    url = reverse("events:public", args=[event.collaboration_id])
    assert client_for(None).get(url).status_code == 404


def test_the_public_page_has_no_register_button_while_registration_is_closed(
    world, event, client_for
):
    response = client_for(None).get(reverse("events:public", args=[event.collaboration_id]))
    assert b"Registration closed" in response.content
    assert reverse("events:register", args=[event.collaboration_id]).encode() not in (
        response.content
    )


def test_the_public_home_lists_coming_public_events(world, playbook, client_for):
    open_event(world)
    response = client_for(None).get(reverse("collaborations:home"))
    assert b"Coming events" in response.content and TITLE.encode() in response.content


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_public_page_keeps_its_queries_as_challenges_and_people_grow(
    world, playbook, client_for
):
    event = open_event(world)
    url = reverse("events:public", args=[event.collaboration_id])
    client = client_for(None)
    confirmed(event, "Person 0")
    one = _queries(client, url)
    for number in range(1, 10):
        published_challenge(world, event, title=f"Problem {number}")
        confirmed(event, f"Person {number}")
    assert _queries(client, url) == one


def test_the_events_list_keeps_its_queries_as_events_grow(world, playbook, client_for):
    make_event(world)
    client = client_for(world.civic_lead)
    url = reverse("events:list")
    one = _queries(client, url)
    for number in range(9):
        make_event(world, title=f"Event {number}")
    assert _queries(client, url) == one
