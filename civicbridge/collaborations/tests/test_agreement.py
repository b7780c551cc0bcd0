"""The MOU (F6): versions, signatures that a change voids, tracking obligations, the PDF."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civicbridge.collaborations.choices import ObligationStatus, Stage
from civicbridge.collaborations.models import (
    Activity,
    Agreement,
    Collaboration,
    Obligation,
    Signature,
)
from civicbridge.collaborations.services import agreement as services
from civicbridge.collaborations.services.lifecycle import GateRefused, advance
from civicbridge.partners.choices import Access
from civicbridge.playbook import checks
from tests.factories import PASSWORD, MembershipFactory, UserFactory

DUE = date(2030, 3, 1)


def obligation(world, collaboration, text="Provide a desk and a laptop", *, party=None, due=DUE):
    party = party or world.institution
    owner = world.official.person if party == world.institution else world.civic_lead.person
    return services.add_obligation(
        world.civic_lead,
        collaboration,
        party=party,
        description=text,
        owner=owner,
        due_date=due,
    )


def sign(user, collaboration, password=PASSWORD):
    collaboration.agreement.refresh_from_db()
    return services.sign_agreement(
        user, collaboration, version=collaboration.agreement.version, password=password
    )


@pytest.fixture
def signed(world, fellowship):
    """The fellowship's MOU with one obligation per side, signed by both sides."""
    obligation(world, fellowship)
    obligation(world, fellowship, "Mentor the fellow", party=world.civic)
    sign(world.civic_lead, fellowship)
    sign(world.official, fellowship)
    return fellowship


def test_each_change_of_terms_makes_a_version_with_a_snapshot(world, fellowship):
    services.update_terms(world.civic_lead, fellowship, purpose="Open the data.", terms="")
    first = obligation(world, fellowship)
    agreement = Agreement.objects.get(collaboration=fellowship)
    assert agreement.version == 2
    latest = agreement.versions.get(number=2)
    assert latest.number == 2 and latest.made_by == world.civic_lead
    assert latest.content["purpose"] == "Open the data."
    assert latest.content["obligations"][0]["description"] == first.description
    assert latest.content["obligations"][0]["owner"] == world.official.person.pk
    assert "Testshire Council" in latest.change


def test_saving_unchanged_terms_makes_no_version(world, fellowship):
    services.update_terms(world.civic_lead, fellowship, purpose="Open the data.", terms="T")
    services.update_terms(world.official, fellowship, purpose="Open the data. ", terms="T")
    item = obligation(world, fellowship)
    services.change_obligation(
        world.official,
        item,
        party=world.institution,
        description=item.description,
        owner=item.owner,
        due_date=item.due_date,
    )
    assert Agreement.objects.get(collaboration=fellowship).version == 2


def test_writing_the_mou_needs_a_member_of_a_party(world, fellowship):
    with pytest.raises(PermissionDenied):
        services.update_terms(world.outsider, fellowship, purpose="Mine now", terms="")
    with pytest.raises(PermissionDenied):
        services.update_terms(world.admin, fellowship, purpose="Mine now", terms="")
    assert not Agreement.objects.filter(collaboration=fellowship).exists()


def test_an_obligations_owner_is_a_current_member_of_its_side(world, fellowship):
    with pytest.raises(ValidationError) as refused:
        services.add_obligation(
            world.civic_lead,
            fellowship,
            party=world.institution,
            description="Provide a desk",
            owner=world.civic_lead.person,  # of the civic side, not the institution
            due_date=DUE,
        )
    assert "owner" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.add_obligation(
            world.civic_lead,
            fellowship,
            party=world.other,
            description="Provide a desk",
            owner=world.official.person,
            due_date=DUE,
        )
    assert "party" in refused.value.message_dict
    assert not Obligation.objects.exists()


