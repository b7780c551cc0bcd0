"""The collaborations part of the demo workspace: three fellowships of Code for Australia
with Hobart City Council, at three stages.

- preparing: the MOU is drafted and signed by the civic side only; the fellow has not
  stated their willingness; the brief is written but not sent; the council's side rests
  on one person.
- active: both sides check in every fortnight, and lately they rate the collaboration
  very differently; the council owes its latest update; one obligation is overdue.
- closed: the work passed to two trained officials, both sides published a credit
  statement, a reform was achieved, and the council answered the six-month follow-up.

The people other than the personas are fictional. Everything is written through the
services, as users would, each step on the day it happened (`core/clock.py`), so every
date — signatures, check-ins, tasks done, approvals — fits the stage and the closing day.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.collaborations.choices import ObligationStatus, StakeholderRole, TrainingStatus
from civicbridge.collaborations.models import Agreement, Collaboration, FollowUp, Obligation
from civicbridge.collaborations.services import (
    agreement,
    checkins,
    credit,
    goals,
    handover,
    notes,
    people,
)
from civicbridge.collaborations.services.lifecycle import advance, create_collaboration
from civicbridge.core.clock import as_of
from civicbridge.partners import demo as partners_demo
from civicbridge.partners import services as partners
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Department, Organisation, Person

from . import services as fellowships


class Cast:
    """The demo's people and places, looked up once."""

    def __init__(self, admin, password: str) -> None:
        User = get_user_model()
        self.password = password
        self.lead = User.objects.get(email="lead@example.org")
        self.official = User.objects.get(email="official@example.org")
        self.fellow = User.objects.get(email="fellow@example.org")
        self.alex, self.sam, self.jordan = (
            Person.objects.get(user=user) for user in (self.lead, self.official, self.fellow)
        )
        self.civic = Organisation.objects.get(popolo_id=partners_demo.CIVIC_ORGANISATION)
        self.council = Organisation.objects.get(popolo_id=partners_demo.INSTITUTION)
        departments = {d.name: d for d in self.council.departments.all()}
        self.innovation = departments["City Innovation"]
        self.digital = departments["Digital Services"]
        self.customer = departments["Customer Service"]

        def official(name: str, role: str, department: Department) -> Person:
            return partners.create_person(
                admin, self.council, {"name": name}, role=role, department=department
            )

        def fellow(name: str, email: str) -> Person:
            return partners.create_person(
                admin,
                self.civic,
                {"name": name, "email": email},
                role="Fellow",
                access=Access.NONE,
            )

        self.priya = official("Priya Nair", "Innovation lead", self.innovation)
        self.tom = official("Tom Walsh", "Customer service team leader", self.customer)
        self.mei = official("Mei Chen", "Web developer", self.digital)
        self.riley = fellow("Riley Brooks", "riley.brooks@example.org")
        self.casey = fellow("Casey Nguyen", "casey.nguyen@example.org")


def load(admin, password: str) -> None:
    cast = Cast(admin, password)
    today = timezone.localdate()
    preparing(cast, today)
    active(cast, today)
    closed(cast, today)


def _fellowship(cast: Cast, title: str, summary: str, start: date, days: int, department):
    collaboration = create_collaboration(
        cast.lead,
        model="fellowship",
        title=title,
        summary=summary,
        civic_organisation=cast.civic,
        institution=cast.council,
        departments=[department],
        start_date=start,
        end_date=start + timedelta(days=days),
    )
    advance(cast.lead, collaboration)  # → preparing
    return collaboration


def _mou(cast: Cast, collaboration: Collaboration, obligations) -> None:
    agreement.update_terms(
        cast.lead,
        collaboration,
        purpose=(
            f"{cast.civic.name} places a fellow with {cast.council.name} to work with its "
            "officials on one public service, and to leave the council able to carry it on."
        ),
        terms=(
            "The fellowship runs for the dates above. Both sides give an update every "
            "fortnight. What the fellow builds belongs to the council and is published "
            "under an open licence. Either side may end the fellowship with 30 days' notice."
        ),
    )
    for party, description, owner, due in obligations:
        agreement.add_obligation(
            cast.lead,
            collaboration,
            party=party,
            description=description,
            owner=owner,
            due_date=due,
        )


def _sign(cast: Cast, collaboration: Collaboration, *signers) -> None:
    version = Agreement.objects.get(collaboration=collaboration).version
    for signer in signers:
        agreement.sign_agreement(signer, collaboration, version=version, password=cast.password)


def _placement(cast, collaboration, fellow: Person, supervisor: Person, department):
    return fellowships.create_or_update_placement(
        cast.lead,
        collaboration,
        fellow=fellow,
        supervisor=supervisor,
        host_department=department,
        start_date=collaboration.start_date,
        end_date=collaboration.end_date,
    )


