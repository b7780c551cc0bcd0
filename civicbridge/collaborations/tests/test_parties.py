"""The parties are fixed once a collaboration is proposed; a party changes only by a
proposal that both sides' admins approve, which voids every standing signature (X1)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civicbridge.collaborations.choices import PartyChangeStatus, Stage
from civicbridge.collaborations.models import Collaboration, PartyChange, Signature
from civicbridge.collaborations.services import agreement
from civicbridge.collaborations.services.lifecycle import update_collaboration
from civicbridge.collaborations.services.parties import (
    approve_party_change,
    propose_party_change,
    withdraw_party_change,
)
from civicbridge.partners.choices import Access, OrganisationKind
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

from .test_agreement import obligation

REASON = "Testshire Council merged into Elsewhere Council."


def patch(client, collaboration, body):
    return client.patch(
        f"/api/v1/collaborations/{collaboration.pk}", body, content_type="application/json"
    )


@pytest.fixture
def signed(world, fellowship):
    obligation(world, fellowship)
    for admin in (world.civic_lead, world.official):
        agreement.sign_agreement(admin, fellowship, version=1, password=PASSWORD)
    return fellowship


@pytest.mark.parametrize(
    "field", ["civic_organisation", "institution", "model"], ids=lambda name: name
)
def test_the_api_refuses_a_change_naming_a_party_or_the_model(world, fellowship, client_for, field):
    civic = OrganisationFactory.create(kind=OrganisationKind.CIVIC)
    value = {"civic_organisation": civic.pk, "institution": world.other.pk, "model": "event"}
    response = patch(client_for(world.civic_lead), fellowship, {field: value[field], "title": "X"})
    assert response.status_code == 422
    assert "fixed once the collaboration is proposed" in response.json()["detail"] + str(
        response.json()["errors"]
    )
    stored = Collaboration.objects.get(pk=fellowship.pk)
    assert (stored.civic_organisation, stored.institution, stored.model, stored.title) == (
        world.civic,
        world.institution,
        "fellowship",
        fellowship.title,
    )


def test_the_api_still_changes_the_details(world, fellowship, client_for):
    response = patch(client_for(world.official), fellowship, {"title": "Renamed"})
    assert response.status_code == 200, response.content
    assert response.json()["institution_id"] == world.institution.pk


def test_the_edit_page_offers_no_party_and_ignores_one_posted(world, fellowship, client_for):
    client = client_for(world.civic_lead)
    url = reverse("collaborations:edit", args=[fellowship.pk])
    page = client.get(url).content.decode()
    assert 'name="institution"' not in page and 'name="civic_organisation"' not in page
    assert 'name="model"' not in page
    response = client.post(
        url,
        {
            "title": "Renamed",
            "institution": world.other.pk,
            "checkin_every_days": 14,
            "departments": [world.department.pk],
        },
    )
    assert response.status_code == 302
    fellowship.refresh_from_db()
    assert fellowship.title == "Renamed" and fellowship.institution == world.institution


def test_the_service_refuses_to_replace_a_party(world, fellowship):
    with pytest.raises(ValidationError) as refused:
        update_collaboration(world.civic_lead, fellowship, institution=world.other)
    assert "institution" in refused.value.message_dict
    assert Collaboration.objects.get(pk=fellowship.pk).institution == world.institution


def test_both_sides_approve_and_the_signatures_are_void(world, signed, client_for):
    change = propose_party_change(
        world.civic_lead, signed, side="institution", successor=world.other, reason=REASON
    )
    assert change.civic_approved_by == world.civic_lead and change.status == PartyChangeStatus.OPEN
    signed.refresh_from_db()
    assert signed.institution == world.institution  # nothing changes before both approve
    assert Signature.objects.valid().count() == 2

    approve_party_change(world.official, change)

    change.refresh_from_db()
    assert change.status == PartyChangeStatus.APPROVED and change.decided_at is not None
    assert change.institution_approved_by == world.official
    signed.refresh_from_db()
    assert signed.institution == world.other
    assert not signed.departments.exists()  # they were the old institution's
    assert Signature.objects.valid().count() == 0
    assert all(REASON in s.void_reason for s in Signature.objects.all())
    # The replaced side no longer sees the collaboration.
    assert client_for(world.official).get(signed.get_absolute_url()).status_code == 404


def test_one_person_cannot_approve_for_both_sides(world, fellowship):
    MembershipFactory(
        person=world.civic_lead.person, organisation=world.institution, access=Access.ADMIN
    )
    change = propose_party_change(
        world.civic_lead, fellowship, side="institution", successor=world.other, reason=REASON
    )
    with pytest.raises(ValidationError):
        approve_party_change(world.civic_lead, change)
    assert Collaboration.objects.get(pk=fellowship.pk).institution == world.institution


def test_only_admins_propose_and_approve(world, fellowship):
    with pytest.raises(PermissionDenied):
        propose_party_change(
            world.fellow, fellowship, side="institution", successor=world.other, reason=REASON
        )
    change = propose_party_change(
        world.official, fellowship, side="institution", successor=world.other, reason=REASON
    )
    with pytest.raises(PermissionDenied):
        approve_party_change(world.fellow, change)


def test_no_change_of_party_after_closing(world, fellowship):
    change = propose_party_change(
        world.civic_lead, fellowship, side="institution", successor=world.other, reason=REASON
    )
    Collaboration.objects.filter(pk=fellowship.pk).update(stage=Stage.CLOSED)
    with pytest.raises(ValidationError):
        approve_party_change(world.official, change)
    assert Collaboration.objects.get(pk=fellowship.pk).institution == world.institution


def test_a_closed_collaboration_takes_no_proposal(world, fellowship):
    Collaboration.objects.filter(pk=fellowship.pk).update(stage=Stage.CLOSED)
    with pytest.raises(ValidationError):
        propose_party_change(
            world.civic_lead, fellowship, side="institution", successor=world.other, reason=REASON
        )


def test_the_successor_must_fit_the_side(world, fellowship):
    civic = OrganisationFactory.create(kind=OrganisationKind.CIVIC)
    with pytest.raises(ValidationError):
        propose_party_change(
            world.civic_lead, fellowship, side="institution", successor=civic, reason=REASON
        )
    with pytest.raises(ValidationError):
        propose_party_change(
            world.civic_lead,
            fellowship,
            side="civic_organisation",
            successor=world.institution,
            reason=REASON,
        )


def test_withdrawn_change_leaves_the_parties(world, fellowship):
    change = propose_party_change(
        world.civic_lead, fellowship, side="institution", successor=world.other, reason=REASON
    )
    withdraw_party_change(world.official, change)
    with pytest.raises(ValidationError):
        approve_party_change(world.official, change)
    assert PartyChange.objects.get().status == PartyChangeStatus.WITHDRAWN
    assert Collaboration.objects.get(pk=fellowship.pk).institution == world.institution


def test_the_api_proposes_and_both_sides_approve(world, fellowship, client_for):
    url = f"/api/v1/collaborations/{fellowship.pk}/party-changes"
    body = {"side": "institution", "successor": world.other.pk, "reason": REASON}
    proposed = client_for(world.civic_lead).post(url, body, content_type="application/json")
    assert proposed.status_code == 201, proposed.content
    change_id = proposed.json()["id"]
    again = client_for(world.civic_lead).post(f"{url}/{change_id}/approval")
    assert again.status_code == 422
    approved = client_for(world.official).post(f"{url}/{change_id}/approval")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Collaboration.objects.get(pk=fellowship.pk).institution == world.other
    listed = client_for(world.civic_lead).get(url).json()["items"]
    assert [item["id"] for item in listed] == [change_id]


def test_the_page_proposes_and_the_other_side_approves(world, fellowship, client_for):
    url = reverse("collaborations:party_changes", args=[fellowship.pk])
    client = client_for(world.civic_lead)
    response = client.post(
        url, {"side": "institution", "successor": world.other.pk, "reason": REASON}
    )
    assert response.status_code == 302
    change = PartyChange.objects.get()
    approve = reverse("collaborations:party_change_approve", args=[fellowship.pk, change.pk])
    page = client_for(world.official).post(approve, follow=True).content.decode()
    assert "Elsewhere Council is now a party" in page