def test_mou_change_voids_signatures(world, signed, django_capture_on_commit_callbacks):
    assert checks.run("collaborations.agreement_signed", signed)[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_terms(world.fellow, signed, purpose="A new purpose", terms="")

    signed = Collaboration.objects.get(pk=signed.pk)
    signatures = Signature.objects.filter(agreement__collaboration=signed)
    assert signatures.count() == 2 and not signatures.valid().exists()
    assert all("Version 3" in s.void_reason and "purpose" in s.void_reason for s in signatures)
    passed, reason = checks.run("collaborations.agreement_signed", signed)
    assert not passed and "version 3" in reason
    assert Activity.objects.filter(collaboration=signed, message__contains="are void").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert {"lead@example.org", "official@example.org"} <= set(message.to)
    assert "sign again" in message.body.lower()


def test_mail_about_voided_signatures_waits_for_the_commit(
    world, signed, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_terms(world.fellow, signed, purpose="A new purpose", terms="")
    assert mail.outbox == [] and callbacks


@pytest.mark.parametrize("change", ["edit", "remove", "add"])
def test_any_change_to_obligations_voids_signatures(world, signed, change):
    item = Obligation.objects.get(agreement__collaboration=signed, party=world.institution)
    if change == "edit":
        services.change_obligation(
            world.official,
            item,
            party=world.institution,
            description=item.description,
            owner=item.owner,
            due_date=DUE + timedelta(days=7),
        )
    elif change == "remove":
        services.remove_obligation(world.official, item)
    else:
        obligation(world, signed, "Open the data portal")
    assert not Signature.objects.valid().exists()
    assert not checks.run("collaborations.agreement_signed", signed)[0]


def test_status_change_voids_nothing(world, signed):
    item = Obligation.objects.get(agreement__collaboration=signed, party=world.institution)
    with time_machine.travel(date(2030, 2, 1)):
        done = services.set_obligation_status(world.fellow, item, status=ObligationStatus.DONE)
    assert done.done_on == date(2030, 2, 1)
    assert Signature.objects.valid().count() == 2
    assert (
        signed.agreement.versions.count() == Agreement.objects.get(pk=signed.agreement.pk).version
    )
    assert checks.run("collaborations.agreement_signed", signed)[0]
    reopened = services.set_obligation_status(world.fellow, item, status=ObligationStatus.OPEN)
    assert reopened.done_on is None


def test_wrong_password_refuses(world, fellowship):
    obligation(world, fellowship)
    with pytest.raises(ValidationError) as refused:
        sign(world.civic_lead, fellowship, password="not my password")
    assert "password" in refused.value.message_dict
    assert not Signature.objects.exists()


def test_wrong_password_on_the_page_says_so_and_saves_nothing(world, fellowship, client_for):
    obligation(world, fellowship)
    response = client_for(world.civic_lead).post(
        reverse("collaborations:agreement_sign", args=[fellowship.pk]),
        {"version": 1, "password": "not my password"},
    )
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert not Signature.objects.exists()


def test_wrong_passwords_on_the_signing_page_lock_like_signing_in(
    world, fellowship, client_for, settings
):
    from tests.factories import PASSWORD

    obligation(world, fellowship)
    client = client_for(world.civic_lead)
    url = reverse("collaborations:agreement_sign", args=[fellowship.pk])
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"version": 1, "password": "guess"}).status_code == 200
    assert client.post(url, {"version": 1, "password": "guess"}).status_code == 429
    # Locked now: even the right password signs nothing until the lock lifts.
    assert client.post(url, {"version": 1, "password": PASSWORD}).status_code == 429
    assert not Signature.objects.exists()


def test_only_an_admin_of_a_party_signs(world, fellowship):
    obligation(world, fellowship)
    with pytest.raises(PermissionDenied):
        sign(world.fellow, fellowship)  # a member, not an admin
    assert not Signature.objects.exists()


def test_an_mou_without_obligations_cannot_be_signed(world, fellowship):
    services.update_terms(world.civic_lead, fellowship, purpose="Open the data.", terms="")
    with pytest.raises(ValidationError, match="nothing to sign"):
        sign(world.civic_lead, fellowship)


