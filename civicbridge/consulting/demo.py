"""The consulting part of the demo workspace: two engagements of Code for Australia with
Hobart City Council.

- active: the council asked how to give residents one digital front door. The discovery
  report was accepted after changes; the service prototype waits for the council's
  decision; the staff workshop is due within the week and not held yet. Three
  recommendations at mixed adoption, one without an owner, one not followed for months.
- closed: a review of the council's open data practice. Both deliverables accepted, an
  owner for every recommendation, the credit agreed by both sides; its recommendations are
  followed after the close, from complete (a major change of practice) to withdrawn.

The people other than the personas are fictional. Everything is written through the
services on the day it happened (`core/clock.py`).
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import credit
from civicbridge.collaborations.services.lifecycle import advance, create_collaboration
from civicbridge.core.clock import as_of
from civicbridge.partners import demo as partners_demo
from civicbridge.partners import services as partners
from civicbridge.partners.models import Organisation, Person

from . import services
from .choices import DeliverableStatus
from .models import Deliverable, Recommendation


class Cast:
    """The demo's people and places, looked up once."""

    def __init__(self, admin) -> None:
        User = get_user_model()
        self.lead = User.objects.get(email="lead@example.org")
        self.official = User.objects.get(email="official@example.org")
        self.civic = Organisation.objects.get(popolo_id=partners_demo.CIVIC_ORGANISATION)
        self.council = Organisation.objects.get(popolo_id=partners_demo.INSTITUTION)
        departments = {d.name: d for d in self.council.departments.all()}

        def official(name: str, role: str, department: str) -> Person:
            return partners.create_person(
                admin, self.council, {"name": name}, role=role, department=departments[department]
            )

        self.nadia = official("Nadia Rahman", "Customer experience manager", "Customer Service")
        self.owen = official("Owen Price", "Open data officer", "Digital Services")
        self.grace = official("Grace Liu", "Records manager", "City Innovation")


def load(admin, password: str) -> None:
    cast = Cast(admin)
    today = timezone.localdate()
    active(cast, today)
    closed(cast, today)


def _file(name: str, words: str) -> SimpleUploadedFile:
    """A small PDF standing for the advice, as the civic organisation would send it."""
    body = f"%PDF-1.4\n% {words}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    return SimpleUploadedFile(name, body.encode())


def _engagement(cast: Cast, title: str, summary: str, start: date, end: date) -> Collaboration:
    collaboration = create_collaboration(
        cast.lead,
        model="consulting",
        title=title,
        summary=summary,
        civic_organisation=cast.civic,
        institution=cast.council,
        start_date=start,
        end_date=end,
    )
    for _stage in ("preparing", "agreed"):
        advance(cast.lead, collaboration)
    return collaboration


def _send(cast: Cast, deliverable: Deliverable, name: str, note: str = "") -> None:
    deliverable.refresh_from_db()
    services.submit_version(
        cast.lead,
        deliverable,
        from_status=deliverable.status,
        file=_file(name, deliverable.title),
        note=note,
    )


def _accept(cast: Cast, deliverable: Deliverable) -> None:
    deliverable.refresh_from_db()
    services.accept_deliverable(cast.official, deliverable, from_status=deliverable.status)


def _adopt(actor, recommendation: Recommendation, completion, change, evidence, url="") -> None:
    services.record_adoption(
        actor,
        recommendation,
        completion=completion,
        practice_change=change,
        evidence=evidence,
        evidence_url=url,
    )


def active(cast: Cast, today: date) -> None:
    """Started four months ago; the council owes a decision and an owner."""
    start = today - timedelta(days=120)
    with as_of(start - timedelta(days=20)):
        collaboration = _engagement(
            cast,
            "One digital front door for residents",
            "Code for Australia advises Hobart City Council on bringing its online forms, "
            "phone lines and counters into one front door for residents.",
            start,
            today + timedelta(days=60),
        )
        services.save_engagement(
            cast.official,
            collaboration,
            scope="How residents reach the council today, and what one front door for "
            "requests, permits and complaints would take. Payments are left out.",
            questions=[
                "Which requests do residents make most, and through which channel?",
                "What stops us from answering a request online from start to end?",
                "What should we build first, and what should we buy?",
            ],
        )
    with as_of(start):
        advance(cast.official, collaboration)  # → active
        discovery = services.add_deliverable(
            cast.lead,
            collaboration,
            title="Discovery report",
            kind="report",
            due_on=start + timedelta(days=45),
            description="How residents reach the council, from the call logs and interviews.",
        )
        prototype = services.add_deliverable(
            cast.lead,
            collaboration,
            title="Front door prototype",
            kind="prototype",
            due_on=today - timedelta(days=5),
        )
        workshop = services.add_deliverable(
            cast.lead,
            collaboration,
            title="Workshop with customer service staff",
            kind="workshop",
            due_on=today + timedelta(days=5),
        )
    with as_of(start + timedelta(days=44)):
        _send(cast, discovery, "discovery-report.pdf")
    with as_of(start + timedelta(days=50)):
        services.ask_changes(
            cast.official,
            discovery,
            from_status=DeliverableStatus.SUBMITTED,
            comment="The report counts phone calls but not the counter: add the counter "
            "visits from the customer service log before we accept it.",
        )
    with as_of(start + timedelta(days=58)):
        _send(cast, discovery, "discovery-report-v2.pdf", note="Counter visits added (ch. 2).")
    with as_of(start + timedelta(days=62)):
        _accept(cast, discovery)
        recommendations = [
            services.add_recommendation(
                cast.lead,
                collaboration,
                deliverable=discovery,
                title=title,
                finding=finding,
                priority=priority,
                owner=owner,
            )
            for title, finding, priority, owner in (
                (
                    "Answer the five most common requests online from start to end.",
                    "Five requests make up 60% of calls and counter visits, and each ends in "
                    "a paper form.",
                    "high",
                    cast.nadia,
                ),
                (
                    "Publish the request categories and their service levels.",
                    "Residents call again to ask where their request is: nobody told them "
                    "how long it takes.",
                    "medium",
                    cast.owen,
                ),
                (
                    "Give one team the ownership of the front door.",
                    "Four departments each run part of the way in, and none owns the whole.",
                    "high",
                    None,
                ),
            )
        ]
    with as_of(start + timedelta(days=70)):
        _adopt(
            cast.official,
            recommendations[0],
            "limited",
            "marginal",
            "Two of the five requests (bin repairs, missed collections) can be made online "
            "from start to end since this week.",
        )
    with as_of(start + timedelta(days=100)):
        _adopt(
            cast.official,
            recommendations[0],
            "substantial",
            "major",
            "Four of the five requests are online from start to end; counter visits for "
            "them halved.",
        )
    with as_of(today - timedelta(days=3)):
        _send(
            cast,
            prototype,
            "front-door-prototype.pdf",
            note="Slides and the clickable prototype's link.",
        )
    assert workshop.status == DeliverableStatus.PLANNED  # due within the week: a reminder


