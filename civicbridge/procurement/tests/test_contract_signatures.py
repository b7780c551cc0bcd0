"""A contract's signatures as rows: voided ones stay listable, "fully signed" is one
query, and the signer's password is checked once, before the contract is locked."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.accounts.models import User
from civicbridge.collaborations.models import Activity
from civicbridge.core.models import AuditEntry
from civicbridge.procurement.models import Contract, ContractSignature
from civicbridge.procurement.services import contracts
from civicbridge.procurement.services import signing as contract_signing
from tests.factories import PASSWORD

from .contract_helpers import draft, service_delivery, sign, sign_both


@pytest.fixture
def collaboration(world):
    return service_delivery(world)


@pytest.fixture
def contract(world, collaboration):
    return draft(world, collaboration)


def test_a_change_to_the_draft_voids_a_signature_that_stays_listed(world, contract, client_for):
    sign(world.civic_lead, contract)
    contracts.update_contract(world.official, contract, value=Decimal("90000.00"))

    voided = ContractSignature.objects.get(contract=contract)
    assert voided.party == world.civic and voided.signed_by == world.civic_lead
    assert voided.voided_at is not None
    assert "value" in voided.void_reason
    assert not contract.signatures.valid().exists()

    listed = client_for(world.official).get(f"/api/v1/contracts/{contract.pk}/signatures")
    assert listed.status_code == 200
    [row] = listed.json()["items"]
    assert row["id"] == voided.pk and row["voided_at"] and "value" in row["void_reason"]
    assert row["terms"] and row["signer_name"] == world.civic_lead.display_name


def test_signing_again_after_a_change_keeps_both_rows(world, contract):
    sign(world.civic_lead, contract)
    changed = contracts.update_contract(world.civic_lead, contract, title="Portal, v2")
    sign(world.civic_lead, changed)
    rows = ContractSignature.objects.filter(contract=contract)
    assert rows.count() == 2
    assert rows.valid().count() == 1 and rows.voided().count() == 1
    assert rows.valid().get().terms == contracts.terms_digest(Contract.objects.get(pk=contract.pk))


def test_fully_signed_is_a_queryset_method(world, collaboration):
    unsigned = draft(world, collaboration, title="Unsigned")
    half = draft(world, collaboration, title="Half signed")
    sign(world.civic_lead, half)
    voided = draft(world, collaboration, title="Signed, then changed")
    sign(world.official, voided)
    voided = contracts.update_contract(world.civic_lead, voided, value=Decimal("1.00"))
    sign(world.civic_lead, voided)
    both = sign_both(world, draft(world, collaboration, title="Both signed"))

    assert list(Contract.objects.fully_signed()) == [both]
    assert both.status == "active"
    for contract in (unsigned, half, voided):
        fresh = Contract.objects.get(pk=contract.pk)
        assert not fresh.is_fully_signed() and fresh.status == "pending"


def test_a_wrong_password_takes_no_lock_and_changes_nothing(world, contract):
    audit_before = AuditEntry.objects.count()
    activity_before = Activity.objects.count()
    with (
        mock.patch.object(
            contract_signing, "locked_contract", wraps=contract_signing.locked_contract
        ) as lock,
        pytest.raises(ValidationError) as refused,
    ):
        contracts.sign_contract(
            world.civic_lead, contract, terms=contracts.terms_digest(contract), password="no"
        )
    assert "password" in refused.value.message_dict
    lock.assert_not_called()
    assert not ContractSignature.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert Activity.objects.count() == activity_before


def test_signing_on_the_page_hashes_the_password_once(world, contract, client_for):
    collaboration = contract.collaboration
    address = reverse("procurement:contract_sign", args=[collaboration.pk, contract.pk])
    client = client_for(world.civic_lead)
    terms = client.get(address).context["form"]["terms"].value()
    with mock.patch.object(
        User, "check_password", autospec=True, side_effect=User.check_password
    ) as check:
        response = client.post(address, {"terms": terms, "password": PASSWORD})
    assert response.status_code == 302
    assert check.call_count == 1
    signature = Contract.objects.get(pk=contract.pk).supplier_signature()
    assert signature is not None and signature.signed_by == world.civic_lead


def test_listing_signatures_takes_the_same_queries_for_more_rows(world, contract, client_for):
    client = client_for(world.official)
    address = f"/api/v1/contracts/{contract.pk}/signatures"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    sign(world.civic_lead, contract)
    once = count()
    for n in range(5):
        contract = contracts.update_contract(world.civic_lead, contract, title=f"Portal {n}")
        sign(world.civic_lead, contract)
    assert ContractSignature.objects.filter(contract=contract).count() == 6
    assert count() == once


def test_the_contracts_list_reads_signatures_in_a_fixed_number_of_queries(
    world, collaboration, client_for
):
    client = client_for(world.official)
    address = f"/api/v1/collaborations/{collaboration.pk}/contracts"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        return len(queries)

    sign_both(world, draft(world, collaboration, title="First"))
    once = count()
    for n in range(5):
        sign_both(world, draft(world, collaboration, title=f"More {n}"))
    assert count() == once
    first = client.get(address).json()["items"][0]
    assert first["supplier_signed_by_id"] == world.civic_lead.pk
    assert first["buyer_signed_by_id"] == world.official.pk and first["buyer_signed_at"]
