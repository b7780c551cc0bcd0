"""Contracts (S4): drafting, signatures, milestones and acceptance, variations, the gate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Activity, Collaboration
from civicbridge.collaborations.services.lifecycle import GateRefused, advance
from civicbridge.core import formats
from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import Access
from civicbridge.procurement.choices import ContractStatus, MilestoneKind, MilestoneStatus
from civicbridge.procurement.models import (
    Contract,
    Disclosure,
    Jurisdiction,
    Milestone,
    OrganisationRole,
    ProcurementPlan,
    RouteRule,
)
from civicbridge.procurement.services import contracts
from civicbridge.procurement.services.invoices import add_invoice
from tests.factories import PASSWORD, MembershipFactory, UserFactory

from .contract_helpers import contract_terms, days_ago, draft, service_delivery, sign, sign_both


@pytest.fixture
def collaboration(world):
    return service_delivery(world)


@pytest.fixture
def contract(world, collaboration):
    return draft(world, collaboration)


@pytest.fixture
def signed(world, contract):
    return sign_both(world, contract)


def milestone(actor, contract, **changes):
    fields = {
        "kind": "delivery",
        "title": "Beta of the portal",
        "due_on": timezone.localdate(),
        **changes,
    }
    return contracts.add_milestone(actor, contract, **fields)


# Drafting


def test_a_contract_is_drafted_between_the_two_parties(world, collaboration):
    contract = draft(world, collaboration)
    assert (contract.supplier, contract.buyer) == (world.civic, world.institution)
    assert contract.status == ContractStatus.PENDING and not contract.is_fully_signed()
    assert AuditEntry.objects.filter(object_id=str(contract.pk), action="create").exists()
    assert Activity.objects.filter(collaboration=collaboration, message__contains="drafted")


def test_a_contract_names_the_collaborations_parties_only(world, collaboration):
    with pytest.raises(ValidationError, match="two parties"):
        contracts.create_contract(
            world.civic_lead,
            collaboration,
            supplier=world.civic,
            buyer=world.other,
            **contract_terms(),
        )
    assert not Contract.objects.exists()


def test_only_a_service_delivery_has_contracts(world, fellowship):
    with pytest.raises(ValidationError, match="service-delivery"):
        contracts.create_contract(world.civic_lead, fellowship, **contract_terms())


def test_a_closed_collaboration_takes_no_new_contract(world, collaboration):
    Collaboration.objects.filter(pk=collaboration.pk).update(stage=Stage.CLOSED)
    collaboration.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        draft(world, collaboration)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "aud"}, "currency"),
        ({"currency": "AU"}, "currency"),
        ({"currency": "A$D"}, "currency"),
        ({"start_date": timezone.localdate().replace(year=1999)}, "start_date"),
        ({"end_date": timezone.localdate().replace(year=2100)}, "end_date"),
        ({"end_date": timezone.localdate() - timedelta(days=181)}, "end_date"),
        ({"value": Decimal("-1.00")}, "value"),
        ({"value": Decimal("1.001")}, "value"),
        ({"payment_terms_days": 366}, "payment_terms_days"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_saved(world, collaboration, changes, field):
    with pytest.raises(ValidationError) as refused:
        draft(world, collaboration, **changes)
    assert field in refused.value.message_dict
    assert not Contract.objects.exists()


def test_an_outsider_cannot_draft_a_contract(world, collaboration):
    with pytest.raises(PermissionDenied):
        contracts.create_contract(world.outsider, collaboration, **contract_terms())


def test_a_change_before_signing_voids_the_signature_given(
    world, contract, django_capture_on_commit_callbacks
):
    sign(world.civic_lead, contract)
    with django_capture_on_commit_callbacks(execute=True):
        changed = contracts.update_contract(world.official, contract, value=Decimal("90000.00"))
    assert changed.value == Decimal("90000.00")
    assert changed.supplier_signature() is None
    assert any("sign it again" in message.subject for message in mail.outbox)


def test_saving_unchanged_terms_voids_nothing(world, contract):
    sign(world.civic_lead, contract)
    contracts.update_contract(world.official, contract, title=contract.title)
    contract.refresh_from_db()
    assert contract.supplier_signature() is not None


def test_the_terms_of_a_signed_contract_are_fixed(world, signed):
    with pytest.raises(ValidationError, match="variation"):
        contracts.update_contract(world.civic_lead, signed, value=Decimal("1.00"))
    with pytest.raises(ValidationError, match="variation"):
        milestone(world.civic_lead, signed)


# Signing


def test_both_signatures_make_the_contract_active(world, contract):
    sign(world.civic_lead, contract)
    contract.refresh_from_db()
    assert (
        contract.status == ContractStatus.PENDING
        and contract.supplier_signature().signed_by == world.civic_lead
    )
    sign(world.official, contract)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE and contract.is_fully_signed()
    assert contract.buyer_signature().signed_by == world.official


def test_only_an_admin_signs_for_a_side(world, contract):
    with pytest.raises(PermissionDenied, match="admin"):
        sign(world.fellow, contract)  # a member of the civic side, not an admin


def test_a_wrong_password_signs_nothing(world, contract):
    with pytest.raises(ValidationError) as refused:
        contracts.sign_contract(
            world.civic_lead, contract, terms=contracts.terms_digest(contract), password="nope"
        )
    assert "password" in refused.value.message_dict
    contract.refresh_from_db()
    assert contract.supplier_signature() is None


def test_a_contract_changed_while_reading_is_not_signed(world, contract):
    read = contracts.terms_digest(contract)
    milestone(world.official, contract)
    with pytest.raises(ValidationError, match="changed while you were reading"):
        contracts.sign_contract(world.civic_lead, contract, terms=read, password=PASSWORD)
    contract.refresh_from_db()
    assert contract.supplier_signature() is None


def test_a_side_signs_once(world, contract):
    sign(world.civic_lead, contract)
    with pytest.raises(ValidationError, match="signed this contract already"):
        sign(world.civic_lead, contract)


def test_signing_is_refused_while_a_conflict_is_undisclosed(world, contract):
    OrganisationRole.objects.create(
        organisation=world.civic,
        institution=world.institution,
        role="watchdog",
        started_on=days_ago(400),
    )
    with pytest.raises(ValidationError, match="watchdog") as refused:
        sign(world.civic_lead, contract)
    assert "disclosure" in str(refused.value)
    with pytest.raises(ValidationError, match="disclosure"):
        sign(world.official, contract)  # the buyer cannot sign either
    contract.refresh_from_db()
    assert contract.supplier_signature() is None and contract.buyer_signature() is None
    Disclosure.objects.create(
        organisation=world.civic,
        institution=world.institution,
        roles=["watchdog"],
        mission_discussion="The board met on 3 March and weighed our independence.",
        outcome="We sell; our watchdog reports on the council are written by others.",
        discussed_on=days_ago(10),
    )
    assert sign_both(world, contract).status == ContractStatus.ACTIVE


# Milestones


@pytest.mark.parametrize("kind", ["delivery", "reporting", "financing"])
def test_the_contracts_own_milestones_fall_within_it(world, contract, kind):
    for day in (contract.start_date - timedelta(days=1), contract.end_date + timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            milestone(world.civic_lead, contract, kind=kind, due_on=day)
        assert "due_on" in refused.value.message_dict
    assert not contract.milestones.exists()


@pytest.mark.parametrize("kind", sorted(MilestoneKind.procurement()))
def test_a_step_of_the_procurement_may_come_before_the_contract(world, contract, kind):
    before = contract.start_date - timedelta(days=60)
    step = milestone(
        world.civic_lead, contract, kind=kind, title="Public consultation", due_on=before
    )
    assert step.procurement_step and step.due_on == before
    # Terms that move the start later leave it be; a deliverable still holds them.
    moved = contracts.update_contract(
        world.civic_lead, contract, start_date=contract.start_date + timedelta(days=10)
    )
    assert moved.start_date == contract.start_date + timedelta(days=10)
    milestone(world.civic_lead, moved, due_on=moved.start_date)
    with pytest.raises(ValidationError, match="outside the contract's dates"):
        contracts.update_contract(
            world.civic_lead, moved, start_date=moved.start_date + timedelta(days=1)
        )


def test_a_step_of_the_procurement_is_not_delivered_or_accepted(world, contract):
    step = milestone(
        world.civic_lead,
        contract,
        kind="engagement",
        title="Public consultation",
        due_on=contract.start_date - timedelta(days=30),
    )
    sign_both(world, contract)
    step.contract.refresh_from_db()
    assert not step.deliverable
    with pytest.raises(ValidationError, match="not a public engagement milestone"):
        contracts.deliver_milestone(world.civic_lead, step)
    step.refresh_from_db()
    assert step.submitted_on is None


def test_a_payment_milestone_says_how_much_in_the_contracts_currency(world, contract):
    with pytest.raises(ValidationError) as refused:
        milestone(world.civic_lead, contract, kind="payment", title="First payment")
    assert "amount" in refused.value.message_dict
    with pytest.raises(ValidationError, match="not EUR"):
        milestone(
            world.civic_lead,
            contract,
            kind="payment",
            title="First payment",
            amount=Decimal("10.00"),
            currency="EUR",
        )
    first = milestone(
        world.civic_lead, contract, kind="payment", title="First", amount=Decimal("60000.00")
    )
    assert first.currency == "AUD"


def test_payment_milestones_stay_within_the_value(world, contract):
    milestone(world.civic_lead, contract, kind="payment", title="1", amount=Decimal("60000.00"))
    with pytest.raises(ValidationError, match="more than the contract's value"):
        milestone(world.civic_lead, contract, kind="payment", title="2", amount=Decimal("40000.01"))
    milestone(world.civic_lead, contract, kind="payment", title="2", amount=Decimal("40000.00"))
    with pytest.raises(ValidationError, match="more than the contract's value"):
        contracts.update_contract(world.civic_lead, contract, value=Decimal("99999.99"))


def test_adding_a_milestone_voids_a_signature(world, contract):
    sign(world.official, contract)
    milestone(world.civic_lead, contract)
    contract.refresh_from_db()
    assert contract.buyer_signature() is None


def test_the_supplier_delivers_and_only_the_buyer_accepts(world, contract):
    item = milestone(world.civic_lead, contract)
    sign_both(world, contract)
    item.contract.refresh_from_db()
    with pytest.raises(PermissionDenied):
        contracts.deliver_milestone(world.official, item)  # the buyer does not deliver
    with pytest.raises(ValidationError, match="not delivered"):
        contracts.accept_milestone(world.official, item, outcome=MilestoneStatus.MET)
    delivered = contracts.deliver_milestone(world.fellow, item)
    assert delivered.submitted_on == timezone.localdate()
    with pytest.raises(PermissionDenied, match="cannot accept its own work"):
        contracts.accept_milestone(world.civic_lead, delivered, outcome=MilestoneStatus.MET)
    accepted = contracts.accept_milestone(
        world.official, delivered, outcome=MilestoneStatus.MET, note="Works well."
    )
    assert accepted.status == MilestoneStatus.MET and accepted.accepted_by == world.official
    assert accepted.acceptance_note == "Works well."
    with pytest.raises(ValidationError, match="accepted this already"):
        contracts.deliver_milestone(world.civic_lead, accepted)


def test_not_met_needs_a_note_and_the_supplier_delivers_again(world, contract):
    item = milestone(world.civic_lead, contract)
    sign_both(world, contract)
    item.contract.refresh_from_db()
    item = contracts.deliver_milestone(world.civic_lead, item)
    with pytest.raises(ValidationError) as refused:
        contracts.accept_milestone(world.official, item, outcome=MilestoneStatus.NOT_MET)
    assert "note" in refused.value.message_dict
    item = contracts.accept_milestone(
        world.official, item, outcome=MilestoneStatus.NOT_MET, note="Search does not work."
    )
    assert item.status == MilestoneStatus.NOT_MET
    with pytest.raises(ValidationError, match="judged already"):
        contracts.accept_milestone(world.official, item, outcome=MilestoneStatus.MET)
    again = contracts.deliver_milestone(world.civic_lead, item)
    assert again.status == MilestoneStatus.SCHEDULED and again.acceptance_note == ""


def test_nothing_is_delivered_before_both_sides_sign(world, contract):
    item = milestone(world.civic_lead, contract)
    with pytest.raises(ValidationError, match="both sides must sign"):
        contracts.deliver_milestone(world.civic_lead, item)


def test_a_payment_milestone_is_not_delivered(world, contract):
    item = milestone(world.civic_lead, contract, kind="payment", amount=Decimal("10.00"))
    sign_both(world, contract)
    item.contract.refresh_from_db()
    with pytest.raises(ValidationError, match="invoice paid"):
        contracts.deliver_milestone(world.civic_lead, item)


def test_delivery_cannot_be_dated_in_the_future(world, contract):
    item = milestone(world.civic_lead, contract)
    sign_both(world, contract)
    item.contract.refresh_from_db()
    with pytest.raises(ValidationError, match="future"):
        contracts.deliver_milestone(
            world.civic_lead, item, on=timezone.localdate() + timedelta(days=1)
        )


# Steps of the procurement


def consultation(world, contract):
    return milestone(
        world.civic_lead,
        contract,
        kind="engagement",
        title="Public consultation",
        due_on=contract.start_date - timedelta(days=30),
    )


def test_a_step_is_recorded_met_audited_and_told_in_the_feed(world, contract):
    step = consultation(world, contract)
    met = contracts.record_step(world.official, step, status="met", met_on=days_ago(200))
    stored = Milestone.objects.get(pk=step.pk)
    assert (stored.status, stored.met_on) == (MilestoneStatus.MET, days_ago(200))
    assert met.contract.collaboration == contract.collaboration
    entry = AuditEntry.objects.get(object_id=str(step.pk), action="update")
    assert entry.changes["status"] == ["scheduled", "met"]
    feed = Activity.objects.get(message__contains="“Public consultation” was met")
    assert feed.owner_organisation_id == world.institution.pk
    assert formats.day(days_ago(200)) in feed.message


def test_a_step_is_recorded_partly_met_then_corrected_to_not_met(world, contract):
    step = consultation(world, contract)
    contracts.record_step(world.civic_lead, step, status="partiallyMet", met_on=days_ago(3))
    assert Activity.objects.filter(message__contains="was partly met on").exists()
    corrected = contracts.record_step(world.civic_lead, step, status="notMet", met_on=None)
    assert (corrected.status, corrected.met_on) == (MilestoneStatus.NOT_MET, None)
    assert Activity.objects.filter(message__contains="was not met").exists()
    # The same outcome again changes nothing and tells nobody.
    entries, lines = AuditEntry.objects.count(), Activity.objects.count()
    contracts.record_step(world.civic_lead, step, status="notMet", met_on=None)
    assert (AuditEntry.objects.count(), Activity.objects.count()) == (entries, lines)


@pytest.mark.parametrize("kind", ["delivery", "reporting", "payment", "financing"])
def test_only_a_step_of_the_procurement_has_its_outcome_recorded(world, contract, kind):
    item = milestone(world.civic_lead, contract, kind=kind, amount=Decimal("10.00"))
    sign_both(world, contract)
    item.contract.refresh_from_db()
    with pytest.raises(ValidationError, match="Only a step of the procurement"):
        contracts.record_step(world.official, item, status="met", met_on=days_ago(1))
    item.refresh_from_db()
    assert (item.status, item.met_on) == (MilestoneStatus.SCHEDULED, None)


@pytest.mark.parametrize(
    ("status", "met_on", "says"),
    [
        ("met", None, "Give the day it happened"),
        ("partiallyMet", None, "Give the day it happened"),
        ("met", timezone.localdate() + timedelta(days=1), "in the future"),
        ("met", timezone.localdate().replace(year=1999), "between 2000 and 2099"),
        ("notMet", days_ago(1), "Leave the date empty"),
        ("scheduled", None, "met, partly met or not met"),
    ],
)
def test_a_bad_outcome_is_refused_and_nothing_changes(world, contract, status, met_on, says):
    step = consultation(world, contract)
    with pytest.raises(ValidationError, match=says) as refused:
        contracts.record_step(world.official, step, status=status, met_on=met_on)
    assert set(refused.value.message_dict) <= {"met_on", "status"}
    step.refresh_from_db()
    assert (step.status, step.met_on) == (MilestoneStatus.SCHEDULED, None)
    assert not Activity.objects.filter(message__contains="recorded that").exists()


def test_either_sides_members_record_a_step_and_nobody_else(world, contract):
    step = consultation(world, contract)
    for member in (world.civic_lead, world.fellow, world.official):
        contracts.record_step(member, step, status="met", met_on=days_ago(1))
        contracts.record_step(member, step, status="notMet", met_on=None)
    viewer = UserFactory()
    MembershipFactory(person=viewer.person, organisation=world.institution, access=Access.VIEWER)
    for stranger in (world.outsider, viewer, world.admin):
        with pytest.raises(PermissionDenied, match="Only members of"):
            contracts.record_step(stranger, step, status="met", met_on=days_ago(1))
    step.refresh_from_db()
    assert step.status == MilestoneStatus.NOT_MET


def test_recording_a_step_voids_no_signature_before_or_after_signing(world, contract):
    step = consultation(world, contract)
    sign(world.civic_lead, contract)
    read = contracts.terms_digest(contract)
    contracts.record_step(world.official, step, status="met", met_on=days_ago(200))
    # The outcome is not a term: the fingerprint the buyer read still holds.
    assert contracts.terms_digest(contract) == read
    contract.refresh_from_db()
    assert contract.supplier_signature() is not None
    contracts.sign_contract(world.official, contract, terms=read, password=PASSWORD)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    signed_at = (contract.supplier_signature().signed_at, contract.buyer_signature().signed_at)
    contracts.record_step(world.civic_lead, step, status="partiallyMet", met_on=days_ago(190))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE and contract.is_fully_signed()
    assert (
        contract.supplier_signature().signed_at,
        contract.buyer_signature().signed_at,
    ) == signed_at
    assert contracts.terms_digest(contract) == read
    assert not Activity.objects.filter(message__contains="is void").exists()


# Variations


def test_variations_are_numbered_and_keep_the_old_values(world, signed):
    first = contracts.record_variation(
        world.official,
        signed,
        new_value=Decimal("120000.00"),
        currency="AUD",
        reason="Two more forms.",
        agreed_on=timezone.localdate(),
    )
    end = signed.end_date + timedelta(days=60)
    second = contracts.record_variation(
        world.civic_lead, signed, new_end_date=end, reason="Later launch.", agreed_on=days_ago(0)
    )
    assert (first.number, first.old_value, first.new_value) == (
        1,
        Decimal("100000.00"),
        Decimal("120000.00"),
    )
    assert (second.number, second.old_end_date, second.new_end_date) == (2, signed.end_date, end)
    assert second.old_value == second.new_value == Decimal("120000.00")
    stored = Contract.objects.get(pk=signed.pk)
    assert (stored.value, stored.end_date) == (Decimal("120000.00"), end)


def test_a_variation_in_another_currency_is_refused(world, signed):
    with pytest.raises(ValidationError, match="not NZD"):
        contracts.record_variation(
            world.official,
            signed,
            new_value=Decimal("120000.00"),
            currency="NZD",
            reason="More.",
            agreed_on=days_ago(0),
        )
    assert not signed.variations.exists()


def test_a_variation_cannot_fall_below_what_is_invoiced(world, signed):
    add_invoice(
        world.civic_lead,
        signed,
        number="INV-1",
        amount=Decimal("50000.00"),
        currency="AUD",
        issued_on=days_ago(5),
    )
    with pytest.raises(ValidationError, match="invoiced already"):
        contracts.record_variation(
            world.official,
            signed,
            new_value=Decimal("49999.99"),
            reason="Less.",
            agreed_on=days_ago(0),
        )


def test_a_variation_changes_something_and_needs_a_signed_contract(world, contract):
    with pytest.raises(ValidationError, match="both sides must sign"):
        contracts.record_variation(
            world.official, contract, new_value=Decimal("1.00"), reason="x", agreed_on=days_ago(0)
        )
    sign_both(world, contract)
    contract.refresh_from_db()
    with pytest.raises(ValidationError, match="Nothing changes"):
        contracts.record_variation(
            world.official, contract, new_value=contract.value, reason="x", agreed_on=days_ago(0)
        )


def test_a_variation_keeps_the_milestones_within_the_end(world, contract):
    item = milestone(world.civic_lead, contract, due_on=timezone.localdate() + timedelta(days=90))
    # A review of the procurement after the contract ends holds no end back.
    milestone(
        world.civic_lead,
        contract,
        kind="assessment",
        title="Review of the procurement",
        due_on=contract.end_date + timedelta(days=30),
    )
    sign_both(world, contract)
    contract.refresh_from_db()
    contracts.record_variation(
        world.official,
        contract,
        new_end_date=timezone.localdate() + timedelta(days=90),
        reason="Shorter.",
        agreed_on=days_ago(0),
    )
    with pytest.raises(ValidationError, match=str(item.title)):
        contracts.record_variation(
            world.official,
            contract,
            new_end_date=timezone.localdate() + timedelta(days=89),
            reason="Shorter.",
            agreed_on=days_ago(0),
        )


# The gate


def _lawful_route(collaboration):
    """An allowed direct award, so the lawful-route gate holds and only the contract counts."""
    place = Jurisdiction.objects.create(name="Testland", code="testland")
    RouteRule.objects.create(
        jurisdiction=place,
        route="direct_award",
        allowed=True,
        explanation="Allowed at any value.",
        source="Test rule",
        source_date=days_ago(30),
    )
    ProcurementPlan.objects.create(
        collaboration=collaboration,
        route="direct_award",
        jurisdiction=place,
        estimated_value=Decimal("100000.00"),
        currency="AUD",
        procurement_starts_on=days_ago(100),
        verdict="allowed",
        verdict_reason="Allowed at any value.",
    )


def test_the_collaboration_becomes_active_only_with_a_contract_both_sides_signed(
    world, playbook, collaboration
):
    _lawful_route(collaboration)
    Collaboration.objects.filter(pk=collaboration.pk).update(stage=Stage.AGREED)
    collaboration.refresh_from_db()
    with pytest.raises(GateRefused, match="no contract yet"):
        advance(world.civic_lead, collaboration)
    contract = draft(world, collaboration)
    sign(world.civic_lead, contract)
    with pytest.raises(GateRefused) as refused:
        advance(world.civic_lead, collaboration)
    assert "still needs the signature of Testshire Council" in str(refused.value)
    assert [r.condition for r in refused.value.refusals] == ["service_delivery.contract_signed"]
    sign(world.official, contract)
    advance(world.civic_lead, collaboration)
    collaboration.refresh_from_db()
    assert collaboration.stage == Stage.ACTIVE