def closed(cast: Cast, today: date) -> None:
    """A four-month review, closed two months ago and followed since."""
    start = today - timedelta(days=240)
    end = start + timedelta(days=120)
    with as_of(start - timedelta(days=14)):
        collaboration = _engagement(
            cast,
            "Review of the council's open data practice",
            "Code for Australia reviewed how Hobart City Council publishes its data, and "
            "recommended what to change.",
            start,
            end,
        )
        services.save_engagement(
            cast.official,
            collaboration,
            scope="The datasets the council publishes, how they are chosen, kept and used.",
            questions=[
                "Which of our datasets are used, and by whom?",
                "What should we publish next?",
            ],
        )
    with as_of(start):
        advance(cast.official, collaboration)  # → active
        review = services.add_deliverable(
            cast.lead,
            collaboration,
            title="Open data review",
            kind="review",
            due_on=start + timedelta(days=60),
        )
        workshop = services.add_deliverable(
            cast.lead,
            collaboration,
            title="Open data workshop for data owners",
            kind="workshop",
            due_on=start + timedelta(days=100),
        )
    with as_of(start + timedelta(days=58)):
        _send(cast, review, "open-data-review.pdf")
    with as_of(start + timedelta(days=64)):
        _accept(cast, review)
        recommendations = [
            services.add_recommendation(
                cast.lead,
                collaboration,
                deliverable=review,
                title=title,
                finding=finding,
                priority=priority,
                owner=owner,
            )
            for title, finding, priority, owner in (
                (
                    "Publish planning applications weekly as open data.",
                    "Planning applications are the most requested data and are sent by "
                    "e-mail on request.",
                    "high",
                    cast.owen,
                ),
                (
                    "Name an owner for every published dataset.",
                    "Half of the datasets have not been updated for two years; nobody is "
                    "named to keep them.",
                    "high",
                    cast.grace,
                ),
                (
                    "Ask users before choosing the next datasets.",
                    "Datasets are chosen by what is easy to export, not by who needs them.",
                    "medium",
                    cast.owen,
                ),
                (
                    "Move the data portal to a new platform.",
                    "The portal's software is out of support.",
                    "low",
                    cast.grace,
                ),
            )
        ]
    with as_of(start + timedelta(days=98)):
        _send(cast, workshop, "workshop-notes.pdf", note="Notes and the attendance list.")
    with as_of(start + timedelta(days=101)):
        _accept(cast, workshop)
    with as_of(end - timedelta(days=10)):
        # → closing, ten days before the planned end, as both sides agreed
        advance(cast.lead, collaboration, early=True)
        statement = credit.draft_credit(
            cast.lead,
            collaboration,
            text="Hobart City Council reviewed how it publishes its data and now publishes "
            "planning applications every week.",
            government_contribution="The open data officer's and the records manager's time, "
            "and the decision to publish planning applications openly.",
        )
        credit.approve_credit(cast.lead, statement)
    with as_of(end - timedelta(days=6)):
        credit.approve_credit(cast.official, statement)
    with as_of(end - timedelta(days=5)):
        _adopt(
            cast.official,
            recommendations[0],
            "substantial",
            "marginal",
            "The first planning applications are published; the weekly export is being automated.",
        )
        _adopt(
            cast.official,
            recommendations[3],
            "withdrawn",
            "did_not_change",
            "The state government will host council data from next year: no move needed.",
        )
    with as_of(end):
        advance(cast.official, collaboration)  # → closed
        collaboration.public = True
        collaboration.save(update_fields=["public", "updated_at"])
    with as_of(end + timedelta(days=30)):
        _adopt(
            cast.official,
            recommendations[0],
            "complete",
            "major",
            "Planning applications are published every Monday, automatically.",
            "https://data.example.org/hobart/planning-applications",
        )
        _adopt(
            cast.lead,
            recommendations[1],
            "limited",
            "did_not_change",
            "Owners are named for 12 of 40 datasets.",
        )
