"""The placement, the statements (F2), the brief and the countdown (F4)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civicbridge.collaborations.choices import Model, StakeholderRole
from civicbridge.collaborations.models import Activity
from civicbridge.fellowships import services
from civicbridge.fellowships.models import PreparationTask
from civicbridge.partners.choices import Access, OrganisationKind
from tests.factories import (
    CollaborationFactory,
    DepartmentFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

from .conftest import place

# ---- placement -------------------------------------------------------------------------


def test_placement_seeds_the_countdown_from_the_playbook(placement, playbook):
    seeds = playbook.content["models"][0]["parameters"]["preparation_tasks"]
    tasks = list(placement.preparation_tasks.all())
    assert [(t.days_before_start, t.title) for t in tasks] == [
        (seed["days_before_start"], seed["title"]["en"]) for seed in seeds
    ]
    assert len(tasks) == 6 and tasks[0].due_on == placement.start_date - timedelta(days=90)


def test_changing_the_placement_does_not_seed_the_tasks_again(placement, world):
    place(world.official, placement.collaboration, world, host_department=None)
    assert placement.preparation_tasks.count() == 6


def test_placement_puts_fellow_and_supervisor_on_the_stakeholder_map_once(placement, world):
    place(world.official, placement.collaboration, world)  # saved again
    stakeholders = placement.collaboration.stakeholders.all()
    assert {(s.person, s.role, s.organisation, s.department) for s in stakeholders} == {
        (world.fellow.person, StakeholderRole.FELLOW, world.civic, None),
        (world.official.person, StakeholderRole.SUPERVISOR, world.institution, world.department),
    }


def test_fellow_must_be_a_current_member_of_the_civic_organisation(fellowship, world):
    with pytest.raises(ValidationError) as error:
        place(world.civic_lead, fellowship, world, fellow=world.official.person)
    assert set(error.value.message_dict) == {"fellow"}


def test_supervisor_must_be_a_current_member_of_the_institution(fellowship, world):
    with pytest.raises(ValidationError) as error:
        place(world.civic_lead, fellowship, world, supervisor=world.civic_lead.person)
    assert set(error.value.message_dict) == {"supervisor"}


def test_host_department_must_belong_to_the_institution(fellowship, world):
    elsewhere = DepartmentFactory(organisation=world.other, name="Parks")
    with pytest.raises(ValidationError) as error:
        place(world.civic_lead, fellowship, world, host_department=elsewhere)
    assert "host_department" in error.value.message_dict


def test_placement_stays_within_the_collaborations_dates(fellowship, world):
    with pytest.raises(ValidationError) as error:
        place(
            world.civic_lead,
            fellowship,
            world,
            start_date=fellowship.start_date - timedelta(days=1),
            end_date=fellowship.end_date + timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"start_date", "end_date"}


def test_only_a_fellowship_has_a_placement(world, playbook):
    training = CollaborationFactory.create(
        model=Model.TRAINING, civic_organisation=world.civic, institution=world.institution
    )
    with pytest.raises(ValidationError, match="Only a fellowship"):
        place(world.civic_lead, training, world)


def test_outsiders_and_viewers_cannot_record_the_placement(fellowship, world):
    with pytest.raises(PermissionDenied):
        place(world.outsider, fellowship, world)
    with pytest.raises(PermissionDenied):
        place(world.admin, fellowship, world)


# ---- statements (F2) -------------------------------------------------------------------


def test_the_fellow_records_their_own_statement(placement, world):
    services.record_statement(world.fellow, placement, who="fellow", text=" I am keen. ")
    placement.refresh_from_db()
    assert placement.fellow_statement == "I am keen."
    assert placement.fellow_statement_by == world.fellow
    assert placement.fellow_statement_at is not None
    assert Activity.objects.filter(message__contains="willingness").exists()


def test_the_fellow_themself_may_record_even_with_only_viewer_access(fellowship, world):
    viewer = UserFactory.create(person__name="Vi Ewer")
    MembershipFactory.create(person=viewer.person, organisation=world.civic, access=Access.VIEWER)
    placement = place(world.civic_lead, fellowship, world, fellow=viewer.person)
    services.record_statement(viewer, placement, who="fellow", text="Ready.")
    assert placement.fellow_statement == "Ready."
    with pytest.raises(PermissionDenied):  # but not the supervisor's
        services.record_statement(viewer, placement, who="supervisor", text="Sure.")


def test_a_viewer_of_the_institution_cannot_record_the_supervisors_statement(placement, world):
    with pytest.raises(PermissionDenied):
        services.record_statement(world.fellow, placement, who="supervisor", text="Keen.")


def test_the_official_records_the_supervisors_statement_not_the_fellows(placement, world):
    services.record_statement(world.official, placement, who="supervisor", text="Keen.")
    assert placement.supervisor_statement_by == world.official
    with pytest.raises(PermissionDenied):
        services.record_statement(world.official, placement, who="fellow", text="Keen.")


def test_the_civic_lead_records_the_fellows_statement_not_the_supervisors(placement, world):
    services.record_statement(world.civic_lead, placement, who="fellow", text="Keen.")
    with pytest.raises(PermissionDenied):
        services.record_statement(world.civic_lead, placement, who="supervisor", text="Keen.")


def test_an_outsider_records_no_statement(placement, world):
    for who in ("fellow", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.record_statement(world.outsider, placement, who=who, text="Keen.")


def test_an_empty_statement_is_refused(placement, world):
    with pytest.raises(ValidationError):
        services.record_statement(world.fellow, placement, who="fellow", text="   ")


def test_naming_another_fellow_clears_the_old_fellows_statement(placement, world):
    services.record_statement(world.fellow, placement, who="fellow", text="Keen.")
    services.record_statement(world.official, placement, who="supervisor", text="Keen.")
    other = PersonFactory.create(name="New Fellow")
    MembershipFactory.create(person=other, organisation=world.civic)
    placement = place(world.civic_lead, placement.collaboration, world, fellow=other)
    assert placement.fellow_statement == "" and placement.fellow_statement_by is None
    assert placement.supervisor_statement == "Keen."


# ---- the brief (F4) --------------------------------------------------------------------


def test_only_the_institution_writes_the_brief(placement, world):
    for actor in (world.civic_lead, world.fellow, world.outsider):
        with pytest.raises(PermissionDenied):
            services.save_brief(actor, placement, possibilities="a", priorities="b", challenges="c")


def test_delivery_emails_the_brief_to_the_fellow(
    complete_brief, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        brief = services.deliver_brief(world.official, complete_brief.placement)
    assert brief.delivered_at is not None and brief.delivered_by == world.official
    [message] = mail.outbox
    assert message.to == ["fellow@example.org"]  # the fellow's account: the person has none
    assert "The spending dashboard first." in message.body
    assert "The finance system has no API." in message.body


def test_delivery_prefers_the_persons_own_email(
    complete_brief, world, django_capture_on_commit_callbacks
):
    world.fellow.person.email = "jo@home.example"
    world.fellow.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver_brief(world.official, complete_brief.placement)
    assert mail.outbox[0].to == ["jo@home.example"]


def test_an_incomplete_brief_is_not_sent(placement, world, django_capture_on_commit_callbacks):
    services.save_brief(world.official, placement, possibilities="a", priorities="b", challenges="")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="not complete"),
    ):
        services.deliver_brief(world.official, placement)
    assert mail.outbox == []
    with pytest.raises(ValidationError, match="not complete"):  # nor a missing one
        services.deliver_brief(world.official, place(world.civic_lead, _other(world), world))


def _other(world):
    return CollaborationFactory.create(
        civic_organisation=world.civic, institution=world.institution
    )


def test_a_brief_for_a_fellow_without_any_email_is_refused(fellowship, world):
    no_account = PersonFactory.create(name="No Mail")
    MembershipFactory.create(person=no_account, organisation=world.civic)
    placement = place(world.civic_lead, fellowship, world, fellow=no_account)
    services.save_brief(
        world.official, placement, possibilities="a", priorities="b", challenges="c"
    )
    with pytest.raises(ValidationError, match="no e-mail address for No Mail"):
        services.deliver_brief(world.official, placement)


def test_the_civic_side_does_not_send_the_brief(complete_brief, world):
    with pytest.raises(PermissionDenied):
        services.deliver_brief(world.civic_lead, complete_brief.placement)


def test_a_changed_brief_is_sent_again_keeping_the_first_delivery_date(
    complete_brief, world, django_capture_on_commit_callbacks
):
    placement = complete_brief.placement
    with django_capture_on_commit_callbacks(execute=True):
        first = services.deliver_brief(world.official, placement).delivered_at
    with pytest.raises(ValidationError, match="already has this brief"):
        services.deliver_brief(world.official, placement)
    services.save_brief(
        world.official, placement, possibilities="More.", priorities="b", challenges="c"
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.deliver_brief(world.official, placement)
    assert again.delivered_at == first
    assert len(mail.outbox) == 2 and "More." in mail.outbox[1].body


# ---- the countdown ---------------------------------------------------------------------


def test_either_side_adds_and_ticks_off_tasks(placement, world):
    task = services.add_task(world.official, placement, title="Badge", days_before_start=3)
    assert task.due_on == placement.start_date - timedelta(days=3)
    services.set_task_done(world.fellow, task, done=True)
    assert PreparationTask.objects.get(pk=task.pk).done_on is not None
    services.set_task_done(world.civic_lead, task, done=False)
    assert PreparationTask.objects.get(pk=task.pk).done_on is None
    with pytest.raises(PermissionDenied):
        services.set_task_done(world.outsider, task, done=True)
    with pytest.raises(PermissionDenied):
        services.add_task(world.admin, placement, title="x", days_before_start=1)


def test_institution_kind_is_a_government(world):
    # The world the tests above rely on: the civic side is no government body.
    assert world.institution.kind == OrganisationKind.GOVERNMENT
