"""An event is a collaboration of the model "event": its challenges, participants, teams,
projects and their judging, the engagement plan after it, and follow-ups for a year (E1 to E5)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from .choices import (
    ArtefactKind,
    ChallengeStatus,
    EventKind,
    ParticipantStatus,
    ProjectStatus,
    RegistrationState,
    Respondent,
)


class Event(TimeStamped):
    """The event's own facts; its parties, dates, stage and visibility are the collaboration's."""

    collaboration = models.OneToOneField(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="event"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    organisers = models.ManyToManyField(
        "partners.Person", blank=True, related_name="events_organised", verbose_name=_("organisers")
    )
    partner_institutions = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="events_partnered",
        verbose_name=_("other partner institutions"),
    )
    url = models.URLField(_("web page"), max_length=500, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    prizes = models.TextField(_("prizes"), blank=True)
    reported_participants = models.PositiveIntegerField(
        _("participants (as reported)"),
        null=True,
        blank=True,
        help_text=_("For past events imported without their participant list."),
    )
    registration_opened_at = models.DateTimeField(null=True, blank=True)
    registration_closed_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)
    tie_break = models.TextField(
        _("tie-break"),
        blank=True,
        help_text=_("How equal totals are ordered; stated with the results."),
    )

    def __str__(self) -> str:
        return str(self.collaboration)

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id

    @property
    def registration_open(self) -> bool:
        """Opened by the organisers and not closed since."""
        return self.registration_opened_at is not None and self.registration_closed_at is None

    def takes_registrations(self) -> bool:
        """Opened by the organisers, not closed since, and the event is not over."""
        end = self.collaboration.end_date
        return self.registration_open and not (end and end < timezone.localdate())

    def registration_state(self, confirmed: int) -> RegistrationState:
        """Open, full (a new registration joins the waiting list) or closed, given the
        number of `confirmed` places (`Event.confirmed_places()` counts them in a list)."""
        if not self.takes_registrations():
            return RegistrationState.CLOSED
        if self.capacity is not None and confirmed >= self.capacity:
            return RegistrationState.FULL
        return RegistrationState.OPEN

    @staticmethod
    def confirmed_places(to_event: str = "") -> Count:
        """The confirmed places, as an annotation of a query that lists events (or, with
        `to_event="event__"`, their collaborations)."""
        participants = f"{to_event}participants"
        return Count(
            participants,
            filter=Q(**{f"{participants}__status": ParticipantStatus.CONFIRMED}),
            distinct=True,
        )


class Challenge(TimeStamped):
    """A real problem an institution poses, with the official who owns it (E2)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="challenges")
    institution = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="challenges_posed"
    )
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges_owned",
        verbose_name=_("owner official"),
    )
    owner_attends = models.BooleanField(_("the owner commits to attend"), default=False)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem statement"))
    affected_users = models.TextField(_("who is affected"))
    data_available = models.TextField(_("data available"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    success_criteria = models.TextField(_("what success looks like"))
    receiving_capacity = models.TextField(
        _("who takes the results forward, and with what"),
        blank=True,
        help_text=_(
            "The officials who will receive the teams' results after the event, and the time, "
            "people or budget the institution commits to take them forward (E1)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("review note"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.institution_id


class Team(TimeStamped):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=200)
    contact = models.ForeignKey(
        "Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
        help_text=_("Who answers the follow-ups for the team."),
    )
    members_text = models.TextField(
        _("members (as imported)"), blank=True, help_text=_("Names from an imported event.")
    )

    class Meta:
        ordering = ["event", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="team_name_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.event.collaboration.civic_organisation_id


class Participant(TimeStamped):
    """Someone registered for the event, with or without an account (E4)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    disciplines = models.JSONField(_("disciplines"), default=list)
    consent_at = models.DateTimeField(_("consented at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.UNCONFIRMED,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )

    class Meta:
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="participant_registers_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.event.collaboration.civic_organisation_id


class Project(TimeStamped):
    """A team's answer to a challenge: problem, users, concept and prototype first (E3)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="projects")
    team = models.OneToOneField(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="project"
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=300)
    problem = models.TextField(_("problem"), blank=True)
    users = models.TextField(_("users"), blank=True)
    concept = models.TextField(_("concept"), blank=True)
    prototype_url = models.URLField(_("prototype"), max_length=500, blank=True)
    repository_url = models.URLField(_("code repository (optional)"), max_length=500, blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    technologies = models.JSONField(_("technologies"), default=list, blank=True)
    winner = models.BooleanField(_("winner"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    status_on = models.DateField(_("status as of"), null=True, blank=True)
    led_to = models.ForeignKey(
        "collaborations.Collaboration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects_leading_here",
        verbose_name=_("led to"),
        help_text=_("A fellowship or contract that grew out of the project."),
    )

    class Meta:
        ordering = ["event", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "title"], name="project_title_once")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.event.collaboration.civic_organisation_id


class Artefact(TimeStamped):
    """A design artefact uploaded with a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="artefacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ArtefactKind.choices)
    file = models.FileField(_("file"), upload_to="events/artefacts/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.file.name or ""

    @property
    def audit_organisation_id(self) -> int:
        return self.project.event.collaboration.civic_organisation_id

    @property
    def filename(self) -> str:
        """The file's own name, without the folders it is stored in."""
        return (self.file.name or "").rsplit("/", 1)[-1]


class Criterion(TimeStamped):
    """One line of the event's judging rubric, with its weight."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what judges look for"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.event.collaboration.civic_organisation_id


class Judge(TimeStamped):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging"
    )
    recused_from = models.ManyToManyField(
        Team,
        blank=True,
        related_name="recused_judges",
        help_text=_("Teams in which the judge has a stake."),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="judge_once")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def audit_organisation_id(self) -> int:
        return self.event.collaboration.civic_organisation_id


class Score(TimeStamped):
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="scores")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "project", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="score_from_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.criterion} {self.score}"

    @property
    def audit_organisation_id(self) -> int:
        return self.project.event.collaboration.civic_organisation_id


class EngagementPlan(TimeStamped):
    """Whether a project is worth continuing and who in the institution will own it (E1)."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="engagement_plan"
    )
    worth_continuing = models.BooleanField(_("worth continuing"))
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who in the institution will own it"),
    )
    capacity = models.TextField(
        _("the institution's capacity to absorb it"),
        blank=True,
        help_text=_("Budget, people and time the institution puts behind it."),
    )

    def __str__(self) -> str:
        return str(self.project)

    @property
    def audit_organisation_id(self) -> int:
        return self.project.event.collaboration.civic_organisation_id


class Commitment(TimeStamped):
    """An official's promise: the next step for a project, and by when."""

    plan = models.ForeignKey(EngagementPlan, on_delete=models.CASCADE, related_name="commitments")
    official = models.ForeignKey("partners.Person", on_delete=models.PROTECT, related_name="+")
    next_step = models.TextField(_("next step"))
    due_on = models.DateField(_("by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.next_step

    @property
    def audit_organisation_id(self) -> int:
        return self.plan.project.event.collaboration.institution_id


class ProjectFollowUp(TimeStamped):
    """One question, months after the event, to one person: what became of the project (E5)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the event"))
    due_on = models.DateField(_("due on"))
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices, blank=True)
    evidence_url = models.URLField(_("evidence (a link)"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project", "months", "respondent", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "months", "email"], name="follow_up_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} +{self.months}m ({self.name})"

    @property
    def audit_organisation_id(self) -> int:
        return self.project.event.collaboration.civic_organisation_id
