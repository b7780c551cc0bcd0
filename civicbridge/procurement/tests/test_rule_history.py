"""A jurisdiction's rule history names the policy collaboration a rule changed because of
(S3, S6): the procurement rule the platform enforces, changed by policy work."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicbridge.collaborations.choices import Model
from civicbridge.procurement.models import Jurisdiction, RouteRule, RuleHistoryEntry
from civicbridge.procurement.services import routes
from tests.factories import CollaborationFactory, OrganisationFactory


@pytest.fixture
def place(world):
    return routes.create_jurisdiction(world.admin, name="Ruritania", code="ru")


def rule(admin, place, *, allowed=False, because_of=None, existing=None):
    return routes.save_rule(
        admin,
        place,
        existing,
        route="donation",
        allowed=allowed,
        max_value=None,
        currency="",
        explanation="Donations to public bodies.",
        source="Procurement Act, s. 4",
        source_date=date(2026, 1, 15),
        because_of=because_of,
    )


def test_a_rule_change_names_the_policy_collaboration_and_the_page_links_it(
    world, place, client_for
):
    policy = CollaborationFactory.create(
        model=Model.POLICY,
        title="Towards agile procurement",
        civic_organisation=world.civic,
        institution=world.institution,
    )
    first = rule(world.admin, place)
    rule(world.admin, place, allowed=True, because_of=policy, existing=first)
    history = list(RuleHistoryEntry.objects.filter(jurisdiction=place).order_by("id"))
    assert [entry.because_of for entry in history] == [None, policy]
    assert "not allowed" in history[1].what and "any value" in history[1].what
    page = client_for(world.civic_lead).get(reverse("procurement:jurisdiction", args=[place.pk]))
    assert reverse("collaborations:detail", args=[policy.pk]) in page.content.decode()
    # Someone who cannot see the collaboration reads that a policy collaboration did it.
    hidden = client_for(world.outsider).get(reverse("procurement:jurisdiction", args=[place.pk]))
    assert "Towards agile procurement" not in hidden.content.decode()
    assert "A policy development collaboration" in hidden.content.decode()


def test_only_a_policy_collaboration_may_be_named(world, place):
    fellowship = CollaborationFactory(civic_organisation=world.civic, institution=world.institution)
    with pytest.raises(ValidationError) as refused:
        rule(world.admin, place, because_of=fellowship)
    assert "because_of" in refused.value.message_dict
    assert not RouteRule.objects.exists() and not RuleHistoryEntry.objects.exists()


def test_the_form_offers_only_the_policy_collaborations_the_recorder_sees(world, place):
    from civicbridge.procurement.forms.routes import RouteRuleForm

    seen = CollaborationFactory(
        model=Model.POLICY, civic_organisation=world.civic, institution=world.institution
    )
    other = OrganisationFactory()
    unseen = CollaborationFactory(model=Model.POLICY, civic_organisation=other)
    CollaborationFactory(civic_organisation=world.civic, institution=world.institution)
    form = RouteRuleForm(jurisdiction=place, user=world.civic_lead)
    offered = form.fields["because_of"].queryset  # type: ignore[attr-defined]
    assert list(offered) == [seen]
    assert unseen not in offered
    assert Jurisdiction.objects.count() == 1