def _brief(cast: Cast, placement, subject: str):
    return fellowships.save_brief(
        cast.official,
        placement,
        possibilities=(
            f"You can change how residents {subject}: the web team will publish what you "
            "make, and the customer service team will test it with callers."
        ),
        priorities=(
            "First, watch how requests arrive today. Then fix the most common one end to "
            "end before touching anything else."
        ),
        challenges=(
            "The case system is twenty years old and only two people know it well. Changes "
            "to forms need the legal team's sign-off, which takes two weeks."
        ),
    )


def _prepare(cast: Cast, placement) -> None:
    """Tick every preparation task on the day it was due."""
    for task in placement.preparation_tasks.order_by("-days_before_start", "pk"):
        with as_of(task.due_on, hour=16):
            fellowships.set_task_done(cast.lead, task, done=True)


def _check_ins(cast: Cast, collaboration: Collaboration, ratings, until: date) -> None:
    """Both sides' updates for each due date, as (civic rating, council rating or None),
    each given on its day: the programme lead in the morning, the council after lunch."""
    dates = collaboration.checkin_due_dates(until)
    for due, (civic_rating, council_rating) in zip(dates, ratings, strict=False):
        with as_of(due, hour=9):
            checkins.submit_checkin(
                cast.lead,
                collaboration,
                due,
                workflow="The fellow worked with the team on the next part of the service.",
                problems=""
                if civic_rating > 3
                else "Decisions wait for weeks; the fellow is idle.",
                quality=civic_rating,
                comment="",
            )
        if council_rating is not None:
            with as_of(due, hour=14):
                checkins.submit_checkin(
                    cast.official,
                    collaboration,
                    due,
                    workflow="Work is on plan; the team meets the fellow twice a week.",
                    problems="",
                    quality=council_rating,
                    comment="",
                )


def _obligations_done(cast: Cast, obligations) -> None:
    """Each obligation done on the day it was due."""
    for obligation in obligations.order_by("due_date", "pk"):
        with as_of(obligation.due_date, hour=15):
            agreement.set_obligation_status(cast.lead, obligation, status=ObligationStatus.DONE)


def preparing(cast: Cast, today: date) -> None:
    start = today + timedelta(days=45)
    collaboration = _fellowship(
        cast,
        "Online service requests fellowship",
        "A fellow helps Digital Services redesign how residents report problems online — "
        "potholes, bins, graffiti — so that fewer requests need a phone call.",
        start,
        180,
        cast.digital,
    )
    placement = _placement(cast, collaboration, cast.jordan, cast.sam, cast.digital)
    fellowships.record_statement(
        cast.official,
        placement,
        who="supervisor",
        text="We want to learn new ways of working from the fellow and will give them real "
        "problems, data and time with our team.",
    )
    _brief(cast, placement, "report problems")
    first_task = placement.preparation_tasks.order_by("-days_before_start").first()
    fellowships.set_task_done(cast.lead, first_task, done=True)
    people.add_stakeholder(
        cast.lead, collaboration, person=cast.alex, role=StakeholderRole.PROGRAMME_LEAD
    )
    _mou(
        cast,
        collaboration,
        [
            (
                cast.council,
                "Give the fellow a desk, a laptop and access to the request system.",
                cast.sam,
                start - timedelta(days=3),
            ),
            (
                cast.council,
                "Name a second official who will take the work over.",
                cast.sam,
                start + timedelta(days=30),
            ),
            (cast.civic, "Pay the fellow's stipend and insurance.", cast.alex, start),
            (
                cast.civic,
                "Hold a fortnightly check-in and report problems early.",
                cast.alex,
                start + timedelta(days=14),
            ),
        ],
    )
    _sign(cast, collaboration, cast.lead)


