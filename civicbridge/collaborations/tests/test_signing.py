"""The signing component as the MOU uses it, and the one place each "both sides" rule
lives: a fully signed agreement, a credit statement both sides approved."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicbridge.accounts.models import User
from civicbridge.collaborations.models import Activity, Agreement, CreditStatement, Signature
from civicbridge.collaborations.services import agreement as services
from civicbridge.collaborations.services import credit as credit_services
from civicbridge.core.models import AuditEntry
from tests.factories import PASSWORD, CollaborationFactory

from .test_agreement import obligation, sign


def test_fully_signed_agreements_are_one_query(world, fellowship):
    obligation(world, fellowship)
    assert not Agreement.objects.fully_signed().exists()
    sign(world.civic_lead, fellowship)
    assert not Agreement.objects.fully_signed().exists()
    sign(world.official, fellowship)
    agreement = Agreement.objects.get(collaboration=fellowship)
    assert list(Agreement.objects.fully_signed()) == [agreement]
    assert agreement.is_fully_signed() and agreement.unsigned_sides() == []

    obligation(world, fellowship, "Mentor the fellow", party=world.civic)  # voids both
    agreement.refresh_from_db()
    assert not Agreement.objects.fully_signed().exists()
    assert agreement.unsigned_sides() == [world.civic, world.institution]
    assert Signature.objects.voided().count() == 2 and not Signature.objects.current().exists()


def test_another_collaborations_signatures_do_not_count(world, fellowship):
    other = CollaborationFactory.create(
        civic_organisation=world.civic, institution=world.institution
    )
    for collaboration in (fellowship, other):
        obligation(world, collaboration)
    sign(world.civic_lead, fellowship)
    sign(world.official, other)
    assert not Agreement.objects.fully_signed().exists()


def test_a_wrong_password_takes_no_lock_and_signs_nothing(world, fellowship):
    obligation(world, fellowship)
    audit_before, activity_before = AuditEntry.objects.count(), Activity.objects.count()
    with (
        mock.patch.object(services, "_locked_agreement", wraps=services._locked_agreement) as lock,
        pytest.raises(ValidationError) as refused,
    ):
        sign(world.civic_lead, fellowship, password="not my password")
    assert "password" in refused.value.message_dict
    lock.assert_not_called()
    assert not Signature.objects.exists()
    assert (AuditEntry.objects.count(), Activity.objects.count()) == (
        audit_before,
        activity_before,
    )


def test_signing_the_mou_on_its_page_hashes_the_password_once(world, fellowship, client_for):
    obligation(world, fellowship)
    version = Agreement.objects.get(collaboration=fellowship).version
    address = reverse("collaborations:agreement_sign", args=[fellowship.pk])
    with mock.patch.object(
        User, "check_password", autospec=True, side_effect=User.check_password
    ) as check:
        response = client_for(world.civic_lead).post(
            address, {"version": version, "password": PASSWORD}
        )
    assert response.status_code == 302
    assert check.call_count == 1
    assert Signature.objects.valid().get().signed_by == world.civic_lead


def test_published_credit_is_one_queryset_method(world, fellowship):
    credit = credit_services.draft_credit(
        world.fellow,
        fellowship,
        text="Testshire Council opened its data.",
        government_contribution="Two officials, two days a week",
    )
    credit_services.approve_credit(world.civic_lead, credit)
    assert not CreditStatement.objects.published().exists() and not credit.published
    credit_services.approve_credit(world.official, credit)
    assert list(CreditStatement.objects.published()) == [credit] and credit.published
