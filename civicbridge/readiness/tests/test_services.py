"""Services and permissions of assessments: who may start, change and see them, the rules
answers keep, and the audit entry every write leaves."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civicbridge.core.choices import AuditAction, Visibility
from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.readiness import permissions, services
from civicbridge.readiness.models import Assessment
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

FIRST = "political_legal.reform_openness"
SECOND = "political_legal.mou_ready"  # a yes/no question: 0 or 1


def start(world, actor=None, owner=None, **fields) -> Assessment:
    """An assessment of the institution by the civic side (both sides see it)."""
    return services.start_assessment(
        actor or world.civic_lead,
        owner or world.civic,
        **{
            "title": "Testshire, 2026",
            "institution": world.institution,
            "country": "Australia",
            "assessed_on": date(2026, 11, 1),
            "visibility": Visibility.BOTH_SIDES,
            **fields,
        },
    )


def question_ids(assessment: Assessment) -> list[str]:
    return [q["id"] for q in assessment.playbook_version.content["questions"]]


def finished(world, **fields) -> Assessment:
    assessment = start(world, **fields)
    services.save_answers(world.civic_lead, assessment, dict.fromkeys(question_ids(assessment), 1))
    return services.complete_assessment(world.civic_lead, assessment)


def stored(assessment: Assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def entries_for(assessment: Assessment):
    return AuditEntry.objects.filter(
        content_type__model="assessment", object_id=str(assessment.pk)
    ).order_by("id")


@pytest.fixture
def other_member(world):
    """A member of world.other, a council the assessments are not about."""
    user = UserFactory.create(email="other@example.org", person__name="Oda Other")
    MembershipFactory.create(person=user.person, organisation=world.other, access=Access.MEMBER)
    return user


# --- Starting ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["civic_lead", "fellow"])
def test_a_member_starts_an_assessment_for_their_own_side_on_the_current_playbook(
    persona, world, playbook
):
    user = getattr(world, persona)
    assessment = start(world, actor=user)
    assert assessment.owner_organisation == world.civic
    assert assessment.playbook_version == playbook
    assert assessment.created_by == user
    assert assessment.answers == {}
    assert not assessment.complete


@pytest.mark.parametrize(
    ("persona", "owner"),
    [
        ("civic_lead", "institution"),  # an organisation the lead has no membership of
        ("civic_lead", "other"),
        ("fellow", "institution"),  # only a viewer there: viewers do not make assessments
        ("official", "civic"),
    ],
)
def test_an_assessment_for_an_organisation_one_is_no_member_of_is_refused(
    persona, owner, world, playbook
):
    with pytest.raises(ValidationError) as error:
        start(world, actor=getattr(world, persona), owner=getattr(world, owner))
    assert error.value.message_dict == {
        "owner_organisation": ["Make assessments for your own side."]
    }
    assert not Assessment.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="assessment").exists()


@pytest.mark.parametrize("persona", ["outsider", "admin"])
def test_accounts_without_a_membership_cannot_start_an_assessment(persona, world, playbook):
    user = getattr(world, persona)
    assert permissions.can_start_assessment(user)[0] is False
    with pytest.raises(PermissionDenied, match="Only members of an organisation"):
        start(world, actor=user, owner=world.civic)
    assert not Assessment.objects.exists()


def test_a_viewer_only_membership_does_not_let_one_start(world, playbook):
    viewer = UserFactory.create(person__name="Vi Ewer")
    MembershipFactory.create(person=viewer.person, organisation=world.civic, access=Access.VIEWER)
    with pytest.raises(PermissionDenied):
        start(world, actor=viewer)


def test_starting_before_any_playbook_is_loaded_is_refused(world):
    with pytest.raises(ValidationError, match="No playbook has been loaded yet"):
        start(world)
    assert not Assessment.objects.exists()


# --- Changing ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["official", "outsider", "admin"])
def test_only_the_owner_sides_members_change_answers_or_context(persona, world, playbook):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, {FIRST: 2})
    user = getattr(world, persona)
    assert permissions.can_change_assessment(user, assessment)[0] is False
    with pytest.raises(PermissionDenied, match="Only members of Code for Testing"):
        services.save_answers(user, assessment, {FIRST: 4})
    with pytest.raises(PermissionDenied):
        services.save_answers(user, assessment, {FIRST: None})
    with pytest.raises(PermissionDenied):
        services.update_context(user, assessment, title="Taken over")
    with pytest.raises(PermissionDenied):
        services.complete_assessment(user, assessment)
    again = stored(assessment)
    assert again.answers == {FIRST: 2}
    assert again.title == "Testshire, 2026"
    assert len(entries_for(assessment)) == 2  # the lead's create and answer only


def test_another_member_of_the_owner_side_may_change_the_answers(world, playbook):
    assessment = start(world)
    services.save_answers(world.fellow, assessment, {FIRST: 3})
    services.update_context(world.fellow, assessment, title="Renamed by the fellow")
    again = stored(assessment)
    assert again.answers == {FIRST: 3}
    assert again.title == "Renamed by the fellow"


def test_changing_the_context_cannot_hand_the_assessment_to_another_side(world, playbook):
    assessment = start(world)
    with pytest.raises(ValidationError) as error:
        services.update_context(world.civic_lead, assessment, owner_organisation=world.other)
    assert "owner_organisation" in error.value.message_dict
    assert stored(assessment).owner_organisation == world.civic


def test_changing_the_context_moves_it_between_the_actors_own_organisations(world, playbook):
    second_home = OrganisationFactory.create(name="Second Lab", kind=OrganisationKind.CIVIC)
    MembershipFactory.create(
        person=world.civic_lead.person, organisation=second_home, access=Access.MEMBER
    )
    assessment = start(world)
    services.update_context(world.civic_lead, assessment, owner_organisation=second_home)
    assert stored(assessment).owner_organisation == second_home


@pytest.mark.parametrize("field", ["answers", "completed_at", "playbook_version"])
def test_changing_the_context_cannot_slip_in_answers_or_completion(field, world, playbook):
    assessment = start(world)
    with pytest.raises(ValueError, match=field):
        services.update_context(world.civic_lead, assessment, **{field: None})
    assert stored(assessment).answers == {}


@pytest.mark.parametrize(
    ("value", "shown"),
    [(9, "9"), (-1, "-1"), (True, "“True”"), ("4", "“4”")],
)
def test_an_answer_off_its_scale_is_refused_and_nothing_changes(value, shown, world, playbook):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, {FIRST: 2})
    entries = entries_for(assessment).count()
    with pytest.raises(ValidationError) as error:
        services.save_answers(world.civic_lead, assessment, {FIRST: 3, SECOND: value})
    assert error.value.messages == [
        f"Question “{SECOND}”: {shown} is not an answer on its scale (0 No, 1 Yes)."
    ]
    assert stored(assessment).answers == {FIRST: 2}
    assert assessment.answers == {FIRST: 2}
    assert entries_for(assessment).count() == entries


@pytest.mark.parametrize("value", [2, None])
def test_an_answer_to_an_unknown_question_is_refused_and_nothing_changes(value, world, playbook):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, {FIRST: 2})
    entries = entries_for(assessment).count()
    with pytest.raises(ValidationError) as error:
        services.save_answers(world.civic_lead, assessment, {FIRST: 1, "no.such_question": value})
    assert error.value.messages == ["Question “no.such_question” is not in the playbook."]
    assert stored(assessment).answers == {FIRST: 2}
    assert entries_for(assessment).count() == entries


def test_answers_merge_and_none_clears_one(world, playbook):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, {FIRST: 2, SECOND: 1})
    services.save_answers(world.civic_lead, assessment, {FIRST: 4})
    assert stored(assessment).answers == {FIRST: 4, SECOND: 1}
    services.save_answers(world.civic_lead, assessment, {SECOND: None})
    assert stored(assessment).answers == {FIRST: 4}


def test_clearing_an_answer_of_a_finished_assessment_makes_it_unfinished(world, playbook):
    assessment = finished(world)
    assert stored(assessment).complete
    services.save_answers(world.civic_lead, assessment, {SECOND: None})
    again = stored(assessment)
    assert again.completed_at is None
    assert SECOND not in again.answers


def test_changing_an_answer_of_a_finished_assessment_keeps_it_finished(world, playbook):
    assessment = finished(world)
    services.save_answers(world.civic_lead, assessment, {SECOND: 0})
    again = stored(assessment)
    assert again.complete
    assert again.answers[SECOND] == 0


def test_an_assessment_cannot_be_finished_while_questions_are_unanswered(world, playbook):
    assessment = start(world)
    ids = question_ids(assessment)
    services.save_answers(world.civic_lead, assessment, dict.fromkeys(ids[2:], 1))
    with pytest.raises(ValidationError) as error:
        services.complete_assessment(world.civic_lead, assessment)
    assert error.value.messages == [
        f"Question “{FIRST}” has no answer.",
        f"Question “{SECOND}” has no answer.",
    ]
    assert stored(assessment).completed_at is None


def test_an_assessment_with_every_answer_can_be_finished(world, playbook):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, dict.fromkeys(question_ids(assessment), 0))
    services.complete_assessment(world.civic_lead, assessment)
    assert stored(assessment).completed_at is not None


# --- Who sees what -------------------------------------------------------------------------


def test_an_own_side_assessment_is_hidden_from_the_institution_it_is_about(world, playbook):
    assessment = start(world, visibility=Visibility.OWN_SIDE)
    for user in (world.civic_lead, world.fellow, world.admin):
        assert permissions.get_assessment_for(user, assessment.pk) == assessment
    with pytest.raises(Http404):
        permissions.get_assessment_for(world.official, assessment.pk)
    assert list(permissions.visible_assessments(world.official)) == []
    with pytest.raises(Http404):
        permissions.get_assessment_for(world.outsider, assessment.pk)


def test_a_both_sides_assessment_shows_to_the_institution_but_not_to_other_councils(
    world, playbook, other_member
):
    assessment = start(world, visibility=Visibility.BOTH_SIDES)
    assert permissions.get_assessment_for(world.official, assessment.pk) == assessment
    assert list(permissions.visible_assessments(world.official)) == [assessment]
    with pytest.raises(Http404):
        permissions.get_assessment_for(other_member, assessment.pk)
    assert list(permissions.visible_assessments(other_member)) == []
    with pytest.raises(Http404):
        permissions.get_assessment_for(world.outsider, assessment.pk)


def test_a_both_sides_assessment_shows_to_its_civic_partner(world, playbook):
    partner = OrganisationFactory.create(name="Partner Lab", kind=OrganisationKind.CIVIC)
    partner_member = UserFactory.create(person__name="Pat Partner")
    MembershipFactory.create(
        person=partner_member.person, organisation=partner, access=Access.VIEWER
    )
    shared = start(world, civic_partner=partner, visibility=Visibility.BOTH_SIDES)
    start(world, title="Kept", civic_partner=partner, visibility=Visibility.OWN_SIDE)
    assert list(permissions.visible_assessments(partner_member)) == [shared]


def test_a_public_assessment_shows_to_anyone_signed_in(world, playbook, other_member):
    assessment = start(world, visibility=Visibility.PUBLIC)
    for user in (world.outsider, other_member, world.official):
        assert permissions.get_assessment_for(user, assessment.pk) == assessment


def test_seeing_an_assessment_does_not_let_one_change_it(world, playbook):
    assessment = start(world, visibility=Visibility.BOTH_SIDES)
    with pytest.raises(PermissionDenied):
        permissions.get_assessment_for(world.official, assessment.pk, edit=True)
    assert permissions.get_assessment_for(world.fellow, assessment.pk, edit=True) == assessment


# --- The audit log -------------------------------------------------------------------------


def test_every_write_leaves_an_audit_entry_with_who_and_what_changed(world, playbook):
    assessment = start(world)
    services.update_context(world.civic_lead, assessment, title="Testshire, late 2026")
    services.save_answers(world.fellow, assessment, dict.fromkeys(question_ids(assessment), 1))
    services.complete_assessment(world.civic_lead, assessment)
    services.save_answers(world.civic_lead, assessment, {FIRST: None})

    entries = list(entries_for(assessment))
    assert [(e.action, e.actor) for e in entries] == [
        (AuditAction.CREATE, world.civic_lead),
        (AuditAction.UPDATE, world.civic_lead),
        (AuditAction.UPDATE, world.fellow),
        (AuditAction.UPDATE, world.civic_lead),
        (AuditAction.UPDATE, world.civic_lead),
    ]
    assert all(e.organisation_id == world.civic.pk for e in entries)
    created, context, answered, completed, cleared = entries
    assert created.changes["title"] == [None, "Testshire, 2026"]
    assert created.changes["owner_organisation_id"] == [None, world.civic.pk]
    assert context.changes == {"title": ["Testshire, 2026", "Testshire, late 2026"]}
    assert set(answered.changes) == {"answers"}
    assert answered.changes["answers"][0] == {}
    assert len(answered.changes["answers"][1]) == len(question_ids(assessment))
    assert set(completed.changes) == {"completed_at"}
    assert completed.changes["completed_at"][0] is None
    assert set(cleared.changes) == {"answers", "completed_at"}
    assert cleared.changes["completed_at"][1] is None
    assert FIRST not in cleared.changes["answers"][1]
