"""The training part of the demo workspace: Code for Australia trains twelve officials of
Hobart City Council, from three departments, in open data (T1).

The programme is *active*: its two modules were taught in three sessions over the last two
months; every participant rated their capacity before the first session and after the
last, so the capacity tab shows the change per objective and per department. One alumna
champions a reform in the ledger. Sam Okafor, the council's persona, takes part, so their
own page shows their seats and answers.

Everything is written through the services, each step on the day it happened
(`core/clock.py`); the other officials are fictional.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import credit
from civicbridge.collaborations.services.lifecycle import advance, create_collaboration
from civicbridge.core.clock import as_of
from civicbridge.partners import demo as partners_demo
from civicbridge.partners import services as partners
from civicbridge.partners.models import Organisation, Person

from .choices import Moment
from .models import Participant, Session
from .services import capacity, curriculum, participants, sessions

TITLE = "Open data for council officers"
STARTED_DAYS_AGO = 110

# With Sam Okafor of Digital Services: five, five and two, so the capacity tab breaks down
# two departments and keeps the third, too small to protect its two people, back.
OFFICIALS = {
    "City Innovation": ["Priya Anand", "Luke Barrett", "Grace Oduya", "Hamish Reid", "Ivy Lam"],
    "Digital Services": ["Nina Petrovic"],
    "Customer Service": ["Ben Moretti", "Chloe Tan", "Dylan Hughes", "Ella Fitzgerald", "Raj Iyer"],
}

MODULES = [
    (
        "Open data basics",
        "What open data is, what the council may publish, and under which licence.",
        True,
        ["Explain what makes data open", "Choose a licence for a dataset"],
    ),
    (
        "Publishing and using data",
        "Publish a first dataset on the portal and answer residents' questions with data.",
        True,
        ["Publish a dataset with its description", "Answer a resident's question with data"],
    ),
]

# Three sessions: days after the start, and the modules (by index) each covers.
SESSIONS = [
    ("Day 1: open data basics", 50, [0]),
    ("Day 2: publishing in practice", 65, [1]),
    ("Day 3: using data with residents", 80, [1]),
]


def load(admin, password: str) -> None:
    User = get_user_model()
    lead = User.objects.get(email="lead@example.org")
    official = User.objects.get(email="official@example.org")
    civic = Organisation.objects.get(popolo_id=partners_demo.CIVIC_ORGANISATION)
    council = Organisation.objects.get(popolo_id=partners_demo.INSTITUTION)
    start = timezone.localdate() - timedelta(days=STARTED_DAYS_AGO)
    with as_of(start):
        programme = create_collaboration(
            lead,
            model="training",
            title=TITLE,
            summary=(
                "Three days of training for officers of three departments: what open data "
                "is, how to publish it, and how to answer residents' questions with it."
            ),
            civic_organisation=civic,
            institution=council,
            start_date=start,
            end_date=start + timedelta(days=150),
            public=True,  # residents who ask officers for data may say how it went
        )
        advance(lead, programme)  # → preparing
        objectives = _curriculum(lead, programme)
    people = _officials(admin, council, official)
    with as_of(start + timedelta(days=7)):
        enrolled = [
            participants.add_participant(lead, programme, person=person) for person in people
        ]
        advance(lead, programme)  # → agreed: officials from three departments
    days = _sessions(lead, programme, start)
    for number, participant in enumerate(enrolled):
        with as_of(start + timedelta(days=20 + number)):
            _rate(participant, Moment.BEFORE, objectives, number)
    with as_of(start + timedelta(days=40)):
        advance(lead, programme)  # → active: capacity measured before the first session
    _attend(lead, days, enrolled)
    last = days[-1].starts_at.date()
    for number, participant in enumerate(enrolled):
        with as_of(last + timedelta(days=1 + number % 5), hour=15):
            _rate(participant, Moment.AFTER, objectives, number)
    _reformer(lead, programme, enrolled[1], last + timedelta(days=10))


def _curriculum(lead, programme: Collaboration) -> list:
    objectives = []
    for title, summary, required, texts in MODULES:
        module = curriculum.add_module(
            lead, programme, title=title, summary=summary, required=required
        )
        objectives += [curriculum.add_objective(lead, module, text=text) for text in texts]
    return objectives


def _officials(admin, council: Organisation, official) -> list[Person]:
    """Sam Okafor, the council's persona, and eleven fictional officers, by department."""
    departments = {d.name: d for d in council.departments.all()}
    people = [Person.objects.get(user=official)]
    for department, names in OFFICIALS.items():
        people += [
            partners.create_person(
                admin, council, {"name": name}, role="Officer", department=departments[department]
            )
            for name in names
        ]
    return people


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _sessions(lead, programme: Collaboration, start: date) -> list[Session]:
    modules = list(programme.training_modules.all())
    planned = []
    with as_of(start + timedelta(days=10)):
        for title, after, covers in SESSIONS:
            day = start + timedelta(days=after)
            planned.append(
                sessions.add_session(
                    lead,
                    programme,
                    title=title,
                    starts_at=_at(day, 9),
                    ends_at=_at(day, 13),
                    capacity=15,
                    place="Town Hall, Elizabeth Room, Macquarie Street, Hobart",
                    modules=[modules[index] for index in covers],
                    trainers=[lead.person],
                )
            )
    return planned


def _attend(lead, days: list[Session], enrolled: list[Participant]) -> None:
    """Everyone is invited and registers; on each day one or two do not come."""
    first = days[0].starts_at.date() - timedelta(days=14)
    with as_of(first):
        for day in days:
            sessions.invite(lead, day, enrolled)
            for participant in enrolled:
                sessions.register(lead, day, participant)
    for number, day in enumerate(days):
        missing = {enrolled[(3 * number + 5) % 12].pk}
        if number == 1:
            missing.add(enrolled[10].pk)
        with as_of(day.starts_at.date(), hour=13):
            sessions.take_attendance(lead, day, [p.pk for p in enrolled if p.pk not in missing])


def _rate(participant: Participant, moment: str, objectives: list, number: int) -> None:
    """Lower before, higher after; each participant and objective a little different."""
    assessment = participant.self_assessments.get(moment=moment)
    scores = {}
    for index, objective in enumerate(objectives):
        spread = (number + index) % 3
        scores[objective.pk] = 1 + spread if moment == Moment.BEFORE else 3 + (spread + 1) % 3
    capacity.answer_self_assessment(assessment, scores, answered_at=timezone.now())


def _reformer(lead, programme: Collaboration, alumna: Participant, day: date) -> None:
    """An alumna champions a reform of the ledger: the programme lists what she changed."""
    with as_of(day):
        reform = credit.ask_reform(
            lead,
            programme,
            title="Publish the council's pothole reports as open data every month",
            description="Asked by the officers after the second day of training.",
        )
        participants.name_champion(lead, alumna, reform)
