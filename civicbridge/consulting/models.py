"""A consulting engagement (C1): the scope and the institution's questions, the deliverables
with their versions and the institution's acceptance, and the recommendations whose
adoption both sides follow on the Independent Reporting Mechanism's scales."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.choices import Completion, PracticeChange
from civicbridge.core.models import TimeStamped

from .choices import ACCEPTED, WAITING, Decision, DeliverableKind, DeliverableStatus, Priority


class Engagement(TimeStamped):
    """What the institution asked the civic organisation to advise on."""

    collaboration = models.OneToOneField(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="engagement"
    )
    scope = models.TextField(_("scope"), max_length=10_000)
    questions = models.JSONField(
        _("the institution's questions"), default=list, blank=True
    )  # a list of strings, in the order the institution asked them

    def __str__(self) -> str:
        return _("Engagement of %(title)s") % {"title": self.collaboration.title}

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class DeliverableQuerySet(models.QuerySet["Deliverable"]):
    def waiting(self):
        """Deliverables whose latest version waits for the institution's decision."""
        return self.filter(status__in=WAITING)

    def accepted(self):
        return self.filter(status__in=ACCEPTED)


class Deliverable(TimeStamped):
    """A piece of the advice promised to the institution: a report, a prototype, a review or
    a workshop, due on a day, accepted by the institution."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=DeliverableKind.choices)
    description = models.TextField(_("what it covers"), max_length=5000, blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.PLANNED,
    )
    # When the latest version went to the institution: how long it has waited.
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "title"], name="deliverable_title_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    @property
    def waiting(self) -> bool:
        return self.status in WAITING


class DeliverableVersion(TimeStamped):
    """One version of a deliverable the civic organisation sent, with its file."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    note = models.TextField(_("what is new"), max_length=5000, blank=True)
    file = models.FileField(_("file"), upload_to="consulting/deliverables/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["deliverable", "number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return _("%(deliverable)s, version %(number)d") % {
            "deliverable": self.deliverable.title,
            "number": self.number,
        }

    @property
    def audit_organisation_id(self) -> int:
        return self.deliverable.collaboration.civic_organisation_id

    @property
    def filename(self) -> str:
        """The file's own name, without the folders it is stored in."""
        return (self.file.name or "").rsplit("/", 1)[-1]


class Review(TimeStamped):
    """The institution's decision on one version: accepted, or changes asked and why."""

    version = models.OneToOneField(
        DeliverableVersion, on_delete=models.CASCADE, related_name="review"
    )
    decision = models.CharField(_("decision"), max_length=13, choices=Decision.choices)
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=Decision.CHANGES_ASKED) | ~Q(comment=""),
                name="changes_asked_say_which",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.get_decision_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.version.deliverable.collaboration.institution_id


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def open(self):
        """Recommendations still to adopt: neither complete nor withdrawn."""
        return self.exclude(completion__in=[Completion.COMPLETE, Completion.WITHDRAWN])

    def standing(self):
        """Recommendations not withdrawn: each needs an owner at the institution."""
        return self.exclude(completion=Completion.WITHDRAWN)


class Recommendation(TimeStamped):
    """One recommendation of the advice: the finding it rests on, who at the institution
    owns it, and how far the institution adopted it."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="recommendations"
    )
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("deliverable it came from"),
    )
    title = models.CharField(_("recommendation"), max_length=300)
    finding = models.TextField(_("the finding it rests on"), max_length=5000)
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner at the institution"),
    )
    priority = models.CharField(
        _("priority"), max_length=6, choices=Priority.choices, default=Priority.MEDIUM
    )
    completion = models.CharField(
        _("completion"),
        max_length=11,
        choices=Completion.choices,
        default=Completion.NOT_STARTED,
    )
    practice_change = models.CharField(
        _("did it change the institution's practice?"),
        max_length=14,
        choices=PracticeChange.choices,
        default=PracticeChange.DID_NOT_CHANGE,
    )
    # When its adoption was last recorded (or it was made): how long it has gone unfollowed.
    last_update_at = models.DateTimeField(_("last update"))

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["collaboration", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class AdoptionUpdate(TimeStamped):
    """A dated step in a recommendation's adoption, with its evidence and who recorded it;
    `created_at` is its date."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    completion = models.CharField(_("completion"), max_length=11, choices=Completion.choices)
    practice_change = models.CharField(
        _("change in practice"), max_length=14, choices=PracticeChange.choices
    )
    evidence = models.TextField(_("evidence"), max_length=5000, blank=True)
    evidence_url = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    side = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded for"),
    )

    class Meta:
        ordering = ["recommendation", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(evidence="") | ~Q(evidence_url=""), name="adoption_has_evidence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_completion_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.side_id
