"""The demo's past hackathon, followed for a year: some projects adopted, most abandoned,
one gone quiet, and nothing left for the scheduler to send to its fictional people."""

import pytest

from civicbridge.events import outcomes
from civicbridge.events.demo import FOLLOW_UP_FATES, LED_TO, PAST_HACKATHON
from civicbridge.events.models import Event, Project, ProjectFollowUp
from civicbridge.notifications.models import Reminder
from civicbridge.notifications.services import enqueue_due


@pytest.fixture
def past(demo_workspace, db):
    return Event.objects.select_related("collaboration").get(collaboration__title=PAST_HACKATHON)


def test_the_past_hackathon_was_followed_for_a_year(past):
    follow_ups = ProjectFollowUp.objects.filter(project__event=past)
    assert set(follow_ups.values_list("months", flat=True)) == {1, 3, 6, 12}
    assert not follow_ups.filter(sent_at__isnull=True).exists()
    statuses = dict(Project.objects.filter(event=past).values_list("title", "status"))
    assert statuses == {
        "Snap and Send": "adopted",
        "Rates in Plain Words": "adopted",
        "Kerb Map": "unknown",
        **{
            title: "abandoned"
            for title, fates in FOLLOW_UP_FATES.items()
            if fates[12] == "abandoned"
        },
    }
    quiet = follow_ups.get(project__title="Kerb Map", months=12)
    assert quiet.answered_at is None and quiet.reminded_at is not None
    # The official who committed to "Rates in Plain Words" answered beside its team.
    assert (
        follow_ups.filter(project__title="Rates in Plain Words", respondent="official").count() == 4
    )
    project_title, fellowship_title = LED_TO
    led_to = Project.objects.get(title=project_title).led_to
    assert led_to is not None and led_to.title == fellowship_title


def test_its_survival_shows_on_the_public_numbers(past):
    found = outcomes.outcomes(Event.objects.filter(pk=past.pk))
    survival = outcomes.Survival(PAST_HACKATHON, found)
    assert survival.at_horizon == pytest.approx(0.375)  # 8 projects: 5 died, 1 censored at 6
    assert (survival.adopted, survival.abandoned, survival.answered) == (2, 5, 8)


def test_nothing_is_left_to_send_and_nothing_was_sent(past, demo_workspace):
    assert all(address.endswith("@example.org") for m in demo_workspace for address in m.to)
    counts = enqueue_due()
    assert (counts["follow_ups"], counts["follow_ups_unknown"]) == (0, 0)
    assert not Reminder.objects.exclude(email="").exists()  # nobody asked by address
