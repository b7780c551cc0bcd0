"""Reads the training pages and the API share, each in a fixed number of queries."""

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from civicbridge.collaborations.models import Collaboration, Reform
from civicbridge.collaborations.permissions import visible_records

from .choices import FOLLOW_UP_MONTHS, TAKING_A_PLACE, Moment, SeatStatus
from .models import (
    Certificate,
    CertificateRun,
    Module,
    Objective,
    Participant,
    Rating,
    Seat,
    SelfAssessment,
    Session,
)

# A group with fewer answers than this is not broken down, so no one's answer can be told.
SMALLEST_GROUP = 5
BOOLEAN = BooleanField()


def curriculum(collaboration: Collaboration) -> QuerySet[Module]:
    """The modules in order, each with its objectives in order."""
    return collaboration.training_modules.prefetch_related("objectives")


def sessions(collaboration: Collaboration) -> QuerySet[Session]:
    """The sessions in time order, with their modules, trainers and how many seats are taken,
    how many invited and how many attended."""
    return collaboration.training_sessions.annotate(
        taken=Count("seats", filter=Q(seats__status__in=TAKING_A_PLACE)),
        invited=Count("seats", filter=Q(seats__status=SeatStatus.INVITED)),
        attended=Count("seats", filter=Q(seats__status=SeatStatus.ATTENDED)),
    ).prefetch_related("modules", "trainers")


def seats_of(session: Session) -> QuerySet[Seat]:
    """The seats of a session, by the participant's name, for the attendance sheet."""
    return session.seats.select_related("participant__person", "participant__department").order_by(
        "participant__person__name", "participant_id"
    )


def required_module_count(collaboration: Collaboration) -> int:
    return collaboration.training_modules.filter(required=True).count()


def with_progress(queryset: QuerySet[Participant], required: int) -> QuerySet[Participant]:
    """Participants with how many sessions they attended, how many required modules those
    covered, whether each self-assessment is answered, and whether they earned the
    certificate: every required module covered (or, without required modules, a session)."""
    answered = SelfAssessment.objects.filter(participant=OuterRef("pk"), answered_at__isnull=False)
    queryset = queryset.annotate(
        attended=Count("seats", filter=Q(seats__status=SeatStatus.ATTENDED), distinct=True),
        covered=Count(
            "seats__session__modules",
            filter=Q(seats__status=SeatStatus.ATTENDED, seats__session__modules__required=True),
            distinct=True,
        ),
        before_done=Exists(answered.filter(moment=Moment.BEFORE)),
        after_done=Exists(answered.filter(moment=Moment.AFTER)),
        has_certificate=Exists(Certificate.objects.filter(participant=OuterRef("pk"))),
    )
    if required:
        return queryset.annotate(earned=ExpressionWrapper(Q(covered__gte=required), BOOLEAN))
    return queryset.annotate(earned=ExpressionWrapper(Q(attended__gte=1), BOOLEAN))


def participants(collaboration: Collaboration) -> QuerySet[Participant]:
    """The participants by name, with their department, progress and certificate."""
    return (
        with_progress(
            collaboration.training_participants.all(), required_module_count(collaboration)
        )
        .select_related("person", "department")
        .order_by("person__name", "pk")
    )


def eligible(collaboration: Collaboration) -> QuerySet[Participant]:
    """The participants who earned the certificate."""
    return participants(collaboration).filter(earned=True)  # type: ignore[misc]


def departments_count(collaboration: Collaboration) -> int:
    """How many departments the participants come from."""
    return (
        collaboration.training_participants.exclude(department=None)
        .values("department")
        .distinct()
        .count()
    )


def certificate_of(participant: Participant) -> Certificate | None:
    """The participant's certificate, once made."""
    return Certificate.objects.filter(participant=participant).first()


def own_seats(participant: Participant) -> QuerySet[Seat]:
    return participant.seats.select_related("session").order_by("session__starts_at")


def own_assessments(participant: Participant) -> QuerySet[SelfAssessment]:
    return participant.self_assessments.order_by("id")


# Capacity: the change per objective and per department, with its spread.


@dataclass
class Spread:
    """How a group answered: its count, and its minimum, quartiles and maximum."""

    count: int
    low: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    high: float | None = None

    @property
    def shown(self) -> bool:
        return self.count >= SMALLEST_GROUP


