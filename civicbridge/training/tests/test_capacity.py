"""Capacity before and after: the spread per objective and department, small groups kept
back, and the certificates made by the task worker."""

import pytest
import weasyprint

from civicbridge.training.choices import Moment, RunStatus
from civicbridge.training.models import Certificate, CertificateRun
from civicbridge.training.queries import SMALLEST_GROUP, capacity_change, spread
from civicbridge.training.services import certificates, sessions
from tests.factories import DepartmentFactory

from .test_services import rate
from .trainingdata import enrol, officials, session


def test_spread_gives_the_range_and_quartiles_from_five_answers():
    assert not spread([1, 2, 3, 4]).shown
    assert spread([1, 2, 3, 4]).count == 4
    five = spread([1, 2, 3, 4, 5])
    assert five.shown
    assert (five.low, five.q1, five.median, five.q3, five.high) == (1, 2, 3, 4, 5)


def test_change_per_objective_and_department_keeps_small_groups_back(world, programme, taught):
    day = session(world, programme, [taught[0]], days=-1)
    planning = DepartmentFactory(organisation=world.institution, name="Planning")
    finance = DepartmentFactory(organisation=world.institution, name="Finance")
    many = enrol(world, programme, officials(world, 6, planning, prefix="Planner"))
    few = enrol(world, programme, officials(world, 2, finance, prefix="Accountant"))
    for number, participant in enumerate(many + few):
        rate(participant, Moment.BEFORE, 1 + number % 2)
        sessions.invite(world.civic_lead, day, [participant])
    for participant in many[:5]:
        rate(participant, Moment.AFTER, 4)
    rows = capacity_change(programme)["rows"]
    first = [row for row in rows if row.objective == taught[2][0]]
    by_department = {row.department: row for row in first}
    assert list(by_department) == ["", "Finance", "Planning"]
    everyone = by_department[""]
    assert everyone.moments[Moment.BEFORE].count == 8
    assert (everyone.moments[Moment.BEFORE].low, everyone.moments[Moment.BEFORE].high) == (1, 2)
    assert everyone.change.count == 5
    assert everyone.change.shown
    assert (everyone.change.low, everyone.change.median, everyone.change.high) == (2, 3, 3)
    assert not by_department["Finance"].moments[Moment.BEFORE].shown
    assert by_department["Finance"].moments[Moment.BEFORE].count == 2
    assert by_department["Planning"].moments[Moment.AFTER].shown
    assert by_department["Planning"].change.high == 3


def test_the_page_says_a_small_group_is_not_shown(world, programme, taught, client_for):
    [participant] = enrol(world, programme, officials(world, 1))
    rate(participant, Moment.BEFORE, 5)
    page = client_for(world.official).get(f"/collaborations/{programme.pk}/training/capacity/")
    text = page.content.decode()
    assert f"fewer than {SMALLEST_GROUP} answers: not shown, to protect participants" in text
    assert page.context["rows"][0].moments[Moment.BEFORE].median is None


@pytest.fixture
def quick_pdfs(monkeypatch):
    drawn = []

    def write_pdf(self, **kwargs):
        drawn.append(self)
        return b"%PDF-1.7 certificate"

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    return drawn


def test_certificates_are_made_by_the_task_worker_for_who_earned_them(
    world, programme, taught, quick_pdfs, django_capture_on_commit_callbacks
):
    day = session(world, programme, [taught[0]], days=-1)
    a, b = enrol(world, programme, officials(world, 2))
    sessions.invite(world.civic_lead, day, [a, b])
    sessions.take_attendance(world.civic_lead, day, [a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        run = certificates.request_certificates(world.civic_lead, programme)
    run.refresh_from_db()
    assert (run.status, run.processed, run.total) == (RunStatus.DONE, 1, 1)
    certificate = Certificate.objects.get()
    assert certificate.participant == a
    assert certificate.file.read().startswith(b"%PDF")
    assert len(quick_pdfs) == 1
    with pytest.raises(Exception, match="Nobody is waiting"):
        certificates.request_certificates(world.civic_lead, programme)
    assert CertificateRun.objects.count() == 1


def test_certificate_pages_show_progress_and_the_pdf_to_whom_it_belongs(
    world, programme, taught, quick_pdfs, client_for, django_capture_on_commit_callbacks
):
    day = session(world, programme, [taught[0]], days=-1)
    [a] = enrol(world, programme, officials(world, 1))
    sessions.invite(world.civic_lead, day, [a])
    sessions.take_attendance(world.civic_lead, day, [a.pk])
    client = client_for(world.civic_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/collaborations/{programme.pk}/training/certificates/")
    run = CertificateRun.objects.get()
    assert response["Location"] == f"/collaborations/{programme.pk}/training/certificates/{run.pk}/"
    progress = client.get(response["Location"])
    assert "The certificates are made" in progress.content.decode()
    url = f"/collaborations/{programme.pk}/training/participants/{a.pk}/certificate/"
    pdf = client.get(url)
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client_for(world.official).get(url).status_code == 200
    assert client_for(world.fellow).get(url).status_code == 200  # a member of the civic side
    assert client_for(world.outsider).get(url).status_code == 404
