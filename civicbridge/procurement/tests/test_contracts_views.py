"""The Contract tab: who sees and does what, forms that refuse bad input, forged posts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from civicbridge.partners.choices import Access
from civicbridge.procurement.choices import ContractStatus, MilestoneStatus
from civicbridge.procurement.models import Contract, Milestone, OrganisationRole, PlannedCost
from civicbridge.procurement.services import contracts
from tests.factories import PASSWORD, MembershipFactory, UserFactory

from .contract_helpers import days_ago, draft, service_delivery, sign, sign_both


@pytest.fixture
def collaboration(world):
    return service_delivery(world)


@pytest.fixture
def contract(world, collaboration):
    return draft(world, collaboration)


def deliverable(world, contract) -> Milestone:
    return contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="delivery",
        title="Search that works",
        due_on=timezone.localdate(),
    )


def url(name, collaboration, *args):
    return reverse(f"procurement:{name}", args=[collaboration.pk, *args])


def test_the_empty_tab_explains_and_offers_the_draft(world, collaboration, client_for):
    page = client_for(world.official).get(url("contract", collaboration)).content.decode()
    assert "No contract yet" in page
    assert url("contract_create", collaboration) in page


def test_a_viewer_of_a_side_reads_but_cannot_draft(world, collaboration, client_for):
    viewer = UserFactory()
    MembershipFactory(person=viewer.person, organisation=world.institution, access=Access.VIEWER)
    client = client_for(viewer)
    assert client.get(url("contract", collaboration)).status_code == 200
    assert client.get(url("contract_create", collaboration)).status_code == 403


def test_an_outsider_sees_no_contract(world, contract, client_for):
    client = client_for(world.outsider)
    collaboration = contract.collaboration
    assert client.get(url("contract", collaboration)).status_code == 404
    assert client.get(url("contract_sign", collaboration, contract.pk)).status_code == 404


def test_another_model_has_no_contract_tab(world, fellowship, client_for):
    assert client_for(world.civic_lead).get(url("contract", fellowship)).status_code == 404


def test_drafting_through_the_form_reads_currency_in_upper_case(world, collaboration, client_for):
    today = timezone.localdate()
    response = client_for(world.civic_lead).post(
        url("contract_create", collaboration),
        {
            "title": "Portal",
            "value": "48000.00",
            "currency": "aud",
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=90)).isoformat(),
            "payment_terms_days": "30",
        },
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert (contract.value, contract.currency) == (Decimal("48000.00"), "AUD")


def test_a_bad_draft_shows_the_errors_and_saves_nothing(world, collaboration, client_for):
    response = client_for(world.civic_lead).post(
        url("contract_create", collaboration),
        {
            "title": "Portal",
            "value": "48000.001",
            "currency": "A1",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
            "payment_terms_days": "30",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"value", "currency"}
    assert not Contract.objects.exists()


def test_signing_through_the_page(world, contract, client_for):
    collaboration = contract.collaboration
    client = client_for(world.civic_lead)
    page = client.get(url("contract_sign", collaboration, contract.pk))
    terms = page.context["form"]["terms"].value()
    wrong = client.post(
        url("contract_sign", collaboration, contract.pk), {"terms": terms, "password": "nope"}
    )
    assert wrong.status_code == 200 and "password" in wrong.context["form"].errors
    signed = client.post(
        url("contract_sign", collaboration, contract.pk), {"terms": terms, "password": PASSWORD}
    )
    assert signed.status_code == 302
    contract.refresh_from_db()
    assert contract.supplier_signature().signed_by == world.civic_lead


def test_a_change_while_reading_is_refused_and_the_page_shows_the_new_terms(
    world, contract, client_for
):
    collaboration = contract.collaboration
    client = client_for(world.official)
    terms = (
        client.get(url("contract_sign", collaboration, contract.pk))
        .context["form"]["terms"]
        .value()
    )
    contracts.update_contract(world.civic_lead, contract, value=Decimal("1.00"))
    refused = client.post(
        url("contract_sign", collaboration, contract.pk), {"terms": terms, "password": PASSWORD}
    )
    assert "changed while you were reading" in refused.content.decode()
    assert "1.00 AUD" in refused.content.decode()
    fresh = refused.context["form"]["terms"].value()
    assert fresh == contracts.terms_digest(Contract.objects.get(pk=contract.pk))
    client.post(
        url("contract_sign", collaboration, contract.pk), {"terms": fresh, "password": PASSWORD}
    )
    signature = Contract.objects.get(pk=contract.pk).buyer_signature()
    assert signature is not None and signature.signed_by == world.official


def test_the_sign_page_names_the_undisclosed_conflict(world, contract, client_for):
    OrganisationRole.objects.create(
        organisation=world.civic,
        institution=world.institution,
        role="watchdog",
        started_on=days_ago(10),
    )
    page = client_for(world.civic_lead).get(
        url("contract_sign", contract.collaboration, contract.pk)
    )
    assert "Nobody can sign yet" in page.content.decode()
    assert "watchdog" in page.content.decode()
    tab = client_for(world.official).get(url("contract", contract.collaboration))
    assert "conflict of interest is disclosed" in tab.content.decode()


def test_only_admins_may_open_the_sign_page(world, contract, client_for):
    response = client_for(world.fellow).get(
        url("contract_sign", contract.collaboration, contract.pk)
    )
    assert response.status_code == 403


def test_forged_posts_are_refused(world, contract, client_for):
    item = deliverable(world, contract)
    sign_both(world, contract)
    collaboration = contract.collaboration
    deliver = url("milestone_deliver", collaboration, contract.pk, item.pk)
    accept = url("milestone_accept", collaboration, contract.pk, item.pk)
    # The buyer cannot mark the supplier's work delivered.
    assert client_for(world.official).post(deliver).status_code == 403
    assert client_for(world.civic_lead).post(deliver).status_code == 302
    # The supplier cannot accept its own deliverable.
    outcome = {"outcome": MilestoneStatus.MET, "note": "", "on": timezone.localdate().isoformat()}
    assert client_for(world.civic_lead).post(accept, outcome).status_code == 403
    assert client_for(world.outsider).post(accept, outcome).status_code == 404
    item.refresh_from_db()
    assert item.status == MilestoneStatus.SCHEDULED and item.accepted_by is None
    assert client_for(world.official).post(accept, outcome).status_code == 302
    item.refresh_from_db()
    assert item.status == MilestoneStatus.MET and item.accepted_by == world.official


def test_a_record_of_another_collaboration_is_not_found_through_this_one(
    world, contract, client_for
):
    item = deliverable(world, contract)
    other = service_delivery(world, title="Other")
    client = client_for(world.civic_lead)
    assert client.get(url("contract_edit", other, contract.pk)).status_code == 404
    assert client.get(url("milestone_edit", other, contract.pk, item.pk)).status_code == 404
    second = draft(world, other)
    assert client.get(url("milestone_edit", other, second.pk, item.pk)).status_code == 404


def test_planned_costs_stay_on_the_suppliers_side(world, contract, client_for):
    PlannedCost.objects.create(
        contract=contract,
        description="Two developers",
        amount=Decimal("12000.00"),
        currency="AUD",
        due_on=timezone.localdate(),
    )
    collaboration = contract.collaboration
    assert (
        "Two developers"
        in client_for(world.civic_lead).get(url("contract", collaboration)).content.decode()
    )
    assert (
        "Two developers"
        not in client_for(world.official).get(url("contract", collaboration)).content.decode()
    )
    assert (
        client_for(world.official).get(url("cost_create", collaboration, contract.pk)).status_code
        == 403
    )


def test_the_milestone_form_groups_the_kinds_and_takes_a_step_before_the_start(
    world, contract, client_for
):
    client = client_for(world.civic_lead)
    address = url("milestone_create", contract.collaboration, contract.pk)
    page = client.get(address).content.decode()
    contract_kinds = page.index("Milestones of the contract, due within its dates")
    steps = page.index("Steps of the procurement, which may come before the contract starts")
    assert contract_kinds < page.index('value="financing"') < steps
    assert steps < page.index('value="engagement"')
    before = (contract.start_date - timedelta(days=20)).isoformat()
    posted = {"title": "Public consultation", "due_on": before}
    refused = client.post(address, {**posted, "kind": "delivery"})
    assert refused.status_code == 200 and "due_on" in refused.context["form"].errors
    assert client.post(address, {**posted, "kind": "engagement"}).status_code == 302
    step = Milestone.objects.get()
    assert (step.kind, step.due_on.isoformat()) == ("engagement", before)
    sign_both(world, contract)
    tab = client_for(world.fellow).get(url("contract", contract.collaboration)).content.decode()
    assert "Public engagement" in tab and "Public consultation" in tab
    assert "Mark delivered today" not in tab


def test_the_tab_shows_milestones_and_variations(world, contract, client_for):
    deliverable(world, contract)
    sign(world.civic_lead, contract)
    sign(world.official, contract)
    contract.refresh_from_db()
    contracts.record_variation(
        world.official,
        contract,
        new_value=Decimal("110000.00"),
        reason="A second form.",
        agreed_on=timezone.localdate(),
    )
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.ACTIVE
    page = client_for(world.fellow).get(url("contract", contract.collaboration)).content.decode()
    assert "Search that works" in page and "Mark delivered today" in page
    assert "100,000.00 → 110,000.00 AUD" in page and "A second form." in page


def test_the_tab_reads_a_fixed_number_of_queries(world, collaboration, client_for):
    def count() -> int:
        client = client_for(world.civic_lead)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("contract", collaboration)).status_code == 200
        return len(queries)

    contract = draft(world, collaboration)
    deliverable(world, contract)
    once = count()
    for number in range(9):
        contracts.add_milestone(
            world.civic_lead,
            contract,
            kind="payment",
            title=f"Payment {number}",
            due_on=timezone.localdate(),
            amount=Decimal("10.00"),
        )
        PlannedCost.objects.create(
            contract=contract,
            description=f"Cost {number}",
            amount=Decimal("1.00"),
            currency="AUD",
            due_on=timezone.localdate(),
        )
    assert count() == once


def step_of(world, contract) -> Milestone:
    return contracts.add_milestone(
        world.civic_lead,
        contract,
        kind="approval",
        title="Council approves the spend",
        due_on=contract.start_date - timedelta(days=10),
    )


def test_the_outcome_of_a_step_is_recorded_from_its_row(world, contract, client_for):
    step = step_of(world, contract)
    collaboration = contract.collaboration
    address = url("milestone_outcome", collaboration, contract.pk, step.pk)
    # Before signing, beside Change and Remove.
    assert (
        address in client_for(world.civic_lead).get(url("contract", collaboration)).content.decode()
    )
    sign_both(world, contract)
    client = client_for(world.official)
    tab = client.get(url("contract", collaboration)).content.decode()
    assert address in tab and "Record the outcome" in tab
    page = client.get(address)
    assert page.status_code == 200
    assert "How did “Council approves the spend” go?" in page.content.decode()
    undated = client.post(address, {"status": "met", "met_on": ""})
    assert undated.status_code == 200 and "met_on" in undated.context["form"].errors
    ahead = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.post(address, {"status": "met", "met_on": ahead})
    assert "in the future" in future.content.decode()
    step.refresh_from_db()
    assert step.status == MilestoneStatus.SCHEDULED
    done = client.post(address, {"status": "met", "met_on": days_ago(190).isoformat()})
    assert done.status_code == 302
    step.refresh_from_db()
    assert (step.status, step.met_on) == (MilestoneStatus.MET, days_ago(190))
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.ACTIVE
    shown = client.get(url("contract", collaboration)).content.decode()
    assert f"On {date_format(days_ago(190), 'j M Y')}." in shown
    again = client.get(address)
    assert again.context["form"]["status"].value() == "met"


def test_only_the_parties_members_record_a_steps_outcome(world, contract, client_for):
    step = step_of(world, contract)
    address = url("milestone_outcome", contract.collaboration, contract.pk, step.pk)
    posted = {"status": "met", "met_on": days_ago(1).isoformat()}
    assert client_for(world.outsider).get(address).status_code == 404
    assert client_for(world.outsider).post(address, posted).status_code == 404
    viewer = UserFactory()
    MembershipFactory(person=viewer.person, organisation=world.institution, access=Access.VIEWER)
    assert client_for(viewer).get(address).status_code == 403
    assert client_for(viewer).post(address, posted).status_code == 403
    assert "Record the outcome" not in (
        client_for(viewer).get(url("contract", contract.collaboration)).content.decode()
    )
    step.refresh_from_db()
    assert step.status == MilestoneStatus.SCHEDULED
    assert client_for(world.fellow).post(address, posted).status_code == 302


def test_a_deliverable_has_no_outcome_page(world, contract, client_for):
    item = deliverable(world, contract)
    address = url("milestone_outcome", contract.collaboration, contract.pk, item.pk)
    client = client_for(world.official)
    response = client.post(address, {"status": "met", "met_on": days_ago(1).isoformat()})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.met_on) == (MilestoneStatus.SCHEDULED, None)
    assert (
        "Record the outcome"
        not in client.get(url("contract", contract.collaboration)).content.decode()
    )
