"""Home's recent activity: sentences people read, grouped by day, linking to the record,
only what the viewer may see, bounded."""

from datetime import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.activity import LIMIT, recent_activity
from civicbridge.collaborations.models import Activity
from civicbridge.collaborations.services import record_activity
from civicbridge.collaborations.services.lifecycle import create_collaboration
from civicbridge.collaborations.tabs import tab_url
from tests.factories import CollaborationFactory


def at(day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour))


def test_home_tells_what_happened_in_sentences_with_a_link_to_the_record(
    world, playbook, client_for
):
    collaboration = create_collaboration(
        world.civic_lead,
        model="fellowship",
        title="Open data fellowship",
        civic_organisation=world.civic,
        institution=world.institution,
    )
    page = client_for(world.official).get(reverse("collaborations:home")).content.decode()
    assert "Recent activity" in page and "Recent changes" not in page
    assert "Alex Lead proposed the collaboration." in page
    assert f'<a href="{tab_url(collaboration, "activity")}">Open data fellowship</a>' in page
    assert "Created " not in page and "Updated " not in page


def test_activity_is_grouped_by_day_newest_first(world, fellowship):
    with time_machine.travel(at(24), tick=False):
        record_activity(world.civic_lead, fellowship, "First.", side=world.civic.pk)
    with time_machine.travel(at(26, 9), tick=False):
        record_activity(world.official, fellowship, "Second.", side=world.institution.pk, url="/x/")
    with time_machine.travel(at(26, 11), tick=False):
        record_activity(world.official, fellowship, "Third.", side=world.institution.pk)
    days = recent_activity({world.civic.pk})
    assert [(day.day.day, [line.activity.message for line in day.lines]) for day in days] == [
        (26, ["Third.", "Second."]),
        (24, ["First."]),
    ]
    assert days[0].lines[1].url == "/x/"


def test_only_what_the_viewer_may_see(world, fellowship):
    record_activity(
        world.official,
        fellowship,
        "The council's own note.",
        side=world.institution.pk,
        visibility="own",
    )
    record_activity(world.official, fellowship, "Shared with both.", side=world.institution.pk)
    elsewhere = CollaborationFactory.create()
    record_activity(
        None,
        elsewhere,
        "Another partnership.",
        side=elsewhere.civic_organisation_id,
        visibility="both",
    )

    def messages(ids):
        return [line.activity.message for day in recent_activity(ids) for line in day.lines]

    assert messages({world.civic.pk}) == ["Shared with both."]
    assert messages({world.institution.pk}) == ["Shared with both.", "The council's own note."]
    assert messages(set()) == []


def test_the_feed_is_bounded(world, fellowship):
    Activity.objects.bulk_create(
        Activity(
            collaboration=fellowship,
            owner_organisation=world.civic,
            visibility="both",
            message=f"Line {i}.",
        )
        for i in range(LIMIT + 5)
    )
    assert sum(len(day.lines) for day in recent_activity({world.civic.pk})) == LIMIT
