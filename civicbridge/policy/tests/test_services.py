"""Policy changes move through their stages dated and sourced; commitments are assessed
with evidence; consultation responses are the civic side's (C1)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.collaborations.choices import Completion, PracticeChange
from civicbridge.collaborations.models import Activity
from civicbridge.core.models import AuditEntry
from civicbridge.core.services import Stale
from civicbridge.policy import services
from civicbridge.policy.choices import InstitutionRole, PolicyStage
from civicbridge.policy.models import CommitmentAssessment, PolicyChange, StageEntry

from .conftest import days_ago, record_change

PDF = b"%PDF-1.4\n%response\n"


def test_a_new_change_starts_as_a_dated_draft_with_its_source(change):
    entry = change.stages.get()
    assert change.stage == PolicyStage.DRAFT
    assert (entry.from_stage, entry.stage, entry.on) == ("", PolicyStage.DRAFT, days_ago(30))
    assert entry.source_url == "https://example.org/draft"
    assert AuditEntry.objects.filter(object_repr=change.title).exists()


def test_a_change_without_a_source_is_refused_and_nothing_is_saved(policy, world):
    with pytest.raises(ValidationError) as refused:
        record_change(world.civic_lead, policy, source_url="", source_text="")
    assert "source_url" in refused.value.message_dict
    assert not PolicyChange.objects.exists()


def test_an_outsider_cannot_record_a_change(policy, world):
    with pytest.raises(PermissionDenied):
        record_change(world.outsider, policy)


def test_a_move_names_the_stage_it_moves_from(change, world):
    entry = services.move_policy_change(
        world.official,
        change,
        from_stage=PolicyStage.DRAFT,
        stage=PolicyStage.CONSULTATION,
        on=days_ago(20),
        source_text="Published for consultation in the gazette, notice 12.",
    )
    change.refresh_from_db()
    assert change.stage == PolicyStage.CONSULTATION
    assert (entry.from_stage, entry.stage) == (PolicyStage.DRAFT, PolicyStage.CONSULTATION)
    assert Activity.objects.filter(message__contains="moved from Draft to Consultation").exists()


def test_the_same_move_twice_changes_nothing_the_second_time(change, world):
    move: dict[str, Any] = {
        "from_stage": PolicyStage.DRAFT,
        "stage": PolicyStage.CONSULTATION,
        "on": days_ago(20),
        "source_url": "https://example.org/consultation",
    }
    services.move_policy_change(world.official, change, **move)
    stale = PolicyChange.objects.get(pk=change.pk)
    stale.stage = PolicyStage.DRAFT  # the page the second submit came from
    with pytest.raises(Stale):
        services.move_policy_change(world.official, stale, **move)
    assert StageEntry.objects.filter(policy_change=change).count() == 2


def test_a_change_in_force_moves_no_further(change, world):
    services.move_policy_change(
        world.official,
        change,
        from_stage=PolicyStage.DRAFT,
        stage=PolicyStage.IN_FORCE,
        on=days_ago(5),
        source_url="https://example.org/gazette",
    )
    with pytest.raises(ValidationError):
        services.move_policy_change(
            world.official,
            change,
            from_stage=PolicyStage.IN_FORCE,
            stage=PolicyStage.REJECTED,
            on=days_ago(1),
            source_url="https://example.org/x",
        )


def test_a_stage_cannot_be_dated_before_the_last_one(change, world):
    with pytest.raises(ValidationError) as refused:
        services.move_policy_change(
            world.official,
            change,
            from_stage=PolicyStage.DRAFT,
            stage=PolicyStage.ADOPTED,
            on=days_ago(40),
            source_url="https://example.org/adopted",
        )
    assert "on" in refused.value.message_dict
    change.refresh_from_db()
    assert change.stage == PolicyStage.DRAFT


def test_the_civic_side_adds_a_response_with_its_file(change, world):
    upload = SimpleUploadedFile("response.pdf", PDF, content_type="application/pdf")
    response = services.add_response(
        world.civic_lead, change, title="Our response", submitted_on=days_ago(3), file=upload
    )
    assert response.content_type == "application/pdf" and response.size == len(PDF)
    assert response.filename.endswith(".pdf")


def test_the_institution_does_not_submit_the_civic_sides_response(change, world):
    with pytest.raises(PermissionDenied):
        services.add_response(
            world.official, change, title="Ours", submitted_on=days_ago(1), summary="We agree."
        )


def test_a_response_file_is_judged_by_its_content(change, world):
    upload = SimpleUploadedFile("response.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as refused:
        services.add_response(
            world.civic_lead, change, title="Ours", submitted_on=days_ago(1), file=upload
        )
    assert "file" in refused.value.message_dict


def test_a_response_larger_than_the_limit_is_refused(change, world, settings):
    settings.FILE_UPLOAD_MAX_SIZE = 10
    upload = SimpleUploadedFile("response.pdf", PDF)
    with pytest.raises(ValidationError):
        services.add_response(
            world.civic_lead, change, title="Ours", submitted_on=days_ago(1), file=upload
        )


@pytest.fixture
def commitment(policy, world):
    return services.save_commitment(
        world.civic_lead,
        policy,
        identifier="TS0001",
        title="Publish all public contracts",
        start_date=days_ago(100),
        end_date=days_ago(-200),
        lead_institution=world.institution,
        supporting_institutions=[world.other],
    )


def test_a_commitment_names_its_lead_and_supporting_institutions(commitment, world):
    rows = list(commitment.institutions.values_list("role", "organisation_id"))
    assert rows == [
        (InstitutionRole.LEAD, world.institution.pk),
        (InstitutionRole.SUPPORTING, world.other.pk),
    ]
    assert commitment.completion == Completion.NOT_STARTED


def test_an_assessment_is_dated_with_evidence_and_kept_in_the_history(commitment, world):
    services.assess_commitment(
        world.official,
        commitment,
        from_completion=Completion.NOT_STARTED,
        completion=Completion.SUBSTANTIAL,
        practice_change=PracticeChange.MAJOR,
        on=days_ago(2),
        evidence="The contracts portal is live.",
    )
    commitment.refresh_from_db()
    assert (commitment.completion, commitment.practice_change) == (
        Completion.SUBSTANTIAL,
        PracticeChange.MAJOR,
    )
    history = CommitmentAssessment.objects.get(commitment=commitment)
    assert (history.from_completion, history.completion) == (
        Completion.NOT_STARTED,
        Completion.SUBSTANTIAL,
    )


def test_an_assessment_from_a_stale_page_records_nothing(commitment, world):
    with pytest.raises(Stale):
        services.assess_commitment(
            world.official,
            commitment,
            from_completion=Completion.LIMITED,
            completion=Completion.COMPLETE,
            on=days_ago(1),
            evidence="Done.",
        )
    assert not CommitmentAssessment.objects.exists()


def test_an_assessment_needs_evidence(commitment, world):
    with pytest.raises(ValidationError):
        services.assess_commitment(
            world.official,
            commitment,
            from_completion=Completion.NOT_STARTED,
            completion=Completion.LIMITED,
            on=days_ago(1),
            evidence="  ",
        )


def test_a_milestone_is_done_on_a_day_and_can_open_again(commitment, world):
    milestone = services.add_milestone(
        world.civic_lead, commitment, title="Portal live", due_on=days_ago(-30)
    )
    services.set_milestone_done(world.official, milestone, done_on=days_ago(1))
    assert milestone.done_on == days_ago(1)
    services.set_milestone_done(world.official, milestone, done_on=None)
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_changing_a_commitment_keeps_the_institutions_named_by_name_alone(commitment, world):
    services.set_institutions(
        commitment,
        [
            (InstitutionRole.LEAD, "Testshire Council", world.institution),
            (InstitutionRole.SUPPORTING, "Press Club", None),
        ],
    )
    services.save_commitment(
        world.civic_lead,
        commitment.collaboration,
        commitment,
        title="Publish all public contracts, quarterly",
        lead_institution=world.institution,
        supporting_institutions=[],
    )
    assert list(commitment.institutions.values_list("role", "name")) == [
        (InstitutionRole.LEAD, "Testshire Council"),
        (InstitutionRole.SUPPORTING, "Press Club"),
    ]
