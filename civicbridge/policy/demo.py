"""The policy development part of the demo workspace: two collaborations of Code for
Australia with Hobart City Council.

- active: towards more agile procurement. The change sought — challenge-based procurement
  for digital services — went from draft to consultation; the civic side submitted its
  response; the action plan's commitments have milestones, one of them overdue.
- closed: open contracting in council purchasing, a year earlier, whose commitments ended at
  mixed completion, each assessed with evidence, and whose change of rule is in force.

Everything is written through the services on the day it happened (`core/clock.py`). The
people other than the personas, and the rules, are fictional.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from civicbridge.collaborations.choices import Completion, PracticeChange, StakeholderRole
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import credit, people
from civicbridge.collaborations.services.lifecycle import advance, create_collaboration
from civicbridge.core.clock import as_of
from civicbridge.partners import demo as partners_demo
from civicbridge.partners.models import Organisation, Person

from . import services
from .choices import Instrument, PolicyStage

# A one-page PDF: the demo's consultation response as the civic side submitted it.
RESPONSE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class Cast:
    def __init__(self) -> None:
        User = get_user_model()
        self.lead = User.objects.get(email="lead@example.org")
        self.official = User.objects.get(email="official@example.org")
        self.sam = Person.objects.get(user=self.official)
        self.civic = Organisation.objects.get(popolo_id=partners_demo.CIVIC_ORGANISATION)
        self.council = Organisation.objects.get(popolo_id=partners_demo.INSTITUTION)


def load(admin, password: str) -> None:
    cast = Cast()
    today = timezone.localdate()
    active(cast, today)
    closed(cast, today)


def _policy(cast: Cast, title: str, summary: str, start: date, days: int) -> Collaboration:
    collaboration = create_collaboration(
        cast.lead,
        model="policy",
        title=title,
        summary=summary,
        civic_organisation=cast.civic,
        institution=cast.council,
        start_date=start,
        end_date=start + timedelta(days=days),
    )
    people.add_stakeholder(
        cast.official, collaboration, person=cast.sam, role=StakeholderRole.DECISION_MAKER
    )
    advance(cast.lead, collaboration)  # → preparing
    advance(cast.lead, collaboration)  # → agreed
    return collaboration


def _commitment(cast, collaboration, identifier, title, start, end, milestones):
    commitment = services.save_commitment(
        cast.lead,
        collaboration,
        identifier=identifier,
        title=title,
        country="Hobart",
        start_date=start,
        end_date=end,
        lead_institution=cast.council,
    )
    for milestone, due in milestones:
        services.add_milestone(cast.lead, commitment, title=milestone, due_on=due)
    return commitment


def active(cast: Cast, today: date) -> None:
    """Running for 150 days: the change is out for consultation, the plan under way."""
    start = today - timedelta(days=150)
    with as_of(start - timedelta(days=30)):
        collaboration = _policy(
            cast,
            "Towards agile procurement",
            "Code for Australia and the council change the council's purchasing rules so that "
            "small digital services can be bought in weeks, not months.",
            start,
            365,
        )
    with as_of(start, hour=9):
        advance(cast.official, collaboration)  # → active
    with as_of(start + timedelta(days=20)):
        change = services.add_policy_change(
            cast.lead,
            collaboration,
            title="Allow challenge-based procurement for digital services",
            instrument=Instrument.PROCUREMENT_RULE,
            current_text="Every purchase above AUD 100,000 goes to an open tender of at least "
            "six weeks.",
            proposed_change="Digital services up to AUD 250,000 may be bought through a "
            "challenge: the council publishes a problem, suppliers show working prototypes, "
            "the best is contracted.",
            deciding_body="Hobart City Council, full council meeting",
            on=start + timedelta(days=20),
            source_text="Draft purchasing policy amendment, version 1, circulated to the "
            "council's procurement working group.",
        )
    with as_of(start + timedelta(days=80)):
        services.move_policy_change(
            cast.official,
            change,
            from_stage=PolicyStage.DRAFT,
            stage=PolicyStage.CONSULTATION,
            on=start + timedelta(days=80),
            source_url="https://example.org/hobart/consultations/purchasing-policy",
        )
    with as_of(start + timedelta(days=100)):
        services.add_response(
            cast.lead,
            change,
            title="Code for Australia's response to the purchasing policy consultation",
            submitted_on=start + timedelta(days=100),
            summary="We support the challenge route and ask for a published shortlist and a "
            "cap on the time from challenge to contract.",
            file=ContentFile(RESPONSE_PDF, name="response-purchasing-policy.pdf"),
        )
    with as_of(start + timedelta(days=30)):
        portal = _commitment(
            cast,
            collaboration,
            "HOB-2026-01",
            "Publish every council contract above AUD 10,000 in open contracting format",
            start + timedelta(days=30),
            start + timedelta(days=330),
            [
                ("Agree the fields to publish", start + timedelta(days=60)),
                ("First contracts published", start + timedelta(days=140)),
                ("All contracts since 2020 published", start + timedelta(days=300)),
            ],
        )
        _commitment(
            cast,
            collaboration,
            "HOB-2026-02",
            "Train the purchasing team in challenge-based procurement",
            start + timedelta(days=30),
            start + timedelta(days=300),
            [("First training day", start + timedelta(days=200))],
        )
    first = portal.milestones.order_by("due_on").first()
    with as_of(start + timedelta(days=58)):
        services.set_milestone_done(cast.official, first, done_on=start + timedelta(days=58))
        services.assess_commitment(
            cast.official,
            portal,
            from_completion=Completion.NOT_STARTED,
            completion=Completion.LIMITED,
            on=start + timedelta(days=58),
            evidence="The fields to publish were agreed at the working group of week 8.",
        )


def closed(cast: Cast, today: date) -> None:
    """A year's work that ended four months ago, its commitments at mixed completion."""
    start = today - timedelta(days=500)
    end = start + timedelta(days=365)
    with as_of(start - timedelta(days=20)):
        collaboration = _policy(
            cast,
            "Open contracting in council purchasing",
            "The council's first action plan of open government commitments on purchasing.",
            start,
            365,
        )
    with as_of(start, hour=9):
        advance(cast.official, collaboration)  # → active
    with as_of(start + timedelta(days=10)):
        change = services.add_policy_change(
            cast.lead,
            collaboration,
            title="Publish contract award notices within 30 days",
            instrument=Instrument.REGULATION,
            current_text="Award notices are kept on file and given on request.",
            proposed_change="Every award notice is published on the council's website within "
            "30 days of the award.",
            deciding_body="General manager of Hobart City Council",
            on=start + timedelta(days=10),
            source_text="Draft instruction to purchasing staff.",
        )
        plan = [
            (
                "HOB-2025-01",
                "Publish contract award notices online",
                Completion.COMPLETE,
                PracticeChange.MAJOR,
            ),
            (
                "HOB-2025-02",
                "Open the council's spending data every quarter",
                Completion.SUBSTANTIAL,
                PracticeChange.MARGINAL,
            ),
            (
                "HOB-2025-03",
                "Involve residents in choosing what the council buys first",
                Completion.LIMITED,
                PracticeChange.DID_NOT_CHANGE,
            ),
            (
                "HOB-2025-04",
                "Register the beneficial owners of council suppliers",
                Completion.NOT_STARTED,
                "",
            ),
        ]
        commitments = [
            (
                _commitment(
                    cast,
                    collaboration,
                    identifier,
                    title,
                    start + timedelta(days=10),
                    end,
                    [("Halfway review", start + timedelta(days=180))],
                ),
                completion,
                practice,
            )
            for identifier, title, completion, practice in plan
        ]
    for moved, stage, days in (
        (PolicyStage.DRAFT, PolicyStage.ADOPTED, 90),
        (PolicyStage.ADOPTED, PolicyStage.IN_FORCE, 120),
    ):
        with as_of(start + timedelta(days=days)):
            services.move_policy_change(
                cast.official,
                change,
                from_stage=moved,
                stage=stage,
                on=start + timedelta(days=days),
                source_url="https://example.org/hobart/instructions/award-notices",
            )
    with as_of(end - timedelta(days=5)):
        for commitment, completion, practice in commitments:
            for milestone in commitment.milestones.all():
                services.set_milestone_done(
                    cast.official, milestone, done_on=start + timedelta(days=175)
                )
            if completion != Completion.NOT_STARTED or practice:
                services.assess_commitment(
                    cast.official,
                    commitment,
                    from_completion=Completion.NOT_STARTED,
                    completion=completion,
                    practice_change=practice,
                    on=end - timedelta(days=5),
                    evidence="End-of-term review by both sides, minutes of the closing meeting.",
                )
        statement = credit.draft_credit(
            cast.lead,
            collaboration,
            text="Hobart City Council opened its purchasing: award notices are public.",
            government_contribution="The council's purchasing team changed how it works.",
        )
        credit.approve_credit(cast.lead, statement)
        credit.approve_credit(cast.official, statement)
    with as_of(end):
        advance(cast.lead, collaboration)  # → closing
        advance(cast.official, collaboration)  # → closed