def spread(values: Sequence[float]) -> Spread:
    """The spread of a group's values, kept back (count only) below SMALLEST_GROUP."""
    if len(values) < SMALLEST_GROUP:
        return Spread(len(values))
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), min(values), q1, median, q3, max(values))


@dataclass
class Row:
    """One objective, for everyone or for one department: the scores at each moment, and
    the change of each participant who answered both before and after."""

    objective: Objective
    department: str
    moments: dict[str, Spread] = field(default_factory=dict)
    change: Spread = field(default_factory=lambda: Spread(0))

    @property
    def moment_list(self) -> list[dict]:
        """The moments in order, with their labels, for a table's columns."""
        return [
            {"label": label, "spread": self.moments.get(value, Spread(0))}
            for value, label in Moment.choices
        ]


def capacity_change(collaboration: Collaboration) -> dict:
    """Per objective, overall and per department: the spread of scores at each moment and of
    the change from before to after (and to the follow-ups), in one bounded query.

    A group with fewer than SMALLEST_GROUP answers shows only that it is too small."""
    objectives = list(
        Objective.objects.filter(module__collaboration=collaboration)
        .select_related("module")
        .order_by("module__position", "module_id", "position", "id")
    )
    ratings = Rating.objects.filter(
        assessment__participant__collaboration=collaboration,
        assessment__answered_at__isnull=False,
    ).values_list(
        "objective_id",
        "assessment__participant_id",
        "assessment__participant__department__name",
        "assessment__moment",
        "score",
    )
    # scores[objective][participant][moment] = score; department of each participant
    scores: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    departments: dict[int, str] = {}
    for objective_id, participant_id, department, moment, score in ratings:
        scores[objective_id][participant_id][moment] = score
        departments[participant_id] = department or ""
    rows = []
    for objective in objectives:
        by_participant = scores.get(objective.pk, {})
        groups: dict[str, list[int]] = defaultdict(list)
        for participant_id in by_participant:
            groups[""].append(participant_id)
            if departments[participant_id]:
                groups[departments[participant_id]].append(participant_id)
        for department in sorted(groups, key=lambda name: (name != "", name)):
            members = [by_participant[p] for p in groups[department]]
            row = Row(objective, department)
            for moment in Moment.values:
                row.moments[moment] = spread([m[moment] for m in members if moment in m])
            changes = [
                m[Moment.AFTER] - m[Moment.BEFORE]
                for m in members
                if Moment.BEFORE in m and Moment.AFTER in m
            ]
            row.change = spread(changes)
            rows.append(row)
    return {"rows": rows, "moments": Moment.choices, "smallest": SMALLEST_GROUP}


def alumni_reforms(user, collaboration: Collaboration) -> list[dict]:
    """The reforms of the ledger, in any collaboration with the institution, championed by
    officials who attended this programme, as far as `user` may see them (G5)."""
    alumni = Participant.objects.filter(
        collaboration=collaboration, seats__status=SeatStatus.ATTENDED
    ).values("person_id")
    reforms = (
        visible_records(user, Reform.objects.all())
        .filter(
            collaboration__institution_id=collaboration.institution_id,
            champions__in=alumni,
        )
        .distinct()
        .select_related("collaboration")
        .prefetch_related(Prefetch("champions"))
        .order_by("-asked_on", "-pk")
    )
    alumni_ids = set(alumni.values_list("person_id", flat=True))
    return [
        {
            "reform": reform,
            "alumni": [person for person in reform.champions.all() if person.pk in alumni_ids],
        }
        for reform in reforms
    ]


def reforms_to_champion(user, collaboration: Collaboration) -> QuerySet[Reform]:
    """Reforms with the institution that `user` sees, for naming a participant a champion."""
    return (
        visible_records(user, Reform.objects.all())
        .filter(collaboration__institution_id=collaboration.institution_id)
        .select_related("collaboration")
        .order_by("-asked_on", "-pk")
    )


def certificate_runs(collaboration: Collaboration) -> QuerySet[CertificateRun]:
    """The programme's batches of certificates, the latest first."""
    return CertificateRun.objects.filter(collaboration=collaboration)


def follow_up_counts(collaboration: Collaboration) -> dict[str, dict]:
    """How many follow-ups are planned and answered, by moment."""
    rows = (
        SelfAssessment.objects.filter(
            participant__collaboration=collaboration, moment__in=list(FOLLOW_UP_MONTHS)
        )
        .values("moment")
        .annotate(planned=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by("moment")
    )
    return {row["moment"]: {**row, "label": Moment(row["moment"]).label} for row in rows}