def active(cast: Cast, today: date) -> None:
    """Proposed four months before its start, agreed six weeks before, running for 103 days."""
    start = today - timedelta(days=103)
    with as_of(start - timedelta(days=120)):
        collaboration = _fellowship(
            cast,
            "Rates and payments fellowship",
            "A fellow works with City Innovation to let residents pay rates online without "
            "calling the council.",
            start,
            210,
            cast.innovation,
        )
        placement = _placement(cast, collaboration, cast.riley, cast.priya, cast.innovation)
        people.add_stakeholder(
            cast.official, collaboration, person=cast.tom, role=StakeholderRole.TECHNICAL_CONTACT
        )
        people.add_stakeholder(
            cast.official, collaboration, person=cast.sam, role=StakeholderRole.CHAMPION
        )
        _mou(
            cast,
            collaboration,
            [
                (
                    cast.council,
                    "Give the fellow read access to the rates system.",
                    cast.tom,
                    start + timedelta(days=7),
                ),
                (
                    cast.council,
                    "Decide on the online payment provider.",
                    cast.priya,
                    start + timedelta(days=60),
                ),
                (cast.civic, "Pay the fellow's stipend and insurance.", cast.alex, start),
                (
                    cast.civic,
                    "Publish the fellow's code under an open licence.",
                    cast.alex,
                    start + timedelta(days=200),
                ),
            ],
        )
    with as_of(start - timedelta(days=100)):
        fellowships.record_statement(
            cast.lead,
            placement,
            who="fellow",
            text="I want to make paying rates painless, and I am ready to learn how the "
            "council works.",
        )
    with as_of(start - timedelta(days=96)):
        fellowships.record_statement(
            cast.official,
            placement,
            who="supervisor",
            text="City Innovation will host Riley and open its payment data and its meetings.",
        )
    _prepare(cast, placement)
    with as_of(start - timedelta(days=52)):
        _sign(cast, collaboration, cast.lead)
    with as_of(start - timedelta(days=47)):
        _sign(cast, collaboration, cast.official)
    with as_of(start - timedelta(days=45)):
        advance(cast.lead, collaboration)  # → agreed
    with as_of(start - timedelta(days=24)):
        _brief(cast, placement, "pay their rates")
    with as_of(start - timedelta(days=20), hour=9):
        fellowships.deliver_brief(cast.official, placement)  # late: recorded as a risk
    with as_of(start, hour=9):
        advance(cast.official, collaboration)  # → active
    obligations = Obligation.objects.filter(agreement__collaboration=collaboration)
    _obligations_done(cast, obligations.filter(party=cast.civic, due_date__lte=today))

    # Good at first; then the fellow waits for decisions while the council sees no problem.
    ratings = [(4, 4), (4, 5), (3, 4), (3, 5), (2, 5), (2, 4), (2, None)]
    _check_ins(cast, collaboration, ratings, today)

    with as_of(start + timedelta(days=3)):
        goal = goals.add_goal(
            cast.lead,
            collaboration,
            kind="citizen_services",
            title="Residents pay rates online without calling the council.",
            visibility="public",
        )
        indicator = goals.add_indicator(
            cast.lead,
            goal,
            name="Share of rates paid online",
            unit="%",
            baseline=Decimal(38),
            target=Decimal(60),
        )
        goals.add_goal(
            cast.official,
            collaboration,
            kind="efficiency",
            title="Half as many rates calls to customer service.",
            visibility="own",
        )
    for days, value in ((30, 41), (60, 45), (90, 44)):
        with as_of(start + timedelta(days=days + 3)):
            goals.report_value(
                cast.official,
                indicator,
                period_end=start + timedelta(days=days),
                value=Decimal(value),
            )
    with as_of(start + timedelta(days=40)):
        credit.ask_reform(
            cast.lead,
            collaboration,
            title="Publish rates and payment data as open data.",
            champions=[cast.priya],
        )
    with as_of(start + timedelta(days=75)):
        handover.add_successor(
            cast.official,
            collaboration,
            person=cast.tom,
            takes_over="The payments page",
            training_status=TrainingStatus.IN_TRAINING,
        )
        handover.add_task(
            cast.official,
            collaboration,
            title="Write the runbook for the payments page.",
            owner=cast.riley,
            due_date=collaboration.end_date - timedelta(days=14),
        )
    with as_of(today - timedelta(days=9)):
        notes.add_note(
            cast.lead,
            collaboration,
            visibility="own",
            body="Riley says decisions on the provider keep slipping. Raise it with Priya, kindly.",
        )
    with as_of(today - timedelta(days=6)):
        notes.add_note(
            cast.official,
            collaboration,
            visibility="both",
            body="The provider decision goes to the finance committee next month.",
        )