def test_a_side_signs_a_version_once(world, fellowship):
    obligation(world, fellowship)
    sign(world.civic_lead, fellowship)
    second_admin = UserFactory(person__name="Another Lead")
    MembershipFactory(person=second_admin.person, organisation=world.civic, access=Access.ADMIN)
    with pytest.raises(ValidationError, match="already"):
        sign(second_admin, fellowship)
    assert Signature.objects.count() == 1


def test_signing_a_version_that_changed_meanwhile_is_refused(world, fellowship):
    obligation(world, fellowship)
    seen = Agreement.objects.get(collaboration=fellowship).version
    obligation(world, fellowship, "Open the data portal")
    with pytest.raises(ValidationError, match="changed while you were reading"):
        services.sign_agreement(world.civic_lead, fellowship, version=seen, password=PASSWORD)


def test_a_signature_records_version_signer_and_name(world, fellowship):
    obligation(world, fellowship)
    signature = sign(world.official, fellowship)
    assert (signature.version, signature.party, signature.signed_by) == (
        1,
        world.institution,
        world.official,
    )
    assert signature.signer_name == "Sam Official"


def test_both_signatures_gate_preparing_to_agreed(world, fellowship):
    fellowship.stage = Stage.PREPARING
    fellowship.save()
    obligation(world, fellowship)
    sign(world.civic_lead, fellowship)
    with pytest.raises(GateRefused, match="Testshire Council"):
        advance(world.civic_lead, fellowship)
    sign(world.official, fellowship)
    assert Activity.objects.filter(
        collaboration=fellowship, message__contains="Both sides signed version 1"
    ).exists()
    assert checks.run("collaborations.agreement_signed", fellowship)[0]
    advance(world.civic_lead, fellowship)
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.AGREED


# The pages.


