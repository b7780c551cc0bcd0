"""Beneficiaries' feedback (T3): given without an account, moderated by the civic side,
answered by the institution, shown on the public page, exported without addresses."""

import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civicbridge.collaborations.attention import Viewer, needs_you
from civicbridge.collaborations.choices import StakeholderRole
from civicbridge.collaborations.models import Stakeholder
from civicbridge.collaborations.portfolio import portfolio_of
from civicbridge.core.states import StaleState
from civicbridge.feedback.choices import FeedbackStatus
from civicbridge.feedback.models import Feedback
from civicbridge.feedback.queries import health_of
from civicbridge.feedback.services import feedback as services
from tests.factories import CollaborationFactory, FeedbackFactory

FORM = {
    "worked": "Booking online took two minutes.",
    "did_not_work": "The confirmation never came.",
    "rating": "3",
    "email": "Resident@Example.net",
    "website": "",
}


def _give_url(collaboration):
    return reverse("feedback:give", args=[collaboration.pk])


def _submit(client, collaboration, *, wait: float = 5, **changes):
    """Show the form, wait `wait` seconds as a person would, and send it."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        page = client.get(_give_url(collaboration))
        assert page.status_code == 200
        started = re.search(rb'name="started" value="([^"]+)"', page.content)
        assert started, "the form carries the signed moment it was shown"
        traveller.shift(wait)
        return client.post(
            _give_url(collaboration), {**FORM, "started": started.group(1).decode(), **changes}
        )


def published(collaboration, **fields) -> Feedback:
    return FeedbackFactory.create(
        collaboration=collaboration,
        status=FeedbackStatus.PUBLISHED,
        moderated_at=timezone.now(),
        **fields,
    )


# Giving feedback without an account


def test_a_member_of_the_public_gives_feedback_that_waits_for_moderation(
    world, programme, client_for
):
    client = client_for(None)
    response = _submit(client, programme)
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.status == FeedbackStatus.NEW
    assert (feedback.rating, feedback.email) == (3, "resident@example.net")
    public = client.get(reverse("feedback:public", args=[programme.pk]))
    assert b"Booking online took two minutes" not in public.content
    assert b"No feedback is published yet" in public.content


def test_the_form_offers_the_services_the_civic_side_named(world, programme, client_for):
    client = client_for(None)
    assert b'name="service"' not in client.get(_give_url(programme)).content
    service = services.add_service(world.civic_lead, programme, name="Permit booking")
    assert b"Permit booking" in client.get(_give_url(programme)).content
    assert _submit(client, programme, service=str(service.pk)).status_code == 302
    assert Feedback.objects.get().service == service


def test_a_service_of_another_collaboration_is_refused(world, programme):
    other = CollaborationFactory.create(
        civic_organisation=world.civic, institution=world.institution, public=True
    )
    service = services.add_service(world.civic_lead, other, name="Elsewhere")
    with pytest.raises(ValidationError):
        services.give_feedback(programme, worked="a", did_not_work="b", rating=4, service=service)
    assert not Feedback.objects.exists()


def test_feedback_on_a_collaboration_that_is_not_public_is_refused(world, client_for):
    private = CollaborationFactory.create(
        civic_organisation=world.civic, institution=world.institution
    )
    client = client_for(None)
    assert client.get(_give_url(private)).status_code == 404
    assert client.get(reverse("feedback:public", args=[private.pk])).status_code == 404
    with pytest.raises(ValidationError, match="not public"):
        services.give_feedback(private, worked="a", did_not_work="b", rating=4)


def test_the_honeypot_refuses_a_robot(world, programme, client_for):
    response = _submit(client_for(None), programme, website="http://spam.example")
    assert response.status_code == 200
    assert b"We could not take this feedback" in response.content
    assert not Feedback.objects.exists()


def test_feedback_sent_within_seconds_is_refused(world, programme, client_for):
    response = _submit(client_for(None), programme, wait=1)
    assert b"came back within seconds of opening" in response.content
    assert not Feedback.objects.exists()


def test_a_registration_forms_moment_does_not_pass_for_the_feedback_forms(
    world, programme, client_for
):
    from civicbridge.core.public_forms import form_started

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        started = form_started("civicbridge.events.registration.form")
        traveller.shift(10)
        response = client_for(None).post(_give_url(programme), {**FORM, "started": started})
    assert b"This form is damaged" in response.content
    assert not Feedback.objects.exists()


def test_one_address_sends_only_a_few_feedbacks_a_minute(world, programme, client_for, settings):
    settings.FEEDBACK_PER_MINUTE = 2
    client = client_for(None)
    for _ in range(2):
        assert _submit(client, programme).status_code == 302
    response = _submit(client, programme)
    assert response.status_code == 429
    assert b"Too much feedback came from your network" in response.content
    assert Feedback.objects.count() == 2


def test_a_rating_outside_one_to_five_is_refused(world, programme, client_for):
    response = _submit(client_for(None), programme, rating="6")
    assert response.status_code == 200
    assert not Feedback.objects.exists()
    with pytest.raises(ValidationError):
        services.give_feedback(programme, worked="a", did_not_work="b", rating=0)
    assert not Feedback.objects.exists()


# Moderation


def test_the_civic_side_publishes_feedback_once(world, programme):
    feedback = FeedbackFactory.create(collaboration=programme)
    moved = services.moderate_feedback(world.civic_lead, feedback, publish=True)
    assert moved.status == FeedbackStatus.PUBLISHED and moved.moderated_by == world.civic_lead
    with pytest.raises(StaleState):
        services.moderate_feedback(world.civic_lead, feedback, publish=False)
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PUBLISHED


def test_the_institution_cannot_moderate(world, programme, client_for):
    feedback = FeedbackFactory.create(collaboration=programme)
    with pytest.raises(PermissionDenied):
        services.moderate_feedback(world.official, feedback, publish=True)
    url = reverse("feedback:moderate", args=[programme.pk, feedback.pk])
    assert client_for(world.official).post(url, {"decision": "publish"}).status_code == 403
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.NEW


def test_rejected_feedback_is_never_published(world, programme, client_for):
    feedback = FeedbackFactory.create(collaboration=programme, worked="Spam spam spam")
    url = reverse("feedback:moderate", args=[programme.pk, feedback.pk])
    assert client_for(world.civic_lead).post(url, {"decision": "reject"}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.REJECTED
    public = client_for(None).get(reverse("feedback:public", args=[programme.pk]))
    assert b"Spam spam spam" not in public.content
    tab = client_for(world.official).get(reverse("feedback:feedback", args=[programme.pk]))
    assert b"Spam spam spam" not in tab.content


def test_only_the_civic_side_reads_the_address_and_what_waits(world, programme, client_for):
    FeedbackFactory.create(collaboration=programme, email="private@example.net", worked="Waits")
    published(programme, email="answer-me@example.net", worked="Shown")
    url = reverse("feedback:feedback", args=[programme.pk])
    civic = client_for(world.civic_lead).get(url).content
    assert b"private@example.net" in civic and b"answer-me@example.net" in civic
    assert b"Waits" in civic
    official = client_for(world.official).get(url).content
    assert b"@example.net" not in official
    assert b"Waits" not in official and b"Shown" in official
    public = client_for(None).get(reverse("feedback:public", args=[programme.pk])).content
    assert b"@example.net" not in public and b"Shown" in public


# Answers


def test_the_institution_answers_and_the_person_gets_it_by_email(
    world, programme, client_for, django_capture_on_commit_callbacks
):
    feedback = published(programme, email="resident@example.net")
    url = reverse("feedback:answer", args=[programme.pk, feedback.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.official).post(url, {"answer": "We fixed the e-mails."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answer == "We fixed the e-mails." and feedback.answered_by == world.official
    assert [m.to for m in mail.outbox] == [["resident@example.net"]]
    assert "We fixed the e-mails." in mail.outbox[0].body
    public = client_for(None).get(reverse("feedback:public", args=[programme.pk]))
    assert b"We fixed the e-mails." in public.content


def test_no_email_goes_out_without_an_address(world, programme, django_capture_on_commit_callbacks):
    feedback = published(programme)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_feedback(world.official, feedback, answer="Thank you.")
    assert mail.outbox == []


def test_feedback_is_answered_once_and_only_once_published(world, programme):
    waiting = FeedbackFactory.create(collaboration=programme)
    with pytest.raises(PermissionDenied):
        services.answer_feedback(world.official, waiting, answer="Too early.")
    feedback = published(programme)
    with pytest.raises(PermissionDenied):
        services.answer_feedback(world.civic_lead, feedback, answer="Not ours to answer.")
    services.answer_feedback(world.official, feedback, answer="First.")
    with pytest.raises(ValidationError, match="answered already"):
        services.answer_feedback(world.official, feedback, answer="Second.")
    feedback.refresh_from_db()
    assert feedback.answer == "First."


# Export, health, portfolio and what needs you


def test_the_csv_is_streamed_without_email_addresses(world, programme, client_for):
    published(programme, email="secret@example.net", worked="=HYPERLINK()")
    FeedbackFactory.create(collaboration=programme, email="other@example.net")
    response = client_for(world.civic_lead).get(reverse("feedback:export", args=[programme.pk]))
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    assert "@example.net" not in body
    assert body.count("\n") == 3  # the header and both, for the civic side
    assert "'=HYPERLINK()" in body
    official = client_for(world.official).get(reverse("feedback:export", args=[programme.pk]))
    assert b"".join(official.streaming_content).decode().count("\n") == 2


def test_health_counts_the_published_and_their_average(world, programme, client_for):
    published(programme, rating=5)
    published(programme, rating=2, answer="Sorry.", answered_at=timezone.now())
    FeedbackFactory.create(collaboration=programme, rating=1)
    health = health_of(programme)
    assert (health.published, health.average, health.waiting, health.unanswered) == (2, 3.5, 1, 1)
    page = client_for(world.official).get(reverse("feedback:feedback", args=[programme.pk]))
    assert b"3.5" in page.content


def test_the_portfolio_shows_the_feedback_count_and_average(world, programme, client_for):
    published(programme, rating=5)
    published(programme, rating=4)
    figures = portfolio_of(world.civic_lead, {world.civic.pk}, timezone.localdate()).room_figures
    by_label = {str(figure.label): figure for figure in figures}
    assert by_label["Beneficiaries' feedback"].value == 2
    assert by_label["Average rating by beneficiaries"].value == "4.5"
    overview = client_for(world.civic_lead).get(reverse("feedback:overview"))
    assert b"Permits online" in overview.content
    assert (
        b"Permits online"
        not in client_for(world.outsider).get(reverse("feedback:overview")).content
    )


def test_what_needs_you_asks_each_side_for_its_part(world, programme):
    FeedbackFactory.create(collaboration=programme)
    published(programme)
    civic = needs_you(Viewer.of(world.civic_lead))
    official = needs_you(Viewer.of(world.official))
    assert [line.kind for group in civic.groups for line in group.lines] == ["feedback_to_moderate"]
    assert [line.kind for group in official.groups for line in group.lines] == [
        "feedback_to_answer"
    ]
    # A programme lead named for the institution answers; its admin no longer sees it.
    Stakeholder.objects.create(
        collaboration=programme,
        person=world.fellow.person,
        organisation=world.institution,
        role=StakeholderRole.PROGRAMME_LEAD,
    )
    official = needs_you(Viewer.of(world.official))
    assert not [line for group in official.groups for line in group.lines]


# Query counts


def _count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_moderation_list_and_the_public_page_keep_their_queries_at_ten_times(
    world, programme, client_for
):
    service = services.add_service(world.civic_lead, programme, name="Booking")

    def grow(how_many: int) -> None:
        for _ in range(how_many):
            FeedbackFactory.create(collaboration=programme, service=service)
            published(
                programme,
                service=service,
                answer="Thanks",
                answered_at=timezone.now(),
                answered_by=world.official,
            )

    tab = reverse("feedback:feedback", args=[programme.pk])
    public = reverse("feedback:public", args=[programme.pk])
    overview = reverse("feedback:overview")
    civic, anyone = client_for(world.civic_lead), None
    grow(2)
    counts = (_count_queries(civic, tab), _count_queries(civic, overview))
    anyone = client_for(None)
    public_count = _count_queries(anyone, public)
    grow(20)
    assert _count_queries(anyone, public) == public_count
    civic = client_for(world.civic_lead)
    assert (_count_queries(civic, tab), _count_queries(civic, overview)) == counts
