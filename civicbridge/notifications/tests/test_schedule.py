"""Each reminder fires on its day, not the day before, and once per period."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from civicbridge.collaborations.choices import ObligationStatus, Stage
from civicbridge.collaborations.models import (
    CheckIn,
    HandoverTask,
    Obligation,
    Signature,
)
from civicbridge.collaborations.reminders import (
    CHECKIN_DUE,
    CHECKIN_OVERDUE,
    FOLLOW_UP_DUE,
    HANDOVER_OPEN,
    MOU_UNSIGNED,
    OBLIGATION_DUE,
)
from civicbridge.collaborations.services.checkins import refresh_owed_checkins
from civicbridge.fellowships.models import Placement, PreparationBrief
from civicbridge.fellowships.reminders import BRIEF_LATE
from civicbridge.fellowships.services import brief_days_before_start
from civicbridge.notifications.models import InboxItem, Reminder
from civicbridge.notifications.services import enqueue_due
from tests.factories import CollaborationFactory, FollowUpFactory, PersonFactory

from .conftest import END, START


def run_on(day: date) -> dict[str, int]:
    with time_machine.travel(datetime(day.year, day.month, day.day, 6, tzinfo=UTC)):
        return enqueue_due()


def recipients(kind: str) -> list[str]:
    return sorted(Reminder.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_checkin_due_fires_the_day_before_to_members_of_each_side(world, collaboration):
    first = START + timedelta(days=14)
    run_on(first - timedelta(days=2))
    assert recipients(CHECKIN_DUE) == []
    run_on(first - timedelta(days=1))
    # Members and admins of each side; the fellow is only a viewer of the institution.
    assert recipients(CHECKIN_DUE) == [
        "fellow@example.org",
        "lead@example.org",
        "official@example.org",
    ]
    run_on(first)
    assert Reminder.objects.filter(kind=CHECKIN_DUE).count() == 3
    assert all(r.sent_at for r in Reminder.objects.all())
    assert len(mail.outbox) == 3


def test_checkin_due_skips_the_side_that_has_answered(world, collaboration):
    first = START + timedelta(days=14)
    CheckIn.objects.create(
        collaboration=collaboration,
        owner_organisation=world.civic,
        due_on=first,
        workflow="Fine.",
        quality=4,
    )
    refresh_owed_checkins(collaboration)
    run_on(first)
    assert recipients(CHECKIN_DUE) == ["official@example.org"]


def test_checkin_overdue_fires_once_per_missed_date(world, collaboration):
    first = START + timedelta(days=14)
    run_on(first)
    assert recipients(CHECKIN_OVERDUE) == []
    run_on(first + timedelta(days=1))
    assert len(recipients(CHECKIN_OVERDUE)) == 3
    run_on(first + timedelta(days=5))
    assert len(recipients(CHECKIN_OVERDUE)) == 3
    # The next missed date is a new period: one more reminder each, naming both owed.
    run_on(first + timedelta(days=15))
    overdue = Reminder.objects.filter(kind=CHECKIN_OVERDUE)
    assert overdue.count() == 6
    assert "2 check-ins are owed" in overdue.order_by("-due_on", "pk")[0].body


def test_no_checkin_reminders_before_the_agreement(world, collaboration):
    collaboration.stage = Stage.PREPARING
    collaboration.save()
    run_on(START + timedelta(days=20))
    assert not Reminder.objects.filter(kind__startswith="checkin").exists()


def test_obligation_due_a_week_ahead_and_again_when_overdue(world, agreement):
    due = date(2026, 4, 10)
    Obligation.objects.create(
        agreement=agreement,
        party=world.institution,
        description="Provide a desk.",
        owner=world.official.person,
        due_date=due,
    )
    run_on(due - timedelta(days=8))
    assert recipients(OBLIGATION_DUE) == []
    run_on(due - timedelta(days=7))
    assert recipients(OBLIGATION_DUE) == ["official@example.org"]
    run_on(due)
    assert Reminder.objects.filter(kind=OBLIGATION_DUE).count() == 1
    run_on(due + timedelta(days=1))
    run_on(due + timedelta(days=9))
    keys = sorted(Reminder.objects.filter(kind=OBLIGATION_DUE).values_list("key", flat=True))
    assert [key.rsplit("-", 1)[1] for key in keys] == ["overdue", "soon"]


def test_obligation_without_an_account_goes_to_the_sides_admins(world, agreement):
    due = date(2026, 4, 10)
    Obligation.objects.create(
        agreement=agreement,
        party=world.civic,
        description="Onboard the fellow.",
        owner=PersonFactory.create(name="No Account"),
        due_date=due,
    )
    Obligation.objects.create(
        agreement=agreement,
        party=world.civic,
        description="Done already.",
        due_date=due,
        status=ObligationStatus.DONE,
    )
    run_on(due)
    assert recipients(OBLIGATION_DUE) == ["lead@example.org"]


@pytest.fixture
def proposed(world):
    return CollaborationFactory.create(
        title="Upcoming",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=START,
        end_date=END,
        stage=Stage.PREPARING,
    )


def test_mou_unsigned_fires_14_days_before_the_start_to_each_unsigned_sides_admins(world, proposed):
    run_on(START - timedelta(days=15))
    assert recipients(MOU_UNSIGNED) == []
    run_on(START - timedelta(days=14))
    assert recipients(MOU_UNSIGNED) == ["lead@example.org", "official@example.org"]
    run_on(START - timedelta(days=3))
    assert Reminder.objects.filter(kind=MOU_UNSIGNED).count() == 2


def test_mou_unsigned_spares_the_side_that_signed(world, proposed, settings):
    from civicbridge.collaborations.models import Agreement

    settings.MOU_REMINDER_DAYS = 20
    agreement = Agreement.objects.create(collaboration=proposed)
    Signature.objects.create(
        agreement=agreement,
        version=1,
        party=world.civic,
        signed_by=world.civic_lead,
        signer_name="Alex Lead",
    )
    run_on(START - timedelta(days=20))
    assert recipients(MOU_UNSIGNED) == ["official@example.org"]


def test_brief_late_fires_the_day_after_the_playbook_deadline(world, proposed, playbook):
    placement = Placement.objects.create(
        collaboration=proposed,
        fellow=world.fellow.person,
        supervisor=world.official.person,
        start_date=START,
        end_date=END,
    )
    deadline = START - timedelta(days=brief_days_before_start(proposed))
    run_on(deadline)
    assert recipients(BRIEF_LATE) == []
    run_on(deadline + timedelta(days=1))
    assert recipients(BRIEF_LATE) == ["official@example.org"]
    run_on(deadline + timedelta(days=2))
    assert Reminder.objects.filter(kind=BRIEF_LATE).count() == 1
    Reminder.objects.all().delete()
    PreparationBrief.objects.create(placement=placement, delivered_at=timezone.now())
    run_on(deadline + timedelta(days=3))
    assert recipients(BRIEF_LATE) == []


def test_handover_open_fires_30_days_before_the_end(world, collaboration):
    HandoverTask.objects.create(collaboration=collaboration, title="Document the tool")
    HandoverTask.objects.create(collaboration=collaboration, title="Done", done_on=date(2026, 7, 1))
    run_on(END - timedelta(days=31))
    assert recipients(HANDOVER_OPEN) == []
    run_on(END - timedelta(days=30))
    assert recipients(HANDOVER_OPEN) == ["official@example.org"]
    run_on(END)
    assert Reminder.objects.filter(kind=HANDOVER_OPEN).count() == 1


def test_follow_up_due_sends_the_answer_link_to_the_institutions_admins(
    world, collaboration, settings
):
    settings.SITE_URL = "https://bridge.example"
    collaboration.stage = Stage.CLOSED
    collaboration.closed_on = END
    collaboration.save()
    due = date(2027, 2, 28)
    follow_up = FollowUpFactory.create(collaboration=collaboration, due_on=due)
    run_on(due - timedelta(days=1))
    assert recipients(FOLLOW_UP_DUE) == []
    run_on(due)
    [reminder] = Reminder.objects.filter(kind=FOLLOW_UP_DUE)
    assert reminder.recipient == world.official
    assert reminder.url == "https://bridge.example" + follow_up.get_absolute_url()
    [message] = mail.outbox
    assert reminder.url in message.body
    assert InboxItem.objects.get(reminder=reminder).url == reminder.url
    run_on(due + timedelta(days=30))
    assert Reminder.objects.filter(kind=FOLLOW_UP_DUE).count() == 1


def test_answered_follow_up_is_not_reminded(world, collaboration):
    FollowUpFactory(collaboration=collaboration, due_on=date(2027, 2, 28), answer="yes")
    run_on(date(2027, 3, 1))
    assert recipients(FOLLOW_UP_DUE) == []
