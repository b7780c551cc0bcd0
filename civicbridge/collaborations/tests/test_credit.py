"""Credit statements approved by both sides (F8) and the reforms ledger (G5)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.models import Activity, CreditStatement, Reform
from civicbridge.collaborations.services import credit as services
from civicbridge.partners.choices import Access
from civicbridge.playbook import checks
from tests.factories import MembershipFactory, PersonFactory, UserFactory


def draft(world, fellowship, text="Testshire Council opened its data."):
    return services.draft_credit(
        world.fellow,
        fellowship,
        text=text,
        government_contribution="Two officials, two days a week",
    )


def both_approve(world, credit):
    services.approve_credit(world.civic_lead, credit)
    return services.approve_credit(world.official, credit)


# Credit statements


def test_drafting_approves_nothing(world, fellowship):
    credit = draft(world, fellowship)
    assert credit.drafted_by == world.civic
    assert not credit.civic_approved_at and not credit.institution_approved_at
    assert not credit.published


def test_a_statement_is_published_only_when_both_sides_approve(world, fellowship):
    credit = draft(world, fellowship)
    services.approve_credit(world.civic_lead, credit)
    assert credit.civic_approved_by == world.civic_lead and not credit.published
    assert checks.run("collaborations.credit_published", fellowship)[0] is False
    services.approve_credit(world.official, credit)
    assert credit.published
    assert checks.run("collaborations.credit_published", fellowship)[0] is True
    assert Activity.objects.filter(message__contains="it is now public").exists()


def test_only_an_admin_approves_for_their_side(world, fellowship):
    credit = draft(world, fellowship)
    member = UserFactory.create()
    MembershipFactory.create(person=member.person, organisation=world.civic, access=Access.MEMBER)
    for user in (world.fellow, member, world.outsider, world.admin):
        with pytest.raises(PermissionDenied):
            services.approve_credit(user, credit)
    credit.refresh_from_db()
    assert not credit.civic_approved_at


def test_approving_twice_keeps_the_first_approval(world, fellowship):
    credit = draft(world, fellowship)
    with time_machine.travel(date(2030, 1, 1)):
        services.approve_credit(world.civic_lead, credit)
    first = credit.civic_approved_at
    with time_machine.travel(date(2030, 2, 1)):
        services.approve_credit(world.civic_lead, credit)
    assert credit.civic_approved_at == first
    assert Activity.objects.filter(message__contains="approved").count() == 1


def test_any_change_withdraws_both_approvals(world, fellowship):
    credit = both_approve(world, draft(world, fellowship))
    services.edit_credit(
        world.fellow,
        credit,
        text=credit.text,
        government_contribution="Three officials",
    )
    credit.refresh_from_db()
    assert not credit.civic_approved_at and not credit.institution_approved_at
    assert not credit.published
    assert Activity.objects.filter(message__contains="no longer public").exists()


def test_saving_the_same_text_keeps_the_approvals(world, fellowship):
    credit = both_approve(world, draft(world, fellowship))
    services.edit_credit(
        world.official,
        credit,
        text=credit.text,
        government_contribution=credit.government_contribution,
    )
    credit.refresh_from_db()
    assert credit.published


def test_withdrawing_an_approval_unpublishes(world, fellowship):
    credit = both_approve(world, draft(world, fellowship))
    services.withdraw_credit_approval(world.official, credit)
    assert credit.civic_approved_at and not credit.institution_approved_at
    assert not credit.published


def test_the_public_page_shows_only_published_statements(world, fellowship, client_for):
    fellowship.public = True
    fellowship.save()
    draft(world, fellowship, text="A draft nobody approved.")
    half = draft(world, fellowship, text="Approved by one side.")
    services.approve_credit(world.civic_lead, half)
    both_approve(world, draft(world, fellowship, text="Thanks to Testshire Council."))
    text = client_for(None).get(reverse("collaborations:public", args=[fellowship.pk]))
    text = text.content.decode()
    assert "Thanks to Testshire Council." in text
    assert "Two officials, two days a week" in text
    assert "A draft nobody approved." not in text and "Approved by one side." not in text


def test_approve_and_withdraw_buttons(world, fellowship, client_for):
    credit = draft(world, fellowship)
    approve = reverse("collaborations:credit_approve", args=[fellowship.pk, credit.pk])
    withdraw = reverse("collaborations:credit_withdraw", args=[fellowship.pk, credit.pk])
    assert client_for(world.fellow).post(approve).status_code == 403
    assert client_for(world.outsider).post(approve).status_code == 404
    assert client_for(world.official).post(approve, {"seen": credit.digest}).status_code == 302
    credit.refresh_from_db()
    assert credit.institution_approved_by == world.official
    page = client_for(world.official).get(reverse("collaborations:credit", args=[fellowship.pk]))
    assert "Withdraw the approval of Testshire Council" in page.content.decode()
    client_for(world.official).post(withdraw)
    credit.refresh_from_db()
    assert credit.institution_approved_at is None


def test_approval_of_words_that_changed_meanwhile_is_refused(world, fellowship, client_for):
    credit = draft(world, fellowship)
    seen = credit.digest
    services.edit_credit(
        world.fellow, credit, text="Other words.", government_contribution="A team."
    )
    approve = reverse("collaborations:credit_approve", args=[fellowship.pk, credit.pk])
    response = client_for(world.official).post(approve, {"seen": seen}, follow=True)
    assert "changed while you were reading it" in response.content.decode()
    forged = client_for(world.official).post(approve)  # no fingerprint at all
    assert forged.status_code == 302
    credit.refresh_from_db()
    assert credit.institution_approved_at is None


def test_editing_through_the_form_clears_approvals(world, fellowship, client_for):
    credit = both_approve(world, draft(world, fellowship))
    url = reverse("collaborations:credit_edit", args=[fellowship.pk, credit.pk])
    page = client_for(world.fellow).get(url)
    assert "both sides must approve it again" in page.content.decode()
    response = client_for(world.fellow).post(
        url, {"text": "New words.", "government_contribution": credit.government_contribution}
    )
    assert response.status_code == 302
    credit.refresh_from_db()
    assert credit.text == "New words." and not credit.published


# Reforms


@pytest.fixture
def champion(world):
    person = PersonFactory.create(name="Robin Reformer")
    MembershipFactory.create(person=person, organisation=world.institution)
    return person


def test_a_reform_is_asked_with_champions_from_the_institution(world, fellowship, champion):
    reform = services.ask_reform(
        world.civic_lead, fellowship, title="Open procurement data", champions=[champion]
    )
    assert (reform.status, reform.visibility, reform.owner_organisation) == (
        "asked",
        "both",
        world.civic,
    )
    assert list(reform.champions.all()) == [champion]
    with pytest.raises(ValidationError) as error:
        services.ask_reform(
            world.civic_lead, fellowship, title="x", champions=[world.civic_lead.person]
        )
    assert "champions" in error.value.message_dict


def test_a_reform_moves_forward_and_is_dated(world, fellowship):
    reform = services.ask_reform(world.civic_lead, fellowship, title="Open data policy")
    with time_machine.travel(date(2030, 4, 1)):
        services.update_reform(world.civic_lead, reform, status="agreed")
    with time_machine.travel(date(2030, 6, 1)):
        services.update_reform(world.civic_lead, reform, status="achieved")
    reform.refresh_from_db()
    assert (reform.agreed_on, reform.achieved_on) == (date(2030, 4, 1), date(2030, 6, 1))
    for status in ("asked", "agreed", "dropped"):
        with pytest.raises(ValidationError):
            services.update_reform(world.civic_lead, reform, status=status)


def test_a_reform_achieved_straight_away_was_agreed_the_same_day(world, fellowship):
    reform = services.ask_reform(world.civic_lead, fellowship, title="x")
    with time_machine.travel(date(2030, 4, 1)):
        services.update_reform(world.civic_lead, reform, status="achieved")
    assert reform.agreed_on == reform.achieved_on == date(2030, 4, 1)


def test_a_dropped_reform_stays_dropped(world, fellowship):
    reform = services.ask_reform(world.civic_lead, fellowship, title="x")
    services.update_reform(world.civic_lead, reform, status="agreed")
    services.update_reform(world.civic_lead, reform, status="dropped")
    with pytest.raises(ValidationError):
        services.update_reform(world.civic_lead, reform, status="achieved")


def test_only_the_side_that_recorded_a_reform_changes_it(world, fellowship):
    reform = services.ask_reform(world.civic_lead, fellowship, title="x")
    with pytest.raises(PermissionDenied):
        services.update_reform(world.official, reform, status="agreed")


def test_the_ledger_respects_visibility(world, fellowship, champion, client_for):
    services.ask_reform(world.civic_lead, fellowship, title="Private hope", visibility="own")
    services.ask_reform(world.civic_lead, fellowship, title="Shared ask", champions=[champion])
    url = reverse("collaborations:credit", args=[fellowship.pk])
    mine = client_for(world.civic_lead).get(url).content.decode()
    theirs = client_for(world.official).get(url).content.decode()
    assert "Private hope" in mine and "Code for Testing only" in mine
    assert "Private hope" not in theirs
    assert "Shared ask" in theirs and "Robin Reformer" in theirs


def test_the_public_page_shows_public_reforms_with_champions(
    world, fellowship, champion, client_for
):
    fellowship.public = True
    fellowship.save()
    services.ask_reform(
        world.civic_lead,
        fellowship,
        title="Open budgets",
        visibility="public",
        champions=[champion],
    )
    services.ask_reform(world.civic_lead, fellowship, title="Shared only")
    text = client_for(None).get(reverse("collaborations:public", args=[fellowship.pk]))
    text = text.content.decode()
    assert "Open budgets" in text and "Robin Reformer" in text
    assert "Shared only" not in text


def test_the_reform_form_offers_only_forward_statuses(world, fellowship, client_for):
    reform = services.ask_reform(world.civic_lead, fellowship, title="x")
    services.update_reform(world.civic_lead, reform, status="agreed")
    url = reverse("collaborations:reform_edit", args=[fellowship.pk, reform.pk])
    response = client_for(world.fellow).get(url)
    values = [value for value, _label in response.context["form"].fields["status"].choices]
    assert values == ["agreed", "achieved", "dropped"]
    response = client_for(world.fellow).post(
        url, {"title": "x", "status": "asked", "visibility": "both"}
    )
    assert response.status_code == 200
    assert client_for(world.official).get(url).status_code == 403


def test_recording_a_reform_through_the_form(world, fellowship, champion, client_for):
    url = reverse("collaborations:reform_create", args=[fellowship.pk])
    response = client_for(world.official).post(
        url, {"title": "Data standard", "champions": [champion.pk], "visibility": "public"}
    )
    assert response.status_code == 302
    reform = Reform.objects.get()
    assert reform.owner_organisation == world.institution


# Queries


def add_credit_and_reforms(world, fellowship, how_many):
    people = [PersonFactory.create() for _ in range(2)]
    for i in range(how_many):
        CreditStatement.objects.create(
            collaboration=fellowship,
            text=f"Credit {i}",
            government_contribution="Time",
            drafted_by=world.civic,
            civic_approved_by=world.civic_lead,
            civic_approved_at=timezone.now(),
            institution_approved_by=world.official if i % 2 else None,
            institution_approved_at=timezone.now() if i % 2 else None,
        )
        reform = Reform.objects.create(
            collaboration=fellowship,
            owner_organisation=world.civic if i % 2 else world.institution,
            visibility=("own", "both", "public")[i % 3],
            title=f"Reform {i}",
        )
        reform.champions.set(people)


def test_credit_tab_queries_do_not_grow(world, fellowship, client_for):
    client = client_for(world.official)
    url = reverse("collaborations:credit", args=[fellowship.pk])
    add_credit_and_reforms(world, fellowship, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_credit_and_reforms(world, fellowship, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# Who may open what

PERSONAS = ("civic_lead", "official", "fellow", "outsider", "admin", "anonymous")
BOTH_SIDES = (200, 200, 200, 404, 200, 302)
EDITORS = (200, 200, 200, 404, 403, 302)
POST_ONLY = (405, 405, 405, 405, 405, 302)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("collaborations:credit", BOTH_SIDES),
        ("collaborations:credit_create", EDITORS),
        ("collaborations:credit_edit", EDITORS),
        ("collaborations:credit_approve", POST_ONLY),
        ("collaborations:credit_withdraw", POST_ONLY),
        ("collaborations:reform_create", EDITORS),
        # A reform the civic side recorded for both sides: only the civic side changes it.
        ("collaborations:reform_edit", (200, 403, 200, 404, 403, 302)),
    ],
)
def test_persona_walk(name, expected, world, fellowship, client_for):
    credit = draft(world, fellowship)
    reform = services.ask_reform(world.civic_lead, fellowship, title="Open data policy")
    kwargs = {
        "collaborations:credit_edit": {"pk": fellowship.pk, "credit_pk": credit.pk},
        "collaborations:credit_approve": {"pk": fellowship.pk, "credit_pk": credit.pk},
        "collaborations:credit_withdraw": {"pk": fellowship.pk, "credit_pk": credit.pk},
        "collaborations:reform_edit": {"pk": fellowship.pk, "reform_pk": reform.pk},
    }.get(name, {"pk": fellowship.pk})
    url = reverse(name, kwargs=kwargs)
    got = tuple(client_for(getattr(world, persona)).get(url).status_code for persona in PERSONAS)
    assert got == expected
