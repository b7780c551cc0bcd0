"""The list, overview, stage moves, activity and notes, history and public pages."""

from datetime import date

import pytest
from django.urls import reverse

from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Activity, Collaboration, CollaborationNote
from civicbridge.core.choices import Visibility
from civicbridge.partners.choices import OrganisationKind
from civicbridge.partners.models import Department
from civicbridge.partners.tests.test_query_counts import count_queries
from tests.factories import CollaborationFactory, FollowUpFactory, OrganisationFactory


def test_list_shows_the_collaborations_of_the_users_sides_only(fellowship, world, client_for):
    elsewhere = CollaborationFactory.create(title="Someone else's fellowship")
    page = client_for(world.official).get(reverse("collaborations:list")).content.decode()
    assert "Open data fellowship" in page and elsewhere.title not in page
    outsider_page = client_for(world.outsider).get(reverse("collaborations:list")).content.decode()
    assert "No collaborations yet" in outsider_page and fellowship.title not in outsider_page


def test_list_filters_by_model_stage_partner_and_title(fellowship, world, client_for):
    CollaborationFactory.create(
        title="Hackathon", model="event", civic_organisation=world.civic, stage=Stage.ACTIVE
    )
    client = client_for(world.civic_lead)

    def titles(**params) -> set[str]:
        response = client.get(reverse("collaborations:list"), params)
        return {c.title for c in response.context["collaborations"]}

    assert titles() == {"Open data fellowship", "Hackathon"}
    assert titles(model="event") == {"Hackathon"}
    assert titles(stage="proposed") == {"Open data fellowship"}
    assert titles(partner=world.institution.pk) == {"Open data fellowship"}
    assert titles(q="hack") == {"Hackathon"}


def test_list_finds_partners_by_name_and_says_which_partner_it_shows(fellowship, world, client_for):
    council = OrganisationFactory.create(name="Hobart City Council", kind="government")
    CollaborationFactory.create(
        title="Hobart permits", civic_organisation=world.civic, institution=council
    )
    client = client_for(world.civic_lead)
    url = reverse("collaborations:list")
    found = client.get(url, {"partner_name": "hobart"})
    assert [c.title for c in found.context["collaborations"]] == ["Hobart permits"]
    one = client.get(url, {"partner": council.pk}).content.decode()
    assert "Only the collaborations with Hobart City Council." in one
    assert 'type="hidden" name="partner"' in one


def test_list_counts_open_risks_of_its_page_and_lists_no_partner_off_it(
    world, client_for, monkeypatch
):
    from civicbridge.collaborations.views import core as views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    add_collaborations(world, 12)
    newest = CollaborationFactory.create(
        title="Newest", civic_organisation=world.civic, start_date=date(2027, 1, 1)
    )
    for resolved in (None, None, date(2027, 1, 2)):
        newest.risks.create(condition="x", statement="s", reason="r", resolved_on=resolved)
    response = client_for(world.civic_lead).get(reverse("collaborations:list"))
    rows = response.context["collaborations"]
    assert [c.open_risks for c in rows] == [2, 1, 1, 1, 1]
    html = response.content.decode()
    assert '<select name="partner"' not in html
    listed = {c.institution.name for c in rows} | {c.civic_organisation.name for c in rows}
    others = Collaboration.objects.exclude(pk__in=[c.pk for c in rows])
    assert all(c.institution.name not in html for c in others if c.institution.name not in listed)


def test_create_form_proposes_a_collaboration(world, playbook, client_for):
    response = client_for(world.civic_lead).post(
        reverse("collaborations:create"),
        {
            "model": "fellowship",
            "title": "Permits fellowship",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "departments": [world.department.pk],
            "start_date": "2027-02-01",
            "end_date": "2027-07-31",
            "checkin_every_days": 14,
        },
    )
    collaboration = Collaboration.objects.get(title="Permits fellowship")
    assert response.status_code == 302 and response["Location"] == collaboration.get_absolute_url()
    assert collaboration.stage == Stage.PROPOSED
    assert list(collaboration.departments.all()) == [world.department]
    assert Activity.objects.filter(collaboration=collaboration).count() == 1


def test_create_form_refuses_a_department_of_another_organisation(world, playbook, client_for):
    stray = Department.objects.create(organisation=world.other, name="Roads")
    response = client_for(world.civic_lead).post(
        reverse("collaborations:create"),
        {
            "model": "fellowship",
            "title": "Permits fellowship",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "departments": [stray.pk],
            "checkin_every_days": 14,
        },
    )
    assert response.status_code == 200
    assert "Roads is not a department of Testshire Council" in response.content.decode()
    assert not Collaboration.objects.filter(title="Permits fellowship").exists()


def test_outsider_cannot_create_for_organisations_it_does_not_act_for(world, client_for):
    response = client_for(world.outsider).get(reverse("collaborations:create"))
    assert response.status_code == 403


