"""Institutions pose challenges from their own accounts; organisers publish or decline (E2)."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civicbridge.events.choices import ChallengeStatus
from civicbridge.events.models import Challenge
from civicbridge.events.services import challenges
from civicbridge.partners.choices import Access
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from .eventdata import challenge, make_event, partner_official, published_challenge

FIELDS: dict[str, Any] = {
    "title": "Late library returns",
    "problem": "Reminders go out by post and arrive after the due date.",
    "affected_users": "Library members, branch staff.",
    "success_criteria": "Fewer late returns.",
}


@pytest.fixture
def event(world, playbook):
    return make_event(world)


def _post(client, event, **data):
    return client.post(
        reverse("events:challenge_create", args=[event.collaboration_id]),
        {**FIELDS, "owner_attends": "on", **data},
    )


def test_an_official_submits_a_challenge_and_the_organisers_hear_of_it(
    world, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = challenge(world, event)
    assert submitted.status == ChallengeStatus.SUBMITTED
    assert submitted.submitted_by == world.official
    [message] = mail.outbox
    assert message.to == [world.civic_lead.email]  # the named organiser
    assert "submitted the challenge “Fewer missed bin collections”" in message.body
    assert reverse("events:challenge", args=[event.collaboration_id, submitted.pk]) in (
        message.body
    )


def test_an_official_of_a_partner_institution_poses_a_challenge_for_it(world, event):
    partner = partner_official(world)
    owner = MembershipFactory.create(organisation=world.other).person
    posed = challenges.create_challenge(
        partner, event, institution=world.other, owner=owner, owner_attends=True, **FIELDS
    )
    assert posed.institution == world.other and posed.status == ChallengeStatus.DRAFT


@pytest.mark.parametrize("persona", ["civic_lead", "fellow", "outsider", "admin"])
def test_only_officials_of_the_event_institutions_pose_challenges(world, event, persona):
    with pytest.raises(PermissionDenied):
        challenges.create_challenge(
            getattr(world, persona), event, institution=world.institution, **FIELDS
        )
    assert not Challenge.objects.exists()


def test_an_official_of_an_institution_outside_the_event_is_refused(world, event):
    stranger = UserFactory.create(email="stranger@example.org")
    council = OrganisationFactory.create(kind="government", name="Far Away Council")
    MembershipFactory.create(person=stranger.person, organisation=council, access=Access.ADMIN)
    with pytest.raises(PermissionDenied):
        challenges.create_challenge(stranger, event, institution=council, **FIELDS)
    with pytest.raises(PermissionDenied):
        challenges.create_challenge(stranger, event, institution=world.institution, **FIELDS)


def test_a_forged_institution_is_refused_by_the_service(world, event):
    # The official acts for the event's institution, not for the partner council.
    with pytest.raises(PermissionDenied, match="cannot submit a challenge for Elsewhere Council"):
        challenges.create_challenge(world.official, event, institution=world.other, **FIELDS)


def test_a_forged_institution_id_in_the_form_saves_nothing(world, event, client_for):
    response = _post(client_for(world.official), event, institution=world.other.pk)
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Challenge.objects.exists()


def test_the_owner_is_an_official_of_the_institution(world, event):
    with pytest.raises(ValidationError) as refused:
        challenges.create_challenge(
            world.official,
            event,
            institution=world.institution,
            owner=world.civic_lead.person,
            **FIELDS,
        )
    assert "is not a current member of Testshire Council" in str(refused.value)


def test_a_challenge_is_submitted_only_with_an_owner_who_attends(world, event):
    draft = challenges.create_challenge(
        world.official, event, institution=world.institution, **FIELDS
    )
    with pytest.raises(ValidationError) as refused:
        challenges.submit_challenge(world.official, draft)
    assert "name the official who owns the challenge" in str(refused.value)
    assert "the owner commits to attend" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.DRAFT


def test_the_organisers_publish_and_the_submitter_hears_of_it(
    world, event, django_capture_on_commit_callbacks
):
    submitted = challenge(world, event)
    with django_capture_on_commit_callbacks(execute=True):
        challenges.publish_challenge(world.fellow, submitted, note="Clear and real.")
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.PUBLISHED and submitted.published_at
    assert submitted.reviewed_by == world.fellow
    [message] = mail.outbox
    assert message.to == [world.official.email]
    assert "published your challenge" in message.body and "Clear and real." in message.body


def test_the_organisers_decline_with_a_note_only(world, event):
    submitted = challenge(world, event)
    with pytest.raises(ValidationError, match="Say why"):
        challenges.decline_challenge(world.civic_lead, submitted, note="  ")
    challenges.decline_challenge(world.civic_lead, submitted, note="Name the data's owner.")
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.DECLINED
    assert submitted.review_note == "Name the data's owner."


@pytest.mark.parametrize("persona", ["official", "outsider", "admin"])
def test_only_organisers_review(world, event, persona):
    submitted = challenge(world, event)
    with pytest.raises(PermissionDenied):
        challenges.publish_challenge(getattr(world, persona), submitted)
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.SUBMITTED


def test_a_draft_is_not_reviewed(world, event):
    draft = challenge(world, event, submit=False)
    with pytest.raises(ValidationError, match="waiting for review"):
        challenges.publish_challenge(world.civic_lead, draft)


def test_changing_a_published_challenge_sends_it_back_to_review(world, event):
    published = published_challenge(world, event)
    challenges.update_challenge(world.official, published, title="Fewer missed bins")
    published.refresh_from_db()
    assert published.status == ChallengeStatus.SUBMITTED
    assert published.published_at is None and published.reviewed_by is None


def test_changing_a_declined_challenge_makes_it_a_draft_again(world, event):
    submitted = challenge(world, event)
    challenges.decline_challenge(world.civic_lead, submitted, note="Too vague.")
    challenges.update_challenge(world.official, submitted, problem="Sharper.")
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.DRAFT


def test_the_organisers_do_not_change_an_institutions_challenge(world, event):
    submitted = challenge(world, event)
    with pytest.raises(PermissionDenied):
        challenges.update_challenge(world.civic_lead, submitted, title="Ours now")


def test_who_sees_which_challenge(world, event, client_for):
    draft = challenge(world, event, submit=False, title="Our draft")
    submitted = challenge(world, event, title="Waiting for review")
    url = reverse("events:challenges", args=[event.collaboration_id])
    lead_page = client_for(world.civic_lead).get(url).content.decode()
    assert "Waiting for review" in lead_page and "Our draft" not in lead_page
    official_page = client_for(world.official).get(url).content.decode()
    assert "Waiting for review" in official_page and "Our draft" in official_page
    partner_page = client_for(partner_official(world)).get(url).content.decode()
    assert "Waiting for review" not in partner_page and "Our draft" not in partner_page
    draft_url = reverse("events:challenge", args=[event.collaboration_id, draft.pk])
    assert client_for(world.civic_lead).get(draft_url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    submitted_url = reverse("events:challenge", args=[event.collaboration_id, submitted.pk])
    assert client_for(world.outsider).get(submitted_url).status_code == 404


def test_a_challenge_of_another_event_is_not_found_through_this_one(world, event, client_for):
    other = make_event(world, title="Another event")
    theirs = challenge(world, other)
    url = reverse("events:challenge", args=[event.collaboration_id, theirs.pk])
    assert client_for(world.official).get(url).status_code == 404


def test_an_official_submits_through_the_form(world, event, client_for):
    response = _post(
        client_for(world.official),
        event,
        institution=world.institution.pk,
        owner=world.official.person.pk,
        action="submit",
    )
    posed = Challenge.objects.get()
    assert response.status_code == 302
    assert posed.status == ChallengeStatus.SUBMITTED


def test_a_partner_official_poses_and_reads_a_challenge_among_the_events_pages(
    world, event, client_for
):
    partner = partner_official(world)
    client = client_for(partner)
    response = _post(client, event, institution=world.other.pk, action="draft")
    posed = Challenge.objects.get()
    assert response.status_code == 302 and posed.institution == world.other
    page = client.get(reverse("events:challenge", args=[event.collaboration_id, posed.pk]))
    assert page.status_code == 200
    # A partner institution reads the event's pages: the challenge sits among its tabs.
    assert b"Parts of this collaboration" in page.content


def test_the_organisers_review_through_the_page(world, event, client_for):
    submitted = challenge(world, event)
    client = client_for(world.civic_lead)
    detail = client.get(reverse("events:challenge", args=[event.collaboration_id, submitted.pk]))
    assert b"Your review" in detail.content
    url = reverse("events:challenge_review", args=[event.collaboration_id, submitted.pk])
    refused = client.post(url, {"decision": "decline", "note": ""})
    assert refused.status_code == 200 and b"Say why" in refused.content
    assert client.post(url, {"decision": "publish", "note": ""}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ChallengeStatus.PUBLISHED
    assert client_for(world.official).get(url).status_code == 403