def test_tab_shows_obligations_with_overdue_flag(world, fellowship, client_for):
    obligation(world, fellowship, "Send the fellow's brief", due=date(2030, 1, 10))
    obligation(world, fellowship, "Mentor the fellow", party=world.civic, due=date(2030, 3, 1))
    with time_machine.travel(date(2030, 2, 1)):
        response = client_for(world.official).get(
            reverse("collaborations:agreement", args=[fellowship.pk])
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Send the fellow" in page and "Mentor the fellow" in page
    assert page.count(">Overdue<") == 1
    assert "Download the MOU (PDF)" in page


def test_tab_without_an_mou_teaches_what_it_is_for(world, fellowship, client_for):
    response = client_for(world.civic_lead).get(
        reverse("collaborations:agreement", args=[fellowship.pk])
    )
    page = response.content.decode()
    assert "with an owner and a due date for each" in page  # the playbook's mitigation
    assert reverse("collaborations:obligation_create", args=[fellowship.pk]) in page


def test_outsider_gets_404_and_viewer_cannot_write(world, fellowship, client_for):
    item = obligation(world, fellowship)
    urls = [
        reverse("collaborations:agreement", args=[fellowship.pk]),
        reverse("collaborations:agreement_sign", args=[fellowship.pk]),
        reverse("collaborations:agreement_pdf", args=[fellowship.pk]),
        reverse("collaborations:obligation_edit", args=[fellowship.pk, item.pk]),
    ]
    outsider = client_for(world.outsider)
    assert [outsider.get(url).status_code for url in urls] == [404] * 4
    viewer = UserFactory(person__name="Only Watching")
    MembershipFactory(person=viewer.person, organisation=world.institution, access=Access.VIEWER)
    client = client_for(viewer)
    assert client.get(urls[0]).status_code == 200
    assert client.get(urls[3]).status_code == 403
    response = client.post(
        reverse("collaborations:obligation_status", args=[fellowship.pk, item.pk]),
        {"status": ObligationStatus.DONE},
    )
    assert response.status_code == 403


def test_non_admin_member_cannot_open_the_signing_page(world, fellowship, client_for):
    obligation(world, fellowship)
    url = reverse("collaborations:agreement_sign", args=[fellowship.pk])
    assert client_for(world.fellow).get(url).status_code == 403
    assert (
        client_for(world.fellow).post(url, {"version": 1, "password": PASSWORD}).status_code == 403
    )
    assert not Signature.objects.exists()


def test_signing_page_signs_for_the_admins_side(world, fellowship, client_for):
    obligation(world, fellowship)
    url = reverse("collaborations:agreement_sign", args=[fellowship.pk])
    client = client_for(world.official)
    page = client.get(url).content.decode()
    assert "I sign for Testshire Council" in page and "Provide a desk" in page
    response = client.post(url, {"version": 1, "password": PASSWORD})
    assert response.status_code == 302
    assert Signature.objects.get().party == world.institution


def test_obligation_of_another_collaboration_is_404(world, fellowship, client_for):
    from tests.factories import CollaborationFactory

    other = CollaborationFactory.create(civic_organisation=world.civic, institution=world.other)
    MembershipFactory(person=world.civic_lead.person, organisation=world.other, access=Access.ADMIN)
    item = services.add_obligation(
        world.civic_lead,
        other,
        party=world.other,
        description="Elsewhere",
        owner=world.civic_lead.person,
        due_date=DUE,
    )
    obligation(world, fellowship)
    url = reverse("collaborations:obligation_edit", args=[fellowship.pk, item.pk])
    assert client_for(world.civic_lead).get(url).status_code == 404


def test_status_form_tracks_an_obligation(world, signed, client_for):
    item = Obligation.objects.get(agreement__collaboration=signed, party=world.civic)
    response = client_for(world.fellow).post(
        reverse("collaborations:obligation_status", args=[signed.pk, item.pk]),
        {"status": ObligationStatus.IN_PROGRESS},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ObligationStatus.IN_PROGRESS
    assert Signature.objects.valid().count() == 2


def test_editing_through_the_page_voids_and_says_so(world, signed, client_for):
    client = client_for(world.civic_lead)
    url = reverse("collaborations:agreement_edit", args=[signed.pk])
    assert "voids every signature" in client.get(url).content.decode()
    response = client.post(url, {"purpose": "Changed", "terms": ""}, follow=True)
    page = response.content.decode()
    assert "Voided" in page and "Awaiting signatures" in page


def test_past_version_shows_as_it_stood(world, fellowship, client_for):
    item = obligation(world, fellowship, "First wording")
    services.change_obligation(
        world.civic_lead,
        item,
        party=world.institution,
        description="Second wording",
        owner=item.owner,
        due_date=item.due_date,
    )
    client = client_for(world.fellow)
    first = client.get(reverse("collaborations:agreement_version", args=[fellowship.pk, 1]))
    assert "First wording" in first.content.decode()
    assert "Second wording" not in first.content.decode()
    missing = client.get(reverse("collaborations:agreement_version", args=[fellowship.pk, 9]))
    assert missing.status_code == 404


def test_pdf_has_the_obligations_and_the_signature_record(world, signed, client_for):
    from pypdf import PdfReader

    services.update_terms(world.civic_lead, signed, purpose="Amended", terms="")
    response = client_for(world.official).get(
        reverse("collaborations:agreement_pdf", args=[signed.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Provide a desk and a laptop" in text
    assert "Testshire Council" in text and "Code for Testing" in text
    assert "Voided" in text


def test_tab_query_count_does_not_grow_with_obligations(
    world, fellowship, client_for, django_assert_max_num_queries
):
    url = reverse("collaborations:agreement", args=[fellowship.pk])
    obligation(world, fellowship)
    sign(world.official, fellowship)
    client = client_for(world.civic_lead)
    client.get(url)  # warm caches (session, content types)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(10):
        obligation(world, fellowship, f"Obligation {n}", party=world.civic)
        obligation(world, fellowship, f"Duty {n}")
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200


def test_a_closed_collaborations_mou_is_kept_as_it_stood(world, signed, client_for):
    signed.stage = "closed"
    signed.save(update_fields=["stage"])
    with pytest.raises(ValidationError, match="closed"):
        services.update_terms(world.civic_lead, signed, purpose="Rewritten", terms="")
    page = client_for(world.civic_lead).get(reverse("collaborations:agreement", args=[signed.pk]))
    assert "Add an obligation" not in page.content.decode()
    assert Signature.objects.valid().count() == 2
