"""The policy room's pages: the tabs, the forms that record, and the import's upload."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicbridge.collaborations.choices import Completion
from civicbridge.partners.choices import ImportStatus
from civicbridge.partners.models import ImportRun
from civicbridge.policy import services
from civicbridge.policy.choices import PolicyStage
from civicbridge.policy.models import Commitment, ConsultationResponse, PolicyChange

from .conftest import days_ago

FIXTURE = Path(__file__).parent / "data" / "commitments.csv"


def test_the_tabs_teach_what_they_are_for_when_empty(policy, world, client_for):
    client = client_for(world.official)
    for name, words in (
        ("policy:changes", "No policy change is recorded yet"),
        ("policy:consultation", "No consultation response yet"),
        ("policy:commitments", "No commitment yet"),
    ):
        page = client.get(reverse(name, args=[policy.pk]))
        assert page.status_code == 200 and words in page.content.decode()
    assert (
        "No decision-maker is named"
        in client.get(reverse("policy:changes", args=[policy.pk])).content.decode()
    )


def test_a_change_is_recorded_and_moved_through_the_pages(policy, world, client_for):
    client = client_for(world.civic_lead)
    created = client.post(
        reverse("policy:change_create", args=[policy.pk]),
        {
            "title": "Allow challenge-based procurement",
            "instrument": "procurement_rule",
            "deciding_body": "Ministry of Finance",
            "proposed_change": "Up to 200,000.",
            "on": days_ago(10).isoformat(),
            "source_url": "https://example.org/draft",
        },
    )
    change = PolicyChange.objects.get()
    assert created["Location"] == reverse("policy:change", args=[policy.pk, change.pk])
    move_url = reverse("policy:change_move", args=[policy.pk, change.pk])
    form = client.get(move_url).content.decode()
    assert 'value="consultation"' in form and 'value="draft"' in form  # the hidden from-stage
    move = {
        "from_stage": "draft",
        "stage": "consultation",
        "on": days_ago(5).isoformat(),
        "source_text": "Gazette notice 12.",
    }
    assert client.post(move_url, move).status_code == 302
    again = client.post(move_url, move)
    assert again.status_code == 200 and "nothing was recorded" in again.content.decode()
    change.refresh_from_db()
    assert change.stage == PolicyStage.CONSULTATION and change.stages.count() == 2
    page = client.get(reverse("policy:change", args=[policy.pk, change.pk])).content.decode()
    assert "Gazette notice 12." in page


def test_the_civic_side_uploads_a_response_and_both_sides_download_it(
    policy, change, world, client_for
):
    client = client_for(world.civic_lead)
    upload = SimpleUploadedFile("ours.pdf", b"%PDF-1.4 ours", content_type="application/pdf")
    response = client.post(
        reverse("policy:response_create", args=[policy.pk, change.pk]),
        {"title": "Our response", "submitted_on": days_ago(2).isoformat(), "file": upload},
    )
    assert response.status_code == 302
    saved = ConsultationResponse.objects.get()
    download = client_for(world.official).get(
        reverse("policy:response_file", args=[policy.pk, saved.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ours"


def test_a_commitment_is_assessed_through_its_page(policy, world, client_for):
    commitment = services.save_commitment(world.civic_lead, policy, title="Open the budget")
    client = client_for(world.official)
    response = client.post(
        reverse("policy:commitment_assess", args=[policy.pk, commitment.pk]),
        {
            "from_completion": "not_started",
            "completion": "substantial",
            "practice_change": "major",
            "on": days_ago(1).isoformat(),
            "evidence": "The portal is live.",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.completion == Completion.SUBSTANTIAL
    page = client.get(reverse("policy:commitment", args=[policy.pk, commitment.pk]))
    assert "The portal is live." in page.content.decode()


def _upload(client, policy, skip: bool):
    data = {
        "collaboration": policy.pk,
        "file": SimpleUploadedFile("plan.csv", FIXTURE.read_bytes(), content_type="text/csv"),
        "column_title": "Commitment Title",
    }
    if skip:
        data["skip_invalid"] = "on"
    return client.post(reverse("policy:import"), data)


def test_the_upload_page_imports_in_the_worker_and_its_run_page_says_what_it_did(
    policy, world, client_for
):
    client = client_for(world.civic_lead)
    page = client.get(reverse("policy:import")).content.decode()
    assert "Towards agile procurement" in page and 'value="Commitment Title"' in page
    response = _upload(client, policy, skip=True)
    run = ImportRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert run.status == ImportStatus.DONE
    assert run.summary[0] == "commitments: 397 created, 0 updated, 0 unchanged, 3 skipped"
    shown = client.get(run.get_absolute_url()).content.decode()
    assert "Row 59" in shown
    assert Commitment.objects.filter(collaboration=policy).count() == 397


def test_an_upload_with_bad_rows_imports_nothing_and_lists_them(policy, world, client_for):
    _upload(client_for(world.official), policy, skip=False)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert [error.split(":")[0] for error in run.errors] == [
        "Row 59, column “Start Date”",
        "Row 125, column “Completion (End Of Term)”",
        "Row 303, column “End Date”",
    ]
    assert not Commitment.objects.exists()


def test_only_a_side_of_a_policy_collaboration_may_choose_it(policy, world, client_for):
    assert client_for(world.outsider).get(reverse("policy:import")).status_code == 403
