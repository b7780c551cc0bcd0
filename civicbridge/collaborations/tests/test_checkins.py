"""Check-ins (F5): the schedule, each side's update, overdue and divergence flags, the trend."""

import csv
import io
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Activity, CheckIn
from civicbridge.collaborations.queries import checkin_overview
from civicbridge.collaborations.services.checkins import submit_checkin
from civicbridge.core import formats
from civicbridge.core.choices import AuditAction, Visibility
from civicbridge.core.models import AuditEntry

START = date(2026, 1, 1)  # check-ins every 14 days: 15 Jan, 29 Jan, 12 Feb, 26 Feb, ...
FIRST, SECOND, THIRD = date(2026, 1, 15), date(2026, 1, 29), date(2026, 2, 12)


@pytest.fixture
def active(fellowship):
    """The fellowship, running since 1 January 2026 with a check-in every fortnight."""
    fellowship.stage = Stage.ACTIVE
    fellowship.start_date = START
    fellowship.end_date = date(2026, 12, 31)
    fellowship.checkin_every_days = 14
    fellowship.save()
    return fellowship


def give(user, collaboration, due_on, quality=4, visibility=Visibility.BOTH_SIDES, **text):
    return submit_checkin(
        user,
        collaboration,
        due_on=due_on,
        workflow=text.get("workflow", "The data inventory is half done."),
        problems=text.get("problems", ""),
        quality=quality,
        comment=text.get("comment", ""),
        visibility=visibility,
    )


def urls(collaboration):
    return {
        name: reverse(f"collaborations:{name}", args=[collaboration.pk])
        for name in ("checkins", "checkin_create", "checkin_chart", "checkin_csv")
    }


# --- The schedule ---------------------------------------------------------------------


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_the_schedule_falls_due_every_fortnight_from_the_start_and_opens_the_next(active):
    overview = checkin_overview(active)
    assert overview.due_dates == [FIRST, SECOND]
    assert overview.next_due == THIRD
    assert overview.first_due == FIRST
    assert overview.open_dates == [FIRST, SECOND, THIRD]


def test_the_schedule_stops_at_the_end_date(active):
    active.end_date = date(2026, 2, 1)
    with time_machine.travel(date(2026, 3, 1), tick=False):
        overview = checkin_overview(active)
    assert overview.due_dates == [FIRST, SECOND]
    assert overview.next_due is None


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_only_the_side_that_missed_a_past_date_is_overdue(active, world, client_for):
    give(world.civic_lead, active, FIRST)
    overview = checkin_overview(active)
    assert overview.missing == [(FIRST, world.institution.pk)]
    [row] = overview.rows
    assert row.institution_overdue and not row.civic_overdue

    page = client_for(world.civic_lead).get(urls(active)["checkins"]).content.decode()
    assert page.count('<span class="usa-tag bg-error">Overdue</span>') == 1


@time_machine.travel(date(2026, 1, 15), tick=False)
def test_a_date_due_today_is_not_overdue_yet(active):
    overview = checkin_overview(active)
    assert overview.due_dates == [FIRST]
    assert overview.missing == []


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_nothing_is_overdue_before_the_sides_have_agreed(active):
    active.stage = Stage.PROPOSED
    assert checkin_overview(active).missing == []


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_the_overview_counts_the_missed_check_ins(active, world, client_for):
    give(world.official, active, FIRST)
    response = client_for(world.official).get(reverse("collaborations:detail", args=[active.pk]))
    assert "1 missed check-in" in response.content.decode()


