"""The home page lists what needs the signed-in user across their collaborations."""

from datetime import date, timedelta

import time_machine
from django.urls import reverse

from civicbridge.collaborations.attention import needs_attention
from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Agreement, CheckIn, Signature
from civicbridge.partners.tests.test_query_counts import count_queries
from tests.factories import CollaborationFactory


def agreement_with_obligation(collaboration, due: date) -> Agreement:
    agreement = Agreement.objects.create(collaboration=collaboration)
    agreement.obligations.create(
        party=collaboration.institution, description="Provide a desk", due_date=due
    )
    return agreement


@time_machine.travel(date(2026, 11, 26), tick=False)
def test_signature_awaited_only_from_admins_of_a_side_that_has_not_signed(fellowship, world):
    agreement = agreement_with_obligation(fellowship, date(2026, 12, 1))
    assert needs_attention(world.official).signatures == [fellowship]
    assert needs_attention(world.fellow).signatures == []  # a member, not an admin
    Signature.objects.create(
        agreement=agreement,
        version=1,
        party=world.institution,
        signed_by=world.official,
        signer_name="Sam Official",
    )
    assert needs_attention(world.official).signatures == []
    assert needs_attention(world.civic_lead).signatures == [fellowship]


@time_machine.travel(date(2026, 11, 26), tick=False)
def test_obligations_due_soon_or_overdue_for_the_users_sides(fellowship, world):
    agreement_with_obligation(fellowship, date(2026, 12, 5))
    assert [o.description for o in needs_attention(world.official).obligations] == [
        "Provide a desk"
    ]
    assert needs_attention(world.civic_lead).obligations == []  # the institution's obligation
    agreement = fellowship.agreement
    agreement.obligations.update(due_date=date(2027, 1, 30))
    assert needs_attention(world.official).obligations == []  # not due within two weeks


@time_machine.travel(date(2026, 11, 26), tick=False)
def test_overdue_checkins_of_the_users_side(world, playbook):
    active = CollaborationFactory.create(
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
        start_date=date(2026, 10, 1),
        end_date=date(2027, 3, 31),
        checkin_every_days=14,
    )
    CheckIn.objects.create(
        collaboration=active,
        owner_organisation=world.civic,
        visibility="both",
        due_on=date(2026, 10, 15),
        workflow="w",
        quality=4,
    )
    lead_dates = [due for _c, due in needs_attention(world.civic_lead).checkins]
    official_dates = [due for _c, due in needs_attention(world.official).checkins]
    assert lead_dates == [date(2026, 10, 29), date(2026, 11, 12)]
    assert official_dates == [date(2026, 10, 15), date(2026, 10, 29), date(2026, 11, 12)]


def test_home_page_shows_what_needs_the_user_with_constant_queries(world, playbook, client_for):
    client = client_for(world.official)

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            collaboration = CollaborationFactory.create(
                civic_organisation=world.civic,
                institution=world.institution,
                start_date=date.today() - timedelta(days=60),
                stage=Stage.ACTIVE,
            )
            agreement_with_obligation(collaboration, date.today())
            CollaborationFactory.create(
                civic_organisation=world.civic,
                institution=world.institution,
                stage=Stage.PREPARING,
            )
            agreement_with_obligation(
                CollaborationFactory.create(
                    civic_organisation=world.civic,
                    institution=world.institution,
                    stage=Stage.PREPARING,
                ),
                date.today(),
            )

    grow(1)
    few = count_queries(client, reverse("collaborations:home"))
    grow(10)
    assert count_queries(client, reverse("collaborations:home")) == few
    page = client.get(reverse("collaborations:home")).content.decode()
    assert "Your side's signature is awaited" in page and "is overdue" in page
