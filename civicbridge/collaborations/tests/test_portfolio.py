"""The portfolio at a glance: each figure is counted in the database, equals the count of
the list it links to, and the home page asks a fixed number of queries for it."""

from datetime import date

import pytest
import time_machine

from civicbridge.collaborations.choices import RiskReason, Stage
from civicbridge.collaborations.models import (
    Agreement,
    CheckIn,
    Collaboration,
    Risk,
    Signature,
    Stakeholder,
)
from tests.factories import CollaborationFactory, PersonFactory

TODAY = date(2026, 11, 26)


def running(world, **fields) -> Collaboration:
    """An active collaboration of the world's parties, with two people named on each side
    and check-ins every 14 days from 1 October (due 15 Oct, 29 Oct, 12 Nov, 26 Nov)."""
    collaboration = CollaborationFactory.create(
        civic_organisation=world.civic,
        institution=world.institution,
        stage=Stage.ACTIVE,
        start_date=date(2026, 10, 1),
        end_date=date(2027, 3, 31),
        checkin_every_days=14,
        **fields,
    )
    for side in (world.civic, world.institution):
        for _ in range(2):
            Stakeholder.objects.create(
                collaboration=collaboration,
                person=PersonFactory.create(),
                organisation=side,
                role="champion",
            )
    for side in (world.civic, world.institution):
        give_checkin(collaboration, side, date(2026, 11, 12))
    return collaboration


def give_checkin(collaboration, side, due_on, quality=4, visibility="both") -> CheckIn:
    return CheckIn.objects.create(
        collaboration=collaboration,
        owner_organisation=side,
        visibility=visibility,
        due_on=due_on,
        workflow="Going well",
        quality=quality,
    )


def at_risk(reason: str = "") -> set[str]:
    return set(Collaboration.objects.at_risk(TODAY, reason).values_list("title", flat=True))


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def test_a_collaboration_that_keeps_its_checkins_and_people_is_not_at_risk(world, today):
    running(world, title="Healthy")
    assert at_risk() == set()


def test_an_open_risk_counts_until_it_is_resolved(world, today):
    collaboration = running(world, title="Risky")
    risk = Risk.objects.create(
        collaboration=collaboration, condition="c", statement="s", reason="r", stage="active"
    )
    assert at_risk(RiskReason.CONDITIONS) == {"Risky"}
    risk.resolved_on = TODAY
    risk.save()
    assert at_risk(RiskReason.CONDITIONS) == set()


def test_running_on_an_mou_both_sides_no_longer_sign_is_a_failing_condition(world, today):
    collaboration = running(world, title="Unsigned")
    agreement = Agreement.objects.create(collaboration=collaboration)
    assert at_risk(RiskReason.CONDITIONS) == {"Unsigned"}
    for party, user in ((world.civic, world.civic_lead), (world.institution, world.official)):
        Signature.objects.create(
            agreement=agreement, version=1, party=party, signed_by=user, signer_name="x"
        )
    assert at_risk(RiskReason.CONDITIONS) == set()
    agreement.version = 2  # a change: the signatures of version 1 no longer stand
    agreement.save()
    assert at_risk(RiskReason.CONDITIONS) == {"Unsigned"}


def test_a_side_behind_with_its_checkins_is_at_risk_once_the_date_has_passed(world, today):
    collaboration = running(world, title="Behind")
    CheckIn.objects.filter(collaboration=collaboration, owner_organisation=world.civic).delete()
    give_checkin(collaboration, world.civic, date(2026, 10, 29))
    # The civic side's next date after 29 Oct is 12 Nov, which has passed.
    assert at_risk(RiskReason.CHECKINS) == {"Behind"}
    give_checkin(collaboration, world.civic, date(2026, 11, 12))
    # 26 Nov is due today: not missed yet.
    assert at_risk(RiskReason.CHECKINS) == set()


def test_no_checkin_at_all_counts_from_the_start(world, today):
    collaboration = running(world, title="Silent")
    CheckIn.objects.filter(collaboration=collaboration).delete()
    assert at_risk(RiskReason.CHECKINS) == {"Silent"}
    collaboration.start_date = date(2026, 11, 20)  # first date 4 Dec: nothing owed yet
    collaboration.save()
    assert at_risk(RiskReason.CHECKINS) == set()


def test_checkins_after_the_end_date_are_not_owed(world, today):
    collaboration = running(world, title="Ended")
    CheckIn.objects.filter(collaboration=collaboration).delete()
    give_checkin(collaboration, world.civic, date(2026, 10, 15))
    give_checkin(collaboration, world.institution, date(2026, 10, 15))
    collaboration.end_date = date(2026, 10, 20)  # no date falls between 15 Oct and the end
    collaboration.save()
    assert at_risk(RiskReason.CHECKINS) == set()


def test_recent_shared_ratings_far_apart_are_a_risk(world, today):
    collaboration = running(world, title="Diverging")
    CheckIn.objects.filter(collaboration=collaboration, owner_organisation=world.civic).update(
        quality=5
    )
    CheckIn.objects.filter(
        collaboration=collaboration, owner_organisation=world.institution
    ).update(quality=2)
    assert at_risk(RiskReason.CHECKINS) == {"Diverging"}
    # A rating a side kept to itself is not compared.
    CheckIn.objects.filter(
        collaboration=collaboration, owner_organisation=world.institution
    ).update(visibility="own")
    assert at_risk(RiskReason.CHECKINS) == set()


def test_a_divergence_older_than_two_periods_no_longer_counts(world, today):
    collaboration = running(world, title="Old news")
    give_checkin(collaboration, world.civic, date(2026, 10, 15), quality=5)
    give_checkin(collaboration, world.institution, date(2026, 10, 15), quality=1)
    # 15 Oct + 28 days = 12 Nov, before today.
    assert at_risk(RiskReason.CHECKINS) == set()


def test_a_side_naming_one_person_rests_on_them(world, today):
    collaboration = running(world, title="Lonely")
    assert at_risk(RiskReason.ONE_PERSON) == set()
    Stakeholder.objects.filter(
        collaboration=collaboration, organisation=world.institution
    ).first().delete()
    assert at_risk(RiskReason.ONE_PERSON) == {"Lonely"}


def test_a_closed_collaboration_is_not_at_risk(world, today):
    collaboration = running(world, title="Done")
    Risk.objects.create(
        collaboration=collaboration, condition="c", statement="s", reason="r", stage="active"
    )
    CheckIn.objects.filter(collaboration=collaboration).delete()
    Stakeholder.objects.filter(collaboration=collaboration).delete()
    assert at_risk() == {"Done"}
    Collaboration.objects.filter(pk=collaboration.pk).update(stage=Stage.CLOSED)
    assert at_risk() == set()