# --- Submitting -----------------------------------------------------------------------


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_giving_an_update_records_it_for_the_side_with_an_activity_line(active, world):
    checkin = give(world.fellow, active, FIRST, quality=3)
    assert checkin.owner_organisation == world.civic  # the fellow writes for the civic side
    assert checkin.author == world.fellow
    line = Activity.objects.get(collaboration=active)
    assert "gave the check-in update for 15 Jan 2026" in line.message
    assert line.visibility == Visibility.BOTH_SIDES


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_giving_an_update_again_for_the_same_date_changes_it(active, world):
    first = give(world.civic_lead, active, FIRST, quality=2)
    again = give(world.fellow, active, FIRST, quality=5, comment="Much better after the call.")
    assert again.pk == first.pk
    assert CheckIn.objects.filter(collaboration=active).count() == 1
    again.refresh_from_db()
    assert (again.quality, again.comment, again.author) == (
        5,
        "Much better after the call.",
        world.fellow,
    )
    update = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(first.pk))
    assert update.changes["quality"] == [2, 5]
    latest = Activity.objects.filter(collaboration=active).values_list("message", flat=True)
    assert "changed the check-in update" in latest[0]


@time_machine.travel(date(2026, 1, 20), tick=False)
@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        (date(2026, 1, 16), "is not a check-in date"),  # off the schedule
        (THIRD, "is not open yet"),  # on the schedule, after the next one (29 January)
        (date(2027, 1, 14), "is not a check-in date"),  # after the end date
    ],
)
def test_dates_off_the_schedule_or_too_far_ahead_are_refused(active, world, due_on, message):
    with pytest.raises(ValidationError, match=message):
        give(world.civic_lead, active, due_on)
    assert not CheckIn.objects.exists()


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_the_next_check_in_may_be_answered_before_its_date(active, world):
    assert give(world.civic_lead, active, SECOND).due_on == SECOND


@time_machine.travel(date(2026, 1, 20), tick=False)
@pytest.mark.parametrize("stage", [Stage.PROPOSED, Stage.PREPARING, Stage.CLOSED])
def test_check_ins_are_refused_outside_agreed_active_and_closing(active, world, stage):
    active.stage = stage
    active.save()
    with pytest.raises(ValidationError, match="from the moment both sides have agreed"):
        give(world.civic_lead, active, FIRST)


@time_machine.travel(date(2026, 1, 20), tick=False)
@pytest.mark.parametrize("persona", ["outsider", "admin"])
def test_only_a_member_of_a_side_may_give_an_update(active, world, persona):
    with pytest.raises(PermissionDenied):
        give(getattr(world, persona), active, FIRST)


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_a_check_in_is_never_public(active, world):
    with pytest.raises(ValidationError, match="never public"):
        give(world.civic_lead, active, FIRST, visibility=Visibility.PUBLIC)


# --- Divergence -----------------------------------------------------------------------