def closed(cast: Cast, today: date) -> None:
    """Proposed five months before its start, run for five months and closed in ten days."""
    start = today - timedelta(days=400)
    end = start + timedelta(days=150)
    with as_of(start - timedelta(days=150)):
        collaboration = _fellowship(
            cast,
            "Planning permits fellowship",
            "A fellow worked with Customer Service and Digital Services to make applying for a "
            "planning permit understandable, and to publish the applications as open data.",
            start,
            150,
            cast.customer,
        )
        placement = _placement(cast, collaboration, cast.casey, cast.tom, cast.customer)
        people.add_stakeholder(
            cast.official, collaboration, person=cast.mei, role=StakeholderRole.TECHNICAL_CONTACT
        )
        people.add_stakeholder(
            cast.official, collaboration, person=cast.priya, role=StakeholderRole.CHAMPION
        )
        _mou(
            cast,
            collaboration,
            [
                (
                    cast.council,
                    "Give the fellow access to the permit system.",
                    cast.tom,
                    start + timedelta(days=7),
                ),
                (
                    cast.council,
                    "Train two officials to run the new guide.",
                    cast.tom,
                    start + timedelta(days=140),
                ),
                (cast.civic, "Pay the fellow's stipend and insurance.", cast.alex, start),
            ],
        )
    with as_of(start - timedelta(days=130)):
        fellowships.record_statement(
            cast.lead,
            placement,
            who="fellow",
            text="Planning is where residents meet the council "
            "at its most confusing; I want to change that.",
        )
    with as_of(start - timedelta(days=125)):
        fellowships.record_statement(
            cast.official,
            placement,
            who="supervisor",
            text="Customer Service answers these calls every day and wants them to stop.",
        )
    _prepare(cast, placement)
    with as_of(start - timedelta(days=56)):
        _sign(cast, collaboration, cast.lead)
    with as_of(start - timedelta(days=52)):
        _sign(cast, collaboration, cast.official)
    with as_of(start - timedelta(days=50)):
        advance(cast.lead, collaboration)  # → agreed
    with as_of(start - timedelta(days=44)):
        _brief(cast, placement, "apply for planning permits")
    with as_of(start - timedelta(days=40), hour=9):
        fellowships.deliver_brief(cast.official, placement)
    with as_of(start, hour=9):
        advance(cast.official, collaboration)  # → active
    _obligations_done(cast, Obligation.objects.filter(agreement__collaboration=collaboration))
    ratings = [(4, 4), (4, 4), (5, 4), (4, 5), (5, 5), (4, 4), (5, 4), (5, 5), (4, 4), (5, 5)]
    _check_ins(cast, collaboration, ratings, end)

    with as_of(start + timedelta(days=4)):
        goal = goals.add_goal(
            cast.lead,
            collaboration,
            kind="citizen_services",
            title="Residents understand how to apply for a planning permit.",
            visibility="public",
        )
        indicator = goals.add_indicator(
            cast.lead,
            goal,
            name="Calls to customer service about planning, per week",
            baseline=Decimal(120),
            target=Decimal(60),
        )
    for days, value in ((60, 104), (120, 71), (150, 58)):
        with as_of(start + timedelta(days=days + 2)):
            goals.report_value(
                cast.official,
                indicator,
                period_end=start + timedelta(days=days),
                value=Decimal(value),
            )
    with as_of(start + timedelta(days=20)):
        reform = credit.ask_reform(
            cast.lead,
            collaboration,
            title="Publish planning applications as open data.",
            visibility="public",
            champions=[cast.priya, cast.tom],
        )
    with as_of(start + timedelta(days=70)):
        credit.update_reform(cast.lead, reform, status="agreed")
    with as_of(start + timedelta(days=140)):
        credit.update_reform(cast.lead, reform, status="achieved")
    with as_of(end - timedelta(days=30)):
        for person in (cast.mei, cast.tom):
            handover.add_successor(
                cast.official,
                collaboration,
                person=person,
                takes_over="The planning guide",
                training_status=TrainingStatus.TRAINED,
            )
        tasks = [
            handover.add_task(cast.official, collaboration, title=title, owner=cast.casey)
            for title in (
                "Hand over the guide's source and the open data pipeline.",
                "Run two training sessions for Customer Service.",
            )
        ]
    with as_of(end - timedelta(days=14)):
        # → closing, two weeks before the end as both sides planned: a move confirmed early
        advance(cast.lead, collaboration, early=True)
    for days_before_end, task in zip((8, 3), tasks, strict=True):
        with as_of(end - timedelta(days=days_before_end), hour=16):
            handover.complete_task(cast.official, task)
    with as_of(end - timedelta(days=1)):
        statement = credit.draft_credit(
            cast.lead,
            collaboration,
            text="Hobart City Council made applying for a planning permit clearer for every "
            "resident, and publishes every application as open data.",
            government_contribution="Two officials' time for five months, the permit data, "
            "and the decision to publish it openly.",
        )
        credit.approve_credit(cast.lead, statement)
    with as_of(end + timedelta(days=4)):
        credit.approve_credit(cast.official, statement)
    with as_of(end + timedelta(days=10)):
        advance(cast.official, collaboration)  # → closed, which plans the follow-ups
        collaboration.public = True
        collaboration.save(update_fields=["public", "updated_at"])
    six_months = FollowUp.objects.get(collaboration=collaboration, months_after=6)
    with as_of(six_months.due_on + timedelta(days=4)):
        handover.answer_follow_up(
            six_months.token,
            answer="yes",
            answered_by="Tom Walsh",
            evidence="Mei updates the guide every month; calls about planning stay below 60 "
            "a week.",
        )