def test_overview_names_the_next_gate_and_what_it_needs(fellowship, world, client_for):
    fellowship.stage = Stage.PREPARING
    fellowship.save()
    page = client_for(world.official).get(fellowship.get_absolute_url()).content.decode()
    assert "Next stage: Agreed" in page
    assert "Both sides sign an MOU before the fellowship starts" in page
    assert "Blocks this step" in page


def test_blocked_move_shows_reason_and_mitigation_and_changes_nothing(
    fellowship, world, client_for
):
    fellowship.stage = Stage.PREPARING
    fellowship.save()
    response = client_for(world.civic_lead).post(
        reverse("collaborations:advance", args=[fellowship.pk]), {"from_stage": "preparing"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "cannot move to “Agreed” yet" in page
    assert "There is no MOU with obligations yet" in page
    assert "Write an MOU that lists every obligation" in page  # the playbook's mitigation
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PREPARING


def test_move_without_blocking_gates_goes_ahead_and_is_in_the_history(
    fellowship, world, client_for
):
    client = client_for(world.official)
    response = client.post(
        reverse("collaborations:advance", args=[fellowship.pk]), {"from_stage": "proposed"}
    )
    assert response.status_code == 302
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PREPARING
    page = client.get(fellowship.get_absolute_url()).content.decode()
    assert "Proposed → Preparing" in page


def test_viewer_and_platform_admin_cannot_move_the_stage(fellowship, world, client_for):
    url = reverse("collaborations:advance", args=[fellowship.pk])
    fellowship.civic_organisation.memberships.filter(person=world.fellow.person).update(
        access="viewer"
    )
    move = {"from_stage": "proposed"}
    assert client_for(world.fellow).post(url, move).status_code == 403
    assert client_for(world.admin).post(url, move).status_code == 403
    assert client_for(world.outsider).post(url, move).status_code == 404
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PROPOSED


def test_private_note_stays_with_its_side(fellowship, world, client_for):
    url = reverse("collaborations:activity", args=[fellowship.pk])
    client_for(world.civic_lead).post(
        url, {"body": "Ask for a second contact.", "visibility": "own"}
    )
    client_for(world.official).post(url, {"body": "Budget approved.", "visibility": "both"})
    assert CollaborationNote.objects.count() == 2
    official_page = client_for(world.official).get(url).content.decode()
    assert "Budget approved." in official_page
    assert "Ask for a second contact." not in official_page
    assert "added a note" in official_page  # the shared note's activity line only
    assert official_page.count("added a note") == 1
    lead_page = client_for(world.civic_lead).get(url).content.decode()
    assert "Ask for a second contact." in lead_page and "Budget approved." in lead_page


def test_public_choice_is_refused_for_notes(fellowship, world, client_for):
    url = reverse("collaborations:activity", args=[fellowship.pk])
    response = client_for(world.civic_lead).post(url, {"body": "x", "visibility": "public"})
    assert response.status_code == 200 and not CollaborationNote.objects.exists()


def test_public_page_needs_a_public_collaboration(fellowship, client):
    url = reverse("collaborations:public", args=[fellowship.pk])
    assert client.get(url).status_code == 404
    fellowship.public = True
    fellowship.save()
    response = client.get(url)
    assert response.status_code == 200
    assert (
        "A collaboration of Code for Testing with Testshire Council." in response.content.decode()
    )


def test_public_page_says_whether_the_work_still_runs_but_not_who_said_so(fellowship, client):

    fellowship.public = True
    fellowship.save()
    FollowUpFactory(
        collaboration=fellowship,
        due_on=date(2026, 1, 1),
        answer="yes",
        evidence="Mei keeps it running.",
        answered_by="Tom Walsh",
    )
    page = client.get(reverse("collaborations:public", args=[fellowship.pk])).content.decode()
    assert "6 months after closing, Testshire Council answered:" in page
    assert "Yes, we still run it" in page
    assert "Tom Walsh" not in page and "Mei keeps it running." not in page


def test_public_home_links_the_public_collaborations_only(fellowship, client):
    CollaborationFactory.create(title="Quiet fellowship")
    fellowship.public = True
    fellowship.save()
    page = client.get(reverse("collaborations:home")).content.decode()
    assert reverse("collaborations:public", args=[fellowship.pk]) in page
    assert "Quiet fellowship" not in page


def test_public_page_shows_only_public_goals(fellowship, client):
    from civicbridge.collaborations.models import Goal

    fellowship.public = True
    fellowship.save()
    for visibility, title in (
        (Visibility.PUBLIC, "Faster permits"),
        (Visibility.BOTH_SIDES, "Shared goal"),
        (Visibility.OWN_SIDE, "Private goal"),
    ):
        Goal.objects.create(
            collaboration=fellowship,
            owner_organisation=fellowship.civic_organisation,
            visibility=visibility,
            kind="own",
            title=title,
        )
    page = client.get(reverse("collaborations:public", args=[fellowship.pk])).content.decode()
    assert "Faster permits" in page
    assert "Shared goal" not in page and "Private goal" not in page


def test_history_shows_an_institutions_collaborations_by_civic_partner(
    fellowship, world, client_for
):
    other_civic = OrganisationFactory.create(name="Open Knowledge Testshire")
    CollaborationFactory.create(
        title="Data hackathon",
        model="event",
        civic_organisation=other_civic,
        institution=world.institution,
        public=True,
    )
    CollaborationFactory.create(
        title="Private training", civic_organisation=other_civic, institution=world.institution
    )
    url = reverse("collaborations:organisation_history", args=[world.institution.pk])
    page = client_for(world.official).get(url).content.decode()
    assert "With Code for Testing" in page and "With Open Knowledge Testshire" in page
    # The official's council takes part in all three.
    assert "Private training" in page and "Data hackathon" in page
    outsider_page = client_for(world.outsider).get(url).content.decode()
    assert "Data hackathon" in outsider_page  # public
    assert "Open data fellowship" not in outsider_page and "Private training" not in outsider_page


def add_collaborations(world, how_many: int) -> None:
    for i in range(how_many):
        partner = OrganisationFactory.create(kind=OrganisationKind.GOVERNMENT)
        collaboration = CollaborationFactory.create(
            civic_organisation=world.civic,
            institution=partner if i % 2 else world.institution,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
        )
        collaboration.risks.create(condition="x", statement="s", reason="r", stage="agreed")
        Activity.objects.create(
            collaboration=collaboration,
            owner_organisation=world.civic,
            visibility=Visibility.BOTH_SIDES,
            message="m",
        )


@pytest.mark.parametrize(
    "url_name",
    ["collaborations:list", "collaborations:organisation_history"],
)
def test_lists_keep_their_query_count_at_tenfold_data(url_name, world, playbook, client_for):
    client = client_for(world.civic_lead)
    url = reverse(url_name, args=[world.institution.pk] if "history" in url_name else [])
    add_collaborations(world, 3)
    few = count_queries(client, url)
    add_collaborations(world, 27)
    assert count_queries(client, url) == few


@pytest.mark.parametrize("url_name", ["collaborations:detail", "collaborations:activity"])
def test_collaboration_page_keeps_its_query_count_at_tenfold_data(
    url_name, fellowship, world, client_for
):
    client = client_for(world.civic_lead)
    url = reverse(url_name, args=[fellowship.pk])

    def grow(how_many: int) -> None:
        for i in range(how_many):
            fellowship.risks.create(condition=f"c{i}", statement="s", reason="r", stage="agreed")
            fellowship.transitions.create(from_stage="proposed", to_stage="preparing")
            Activity.objects.create(
                collaboration=fellowship,
                owner_organisation=world.civic,
                visibility=Visibility.BOTH_SIDES,
                message="m",
            )
            CollaborationNote.objects.create(
                collaboration=fellowship,
                owner_organisation=world.civic,
                visibility=Visibility.OWN_SIDE,
                body="n",
                author=world.civic_lead,
            )

    grow(3)
    few = count_queries(client, url)
    grow(27)
    assert count_queries(client, url) == few


def test_closed_collaboration_is_under_follow_up_until_every_follow_up_is_answered(
    fellowship, world, client_for
):

    fellowship.stage = Stage.CLOSED
    fellowship.closed_on = date(2026, 1, 31)
    fellowship.save()
    follow_up = FollowUpFactory.create(collaboration=fellowship, due_on=date(2026, 7, 31))
    client = client_for(world.official)
    assert "Under follow-up" in client.get(fellowship.get_absolute_url()).content.decode()
    follow_up.answered_at = follow_up.created_at
    follow_up.answer = "yes"
    follow_up.save()
    assert "Under follow-up" not in client.get(fellowship.get_absolute_url()).content.decode()


def test_a_closed_overview_points_to_follow_ups_only_where_there_are_some(
    fellowship, world, client_for
):

    fellowship.stage = Stage.CLOSED
    fellowship.closed_on = date(2026, 1, 31)
    fellowship.save()
    client = client_for(world.official)
    pointer = "Follow-ups ask the institution"
    assert pointer not in client.get(fellowship.get_absolute_url()).content.decode()
    FollowUpFactory(collaboration=fellowship, due_on=date(2026, 7, 31))
    assert pointer in client.get(fellowship.get_absolute_url()).content.decode()


def test_a_check_in_schedule_of_zero_days_is_refused(world, playbook, client_for):
    response = client_for(world.civic_lead).post(
        reverse("collaborations:create"),
        {
            "model": "fellowship",
            "title": "Permits fellowship",
            "civic_organisation": world.civic.pk,
            "institution": world.institution.pk,
            "checkin_every_days": 0,
        },
    )
    assert response.status_code == 200
    assert not Collaboration.objects.filter(title="Permits fellowship").exists()
