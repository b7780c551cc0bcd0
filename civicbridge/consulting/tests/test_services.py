"""The consulting room's writes: who may do each, the moves of a deliverable from the state
named, and the adoption history of a recommendation."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicbridge.collaborations.choices import Completion, PracticeChange
from civicbridge.consulting import services
from civicbridge.consulting.choices import DeliverableStatus
from civicbridge.consulting.models import AdoptionUpdate, DeliverableVersion, Review
from civicbridge.core.models import AuditEntry
from civicbridge.core.states import StaleState
from tests.factories import MembershipFactory, PersonFactory

from .conftest import pdf, submit


def test_either_side_writes_the_scope_and_questions_as_a_list(consulting, world):
    engagement = services.save_engagement(
        world.official,
        consulting,
        scope="The permit process.",
        questions=["Which permit data can we publish?", "  ", "How do others do it?"],
    )
    assert engagement.questions == ["Which permit data can we publish?", "How do others do it?"]
    with pytest.raises(PermissionDenied):
        services.save_engagement(world.outsider, consulting, scope="x", questions=[])


def test_a_fellowship_has_no_engagement(fellowship, world):
    with pytest.raises(ValidationError):
        services.add_deliverable(
            world.civic_lead, fellowship, title="Report", kind="report", due_on=date(2030, 1, 1)
        )


def test_only_the_civic_side_sends_a_version(deliverable, world):
    with pytest.raises(PermissionDenied):
        services.submit_version(
            world.official, deliverable, from_status=DeliverableStatus.PLANNED, file=pdf()
        )
    assert not DeliverableVersion.objects.exists()


def test_a_first_version_submits_and_a_second_press_changes_nothing(deliverable, world):
    version = submit(world, deliverable)
    deliverable.refresh_from_db()
    assert (version.number, deliverable.status) == (1, DeliverableStatus.SUBMITTED)
    assert version.content_type == "application/pdf"
    with pytest.raises(StaleState):
        services.submit_version(
            world.civic_lead, deliverable, from_status=DeliverableStatus.PLANNED, file=pdf()
        )
    assert DeliverableVersion.objects.count() == 1


def test_a_version_is_refused_while_the_institution_decides(submitted, world):
    with pytest.raises(StaleState):
        submit(world, submitted)
    assert DeliverableVersion.objects.count() == 1


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"", "empty"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
        ("report.exe", b"MZ\x90\x00", "not accepted"),
        ("report.png", b"%PDF-1.7\n", "does not match"),
    ],
)
def test_a_file_not_accepted_is_refused_and_nothing_moves(
    deliverable, world, name, content, message
):
    with pytest.raises(ValidationError) as refused:
        submit(world, deliverable, file=pdf(name, content))
    assert message in " ".join(refused.value.messages)
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.PLANNED
    assert not DeliverableVersion.objects.exists()


def test_an_office_document_is_accepted_by_its_name_and_first_bytes(deliverable, world):
    version = submit(world, deliverable, file=pdf("report.docx", b"PK\x03\x04rest"))
    assert version.content_type.endswith("wordprocessingml.document")


def test_a_file_larger_than_the_limit_is_refused(deliverable, world, settings):
    settings.DELIVERABLE_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="larger than"):
        submit(world, deliverable)


def test_only_the_institution_accepts(submitted, world):
    with pytest.raises(PermissionDenied):
        services.accept_deliverable(
            world.civic_lead, submitted, from_status=DeliverableStatus.SUBMITTED
        )
    submitted.refresh_from_db()
    assert submitted.status == DeliverableStatus.SUBMITTED


def test_acceptance_moves_from_submitted_once(submitted, world):
    review = services.accept_deliverable(
        world.official, submitted, from_status=DeliverableStatus.SUBMITTED
    )
    submitted.refresh_from_db()
    assert submitted.status == DeliverableStatus.ACCEPTED
    assert (review.decision, review.decided_by) == ("accepted", world.official)
    with pytest.raises(StaleState) as stale:
        services.accept_deliverable(
            world.official, submitted, from_status=DeliverableStatus.SUBMITTED
        )
    assert stale.value.current == DeliverableStatus.ACCEPTED
    assert Review.objects.count() == 1


def test_asking_for_changes_needs_a_comment(submitted, world):
    with pytest.raises(ValidationError, match="what should change"):
        services.ask_changes(
            world.official, submitted, from_status=DeliverableStatus.SUBMITTED, comment="  "
        )
    submitted.refresh_from_db()
    assert submitted.status == DeliverableStatus.SUBMITTED
    assert not Review.objects.exists()


def test_changes_then_a_new_version_then_acceptance_after_changes(submitted, world):
    services.ask_changes(
        world.official,
        submitted,
        from_status=DeliverableStatus.SUBMITTED,
        comment="Add the fees data.",
    )
    submitted.refresh_from_db()
    assert submitted.status == DeliverableStatus.CHANGES_ASKED
    version = submit(world, submitted, note="Fees added.")
    submitted.refresh_from_db()
    assert (version.number, submitted.status) == (2, DeliverableStatus.RESUBMITTED)
    services.accept_deliverable(
        world.official, submitted, from_status=DeliverableStatus.RESUBMITTED
    )
    submitted.refresh_from_db()
    assert submitted.status == DeliverableStatus.ACCEPTED_AFTER_CHANGES
    decisions = list(
        Review.objects.order_by("version__number").values_list("version__number", "decision")
    )
    assert decisions == [(1, "changes_asked"), (2, "accepted")]


def test_a_decision_from_a_state_it_left_changes_nothing(submitted, world):
    with pytest.raises(StaleState):
        services.ask_changes(
            world.official,
            submitted,
            from_status=DeliverableStatus.RESUBMITTED,
            comment="Add the fees.",
        )
    submitted.refresh_from_db()
    assert submitted.status == DeliverableStatus.SUBMITTED


def test_a_planned_deliverable_is_not_accepted(deliverable, world):
    with pytest.raises(StaleState):
        services.accept_deliverable(
            world.official, deliverable, from_status=DeliverableStatus.PLANNED
        )
    assert not Review.objects.exists()


def test_the_owner_must_be_a_current_member_of_the_institution(deliverable, world):
    elsewhere = PersonFactory.create(name="Forged Owner")
    MembershipFactory(person=elsewhere, organisation=world.other)
    for owner in (elsewhere, world.civic_lead.person):
        with pytest.raises(ValidationError) as refused:
            services.add_recommendation(
                world.civic_lead,
                deliverable.collaboration,
                deliverable=deliverable,
                title="Publish",
                finding="Asked often.",
                priority="high",
                owner=owner,
            )
        assert "owner" in refused.value.message_dict
    assert not deliverable.recommendations.exists()


def test_a_recommendation_rests_on_a_deliverable_of_its_engagement(deliverable, world):
    from tests.factories import CollaborationFactory, DeliverableFactory

    other = DeliverableFactory.create(
        collaboration=CollaborationFactory.create(
            model="consulting", civic_organisation=world.civic, institution=world.institution
        )
    )
    with pytest.raises(ValidationError) as refused:
        services.add_recommendation(
            world.civic_lead,
            deliverable.collaboration,
            deliverable=other,
            title="Publish",
            finding="Asked often.",
            priority="high",
        )
    assert "deliverable" in refused.value.message_dict


def test_each_adoption_update_is_a_dated_row_with_evidence_and_its_author(recommendation, world):
    services.record_adoption(
        world.official,
        recommendation,
        completion=Completion.LIMITED,
        practice_change=PracticeChange.MARGINAL,
        evidence="The register is exported monthly.",
    )
    services.record_adoption(
        world.civic_lead,
        recommendation,
        completion=Completion.COMPLETE,
        practice_change=PracticeChange.MAJOR,
        evidence_url="https://data.example.org/permits",
    )
    recommendation.refresh_from_db()
    assert (recommendation.completion, recommendation.practice_change) == ("complete", "major")
    rows = list(
        AdoptionUpdate.objects.order_by("created_at").values_list(
            "completion", "recorded_by", "side"
        )
    )
    assert rows == [
        ("limited", world.official.pk, world.institution.pk),
        ("complete", world.civic_lead.pk, world.civic.pk),
    ]
    assert recommendation.last_update_at == AdoptionUpdate.objects.latest("created_at").created_at


def test_an_update_without_evidence_is_refused(recommendation, world):
    with pytest.raises(ValidationError):
        services.record_adoption(
            world.official,
            recommendation,
            completion=Completion.COMPLETE,
            practice_change=PracticeChange.MAJOR,
        )
    recommendation.refresh_from_db()
    assert recommendation.completion == Completion.NOT_STARTED
    assert not AdoptionUpdate.objects.exists()


def test_writes_are_audited(recommendation, world):
    assert AuditEntry.objects.filter(
        object_id=recommendation.pk, content_type__model="recommendation"
    ).exists()
