"""A training programme for officials (T1): its curriculum, sessions, participants, their
seats, their capacity before and after, and their certificates."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from .choices import Moment, RunStatus, SeatStatus

SCALE = (1, 5)  # the self-assessment's scale: 1 "not at all" to 5 "fully, and I teach others"


class Module(TimeStamped):
    """A part of the curriculum; a required module must be covered to earn the certificate."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="training_modules"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    required = models.BooleanField(
        _("required for the certificate"),
        default=True,
        help_text=_("A participant earns the certificate after attending every required module."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class Objective(TimeStamped):
    """What a participant should be able to do after a module; rated before and after."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(_("learning objective"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def audit_organisation_id(self) -> int:
        return self.module.collaboration.civic_organisation_id


class Session(TimeStamped):
    """A session of the programme: when, where (a place or an online link), who trains, how
    many seats and which modules it covers."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="training_sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    modules = models.ManyToManyField(
        Module, related_name="sessions", blank=True, verbose_name=_("modules it covers")
    )
    trainers = models.ManyToManyField(
        "partners.Person", related_name="+", blank=True, verbose_name=_("trainers")
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class Participant(TimeStamped):
    """An official of the institution taking part in the programme, from a department."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration",
        on_delete=models.CASCADE,
        related_name="training_participants",
    )
    person = models.ForeignKey(
        "partners.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("official")
    )
    department = models.ForeignKey(
        "partners.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "person"], name="training_participant_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.institution_id


class Seat(TimeStamped):
    """One participant's place at one session: invited, registered, attended or absent."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="seats")
    status = models.CharField(
        _("status"), max_length=10, choices=SeatStatus.choices, default=SeatStatus.INVITED
    )

    class Meta:
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="training_seat_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"

    @property
    def audit_organisation_id(self) -> int:
        return self.session.collaboration.civic_organisation_id


class SelfAssessment(TimeStamped):
    """A participant's own rating of each objective at one moment, answered by a signed link
    without an account. Before and after have no date: they open with the sessions; the
    follow-ups at three and six months are due on a day."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="self_assessments"
    )
    moment = models.CharField(_("when"), max_length=6, choices=Moment.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "moment"], name="training_self_assessment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_moment_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.participant.collaboration.civic_organisation_id


class Rating(models.Model):
    """One answer of a self-assessment: how able the participant feels for one objective."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[1])]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "objective"], name="training_rating_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCALE[0], score__lte=SCALE[1]), name="training_score_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective}: {self.score}"


class CertificateRun(TimeStamped):
    """One request to make the programme's certificates, done by the task worker."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.PENDING)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.collaboration_id}: {self.get_status_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id

    @property
    def finished(self) -> bool:
        return self.status in {RunStatus.DONE, RunStatus.FAILED}

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class Certificate(TimeStamped):
    """The PDF certificate of a participant who attended every required module."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="certificate"
    )
    file = models.FileField(upload_to="certificates/%Y/")
    issued_on = models.DateField(_("issued on"))

    def __str__(self) -> str:
        return f"{self.participant}: {self.issued_on}"

    @property
    def audit_organisation_id(self) -> int:
        return self.participant.collaboration.civic_organisation_id