@time_machine.travel(date(2026, 1, 20), tick=False)
@pytest.mark.parametrize(("civic", "institution", "diverge"), [(4, 2, True), (4, 3, False)])
def test_ratings_two_apart_diverge_and_one_apart_do_not(
    active, world, client_for, civic, institution, diverge
):
    give(world.civic_lead, active, FIRST, quality=civic)
    give(world.official, active, FIRST, quality=institution)
    assert [row.due_on for row in checkin_overview(active).divergent] == (
        [FIRST] if diverge else []
    )
    differently = Activity.objects.filter(message__contains="see the collaboration differently")
    assert differently.exists() is diverge
    page = client_for(world.fellow).get(urls(active)["checkins"]).content.decode()
    assert ("Ratings diverge" in page) is diverge


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_divergence_is_told_to_both_sides_once(active, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        give(world.civic_lead, active, FIRST, quality=5)
        give(world.official, active, FIRST, quality=2)
    [message] = mail.outbox
    assert {"lead@example.org", "official@example.org"} <= set(message.to)
    assert "see the collaboration differently" in message.body
    assert reverse("collaborations:checkins", args=[active.pk]) in message.body
    line = Activity.objects.get(message__contains="see the collaboration differently")
    assert line.visibility == Visibility.BOTH_SIDES

    with django_capture_on_commit_callbacks(execute=True):
        give(world.official, active, FIRST, quality=1, comment="Still the same gap.")
    assert len(mail.outbox) == 1  # still diverging: nobody is told twice


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_changing_an_update_into_divergence_tells_both_sides(
    active, world, django_capture_on_commit_callbacks
):
    give(world.civic_lead, active, FIRST, quality=4)
    give(world.official, active, FIRST, quality=4)
    with django_capture_on_commit_callbacks(execute=True):
        give(world.official, active, FIRST, quality=2)
    assert len(mail.outbox) == 1


# --- What each side may see -------------------------------------------------------------


@time_machine.travel(date(2026, 1, 20), tick=False)
def test_an_update_kept_to_one_side_counts_as_given_but_stays_hidden(
    active, world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        give(world.civic_lead, active, FIRST, 1, Visibility.OWN_SIDE, workflow="Secret worries")
        give(world.official, active, FIRST, quality=5)
    assert checkin_overview(active).missing == []  # counted as the civic side's update
    # A rating kept to one side is never compared: the flag would give it away.
    assert checkin_overview(active).divergent == []
    assert mail.outbox == []

    theirs = client_for(world.official).get(urls(active)["checkins"]).content.decode()
    assert "Secret worries" not in theirs
    assert "Given, kept to their own side" in theirs
    assert "Overdue" not in theirs
    rows = list(
        csv.reader(
            io.StringIO(
                client_for(world.official).get(urls(active)["checkin_csv"]).content.decode()
            )
        )
    )
    assert rows[1][:3] == ["2026-01-15", "", "5"]

    ours = client_for(world.civic_lead).get(urls(active)["checkins"]).content.decode()
    assert "Secret worries" in ours
    assert "Code for Testing only" in ours


# --- The trend chart and its data -------------------------------------------------------


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_the_chart_is_an_svg_image_without_scripts(active, world, client_for):
    give(world.civic_lead, active, FIRST, quality=4)
    give(world.official, active, SECOND, quality=2)
    response = client_for(world.official).get(urls(active)["checkin_chart"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg
    assert "Code for Testing" in svg and "Testshire Council" in svg
    assert "script-src" not in response["Content-Security-Policy"]


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_the_tab_embeds_the_chart_beside_a_table_of_the_same_numbers(active, world, client_for):
    give(world.civic_lead, active, FIRST, quality=4)
    page = client_for(world.official).get(urls(active)["checkins"]).content.decode()
    assert f'src="{urls(active)["checkin_chart"]}" alt="Line chart' in page
    assert urls(active)["checkin_csv"] in page


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_the_csv_has_one_line_per_check_in_date(active, world, client_for):
    give(world.civic_lead, active, FIRST, quality=4)
    give(world.official, active, FIRST, quality=2)
    give(world.official, active, SECOND, quality=3)
    response = client_for(world.fellow).get(urls(active)["checkin_csv"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "Check-in date",
            "Quality rated by Code for Testing",
            "Quality rated by Testshire Council",
            "Ratings diverge",
            "Overdue from",
        ],
        ["2026-01-15", "4", "2", "yes", ""],
        ["2026-01-29", "", "3", "no", "Code for Testing"],
    ]


# --- The pages ----------------------------------------------------------------------------


@time_machine.travel(date(2026, 2, 1), tick=False)
@pytest.mark.parametrize(
    ("persona", "tab", "create"),
    [
        ("civic_lead", 200, 200),
        ("official", 200, 200),
        ("fellow", 200, 200),
        ("outsider", 404, 404),
        ("admin", 200, 403),
    ],
)
def test_who_may_open_the_pages(active, world, client_for, persona, tab, create):
    client = client_for(getattr(world, persona))
    pages = urls(active)
    for name in ("checkins", "checkin_chart", "checkin_csv"):
        assert client.get(pages[name]).status_code == tab, name
    assert client.get(pages["checkin_create"]).status_code == create


def test_anonymous_visitors_are_sent_to_sign_in(active, client_for):
    for url in urls(active).values():
        assert client_for(None).get(url).status_code == 302


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_the_form_offers_the_dates_the_side_owes_and_picks_the_latest_which_covers_them(
    active, world, client_for
):
    response = client_for(world.civic_lead).get(urls(active)["checkin_create"])
    form = response.context["form"]
    assert [value for value, _label in form.fields["due_on"].choices] == [
        "2026-01-15",
        "2026-01-29",
        "2026-02-12",
    ]
    assert form.initial["due_on"] == "2026-01-29"  # the latest overdue: it covers both


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_an_update_covers_the_dates_it_follows(active, world, client_for):
    give(world.civic_lead, active, SECOND)
    overview = checkin_overview(active)
    assert overview.owed_by(world.civic.pk) == []
    assert overview.missing == [(FIRST, world.institution.pk), (SECOND, world.institution.pk)]
    form = client_for(world.civic_lead).get(urls(active)["checkin_create"]).context["form"]
    assert [value for value, _label in form.fields["due_on"].choices] == ["2026-02-12"]


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_the_form_saves_the_update_and_returns_to_the_schedule(active, world, client_for):
    response = client_for(world.official).post(
        urls(active)["checkin_create"],
        {
            "due_on": "2026-01-15",
            "workflow": "Procurement questions answered.",
            "problems": "",
            "quality": "4",
            "comment": "",
            "visibility": "both",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == urls(active)["checkins"]
    checkin = CheckIn.objects.get()
    assert (checkin.owner_organisation, checkin.quality) == (world.institution, 4)


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_changing_a_given_update_opens_the_form_filled_in(active, world, client_for):
    give(world.official, active, FIRST, quality=2, comment="Slow start")
    response = client_for(world.official).get(urls(active)["checkin_create"] + "?due_on=2026-01-15")
    form = response.context["form"]
    assert form.initial["due_on"] == "2026-01-15"
    assert (form.initial["quality"], form.initial["comment"]) == (2, "Slow start")


@time_machine.travel(date(2026, 2, 1), tick=False)
def test_the_form_is_refused_before_the_sides_have_agreed(active, world, client_for):
    active.stage = Stage.PROPOSED
    active.save()
    response = client_for(world.civic_lead).get(urls(active)["checkin_create"], follow=True)
    assert "from the moment both sides have agreed" in response.content.decode()
    assert "Give your update</a>" not in response.content.decode()


def test_without_a_start_date_the_tab_asks_for_one(fellowship, world, client_for):
    fellowship.start_date = fellowship.end_date = None
    fellowship.save()
    page = client_for(world.civic_lead).get(urls(fellowship)["checkins"]).content.decode()
    assert "Set the start date" in page


def test_before_the_first_date_the_tab_says_when_it_falls_due(fellowship, world, client_for):
    page = client_for(world.official).get(urls(fellowship)["checkins"]).content.decode()
    assert "No check-in is due yet" in page
    first = fellowship.start_date + timedelta(days=14)
    assert f"The first check-in is due on {formats.day(first)}" in page


# --- Queries ------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@time_machine.travel(date(2026, 6, 1), tick=False)
@pytest.mark.parametrize("name", ["checkins", "checkin_chart", "checkin_csv"])
def test_the_pages_run_as_many_queries_for_ten_check_ins_as_for_one(
    active, world, client_for, name
):
    dates = checkin_overview(active).due_dates
    assert len(dates) >= 10
    give(world.civic_lead, active, dates[0], quality=5)
    give(world.official, active, dates[0], quality=2, visibility=Visibility.OWN_SIDE)
    client = client_for(world.fellow)
    url = urls(active)[name]
    few = count_queries(client, url)
    for due in dates[1:10]:
        give(world.civic_lead, active, due, quality=5)
        give(world.official, active, due, quality=2, visibility=Visibility.OWN_SIDE)
    assert count_queries(client, url) == few
