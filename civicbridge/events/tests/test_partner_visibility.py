"""An event's partner institution sees the event as a collaboration: on home, in the
collaboration list, on its pages and through the API; it changes nothing, and an
organisation that is no partner still sees none of it."""

import pytest
from django.urls import reverse

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.permissions import visible_collaborations
from civicbridge.partners.choices import Access, OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .eventdata import TITLE, make_event, partner_official

API = "/api/v1"


@pytest.fixture
def event(world, playbook):
    return make_event(world)


@pytest.fixture
def stranger(world):
    """An official of a council that is no partner of the event."""
    council = OrganisationFactory.create(name="Faraway Council", kind=OrganisationKind.GOVERNMENT)
    user = UserFactory.create(email="stranger@example.org", person__name="Stan Ranger")
    MembershipFactory.create(person=user.person, organisation=council, access=Access.ADMIN)
    return user


def test_the_one_queryset_method_shows_the_event_to_its_partner_only(world, event, stranger):
    partner = partner_official(world)
    assert list(visible_collaborations(partner)) == [event.collaboration]
    assert list(visible_collaborations(stranger)) == []
    assert list(Collaboration.objects.seen_by({world.other.pk})) == [event.collaboration]


def test_the_partner_finds_the_event_in_the_list_and_on_home(world, event, client_for):
    client = client_for(partner_official(world))
    listing = client.get(reverse("collaborations:list")).content.decode()
    assert TITLE in listing and "No collaborations yet" not in listing
    home = client.get(reverse("collaborations:home")).content.decode()
    assert TITLE in home
    assert event.collaboration.get_absolute_url() in home


def test_the_partner_opens_the_collaboration_and_the_event_but_changes_nothing(
    world, event, client_for
):
    client = client_for(partner_official(world))
    pk = event.collaboration_id
    overview = client.get(reverse("collaborations:detail", args=[pk]))
    assert overview.status_code == 200
    assert b"without being one of its two sides" in overview.content
    assert client.get(reverse("events:event", args=[pk])).status_code == 200
    assert client.get(reverse("collaborations:edit", args=[pk])).status_code == 403
    # Participants' names and e-mail addresses stay with the organisers.
    assert client.get(reverse("events:participants_csv", args=[pk])).status_code == 403


def test_the_partner_reads_the_event_through_the_api(world, event, client_for):
    client = client_for(partner_official(world))
    listed = client.get(f"{API}/collaborations").json()
    assert [item["id"] for item in listed["items"]] == [event.collaboration_id]
    response = client.get(f"{API}/collaborations/{event.collaboration_id}")
    assert response.status_code == 200 and response.json()["title"] == TITLE


def test_an_organisation_that_is_no_partner_sees_nothing_of_the_event(
    world, event, stranger, client_for
):
    client = client_for(stranger)
    pk = event.collaboration_id
    assert TITLE not in client.get(reverse("collaborations:list")).content.decode()
    assert TITLE not in client.get(reverse("collaborations:home")).content.decode()
    assert client.get(reverse("collaborations:detail", args=[pk])).status_code == 404
    assert client.get(reverse("events:event", args=[pk])).status_code == 404
    assert client.get(f"{API}/collaborations").json()["items"] == []
    assert client.get(f"{API}/collaborations/{pk}").status_code == 404
