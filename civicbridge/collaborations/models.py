"""A collaboration between a civic organisation and an institution, and what both sides keep.

Records that one side writes (check-ins, goals, reforms, notes, activity) are
`CollaborationRecord`s: each says who may see it — its own side, both sides or the public.
The agreement, its obligations and signatures, the stakeholder map and the handover plan
belong to both sides by nature.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped, VisibleRecord

from . import signing
from .choices import (
    GoalKind,
    Model,
    ObligationStatus,
    ReformStatus,
    Stage,
    StakeholderRole,
    StillRunning,
    TrainingStatus,
)
from .signing import SignatureBase, SignatureQuerySet


class CollaborationQuerySet(models.QuerySet["Collaboration"]):
    def of_organisations(self, organisation_ids: set[int]):
        """Collaborations in which one of `organisation_ids` is a party."""
        return self.filter(
            Q(civic_organisation_id__in=organisation_ids) | Q(institution_id__in=organisation_ids)
        )

    def public(self):
        return self.filter(public=True)


class Collaboration(TimeStamped):
    """A fellowship, training programme, service, event, consultancy or policy work."""

    model = models.CharField(_("model"), max_length=20, choices=Model.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    civic_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="civic_collaborations",
        verbose_name=_("civic organisation"),
    )
    institution = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="institution_collaborations",
        verbose_name=_("institution"),
    )
    departments = models.ManyToManyField(
        "partners.Department",
        blank=True,
        related_name="collaborations",
        verbose_name=_("departments of the institution"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.PROPOSED, db_index=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    checkin_every_days = models.PositiveSmallIntegerField(
        _("check-in every (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How often both sides give an update: 14 is every fortnight."),
    )
    public = models.BooleanField(
        _("show on the public portfolio"),
        default=False,
        help_text=_("The public page shows the title, parties, stage and public records only."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="collaboration_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(civic_organisation=models.F("institution")),
                name="collaboration_has_two_parties",
                violation_error_message=_("A collaboration needs two different organisations."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaborations:detail", args=[self.pk])

    @property
    def audit_organisation_id(self) -> int:
        return self.civic_organisation_id

    @property
    def party_ids(self) -> tuple[int, int]:
        return (self.civic_organisation_id, self.institution_id)

    def checkin_due_dates(self, until: date) -> list[date]:
        """The days a check-in falls due, from the start to `until` or the end date."""
        if self.start_date is None or not self.checkin_every_days:
            return []
        last = min(until, self.end_date) if self.end_date else until
        step = timedelta(days=self.checkin_every_days)
        due, dates = self.start_date + step, []
        while due <= last:
            dates.append(due)
            due += step
        return dates


class Transition(models.Model):
    """One move from stage to stage, with who made it and every gate's result."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(max_length=10, choices=Stage.choices)
    to_stage = models.CharField(max_length=10, choices=Stage.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # [{"condition", "statement", "check", "passed", "reason", "blocking"}, …]
    gate_results = models.JSONField(default=list)
    playbook_version = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class Risk(TimeStamped):
    """A condition of the playbook that did not hold when the collaboration passed a gate."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="risks")
    condition = models.CharField(_("condition id"), max_length=100)
    statement = models.TextField(_("what the condition says"))
    reason = models.TextField(_("why"))
    stage = models.CharField(_("raised entering"), max_length=10, choices=Stage.choices)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["resolved_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.statement

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class CollaborationRecord(VisibleRecord):
    """Abstract base for what one side of a collaboration writes and chooses who may see."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="%(class)ss"
    )

    class Meta:
        abstract = True

    @classmethod
    def other_side_q(cls, organisation_ids: set[int]) -> Q:
        return Q(collaboration__civic_organisation_id__in=organisation_ids) | Q(
            collaboration__institution_id__in=organisation_ids
        )

    @property
    def audit_organisation_id(self) -> int:
        return self.owner_organisation_id


class Activity(CollaborationRecord):
    """One line of a collaboration's activity feed, as visible as the record it is about."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.CharField(_("what happened"), max_length=500)
    url = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.message


class CollaborationNote(CollaborationRecord):
    """A note one side keeps on a collaboration: private unless it says otherwise."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class Stakeholder(TimeStamped):
    """A person of either side with a role in the collaboration (F7)."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="stakeholders"
    )
    person = models.ForeignKey("partners.Person", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("side")
    )
    department = models.ForeignKey(
        "partners.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StakeholderRole.choices)

    class Meta:
        ordering = ["organisation__name", "role", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "person", "role"], name="stakeholder_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def fully_signed(self):
        """Agreements both sides signed in their current version."""
        current = Signature.objects.valid().filter(
            agreement=OuterRef("pk"), version=OuterRef("version")
        )
        return self.filter(
            signing.signed_by_all(
                current, "collaboration__civic_organisation", "collaboration__institution"
            )
        )


class Agreement(TimeStamped):
    """The MOU: its terms, its obligations and, per version, both sides' signatures (F6).

    Any change to the terms or to an obligation's terms makes a new version and voids the
    signatures of the old one; marking obligations done is tracking, not a change of terms.
    """

    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="agreement"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    purpose = models.TextField(_("purpose"), blank=True)
    terms = models.TextField(_("terms"), blank=True)

    objects = AgreementQuerySet.as_manager()

    def __str__(self) -> str:
        return _("MOU for %(title)s, version %(version)d") % {
            "title": self.collaboration.title,
            "version": self.version,
        }

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id

    def current_signatures(self) -> dict[int, "Signature"]:
        """Each side's signature standing on the current version, by party id.

        It reads `signatures.all()`, so a page that prefetched them asks nothing more.
        """
        return signing.standing_by_side(self.signatures.all(), self.version)

    def unsigned_sides(self) -> list:
        """The parties, civic organisation first, still to sign the current version."""
        collaboration = self.collaboration
        return signing.unsigned_sides(
            (collaboration.civic_organisation, collaboration.institution),
            self.current_signatures(),
        )

    def is_fully_signed(self) -> bool:
        return not self.unsigned_sides()


class AgreementVersion(models.Model):
    """The agreement as it stood at one version: terms and obligations, frozen."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField()
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    change = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return _("Version %(number)d") % {"number": self.number}


class ObligationQuerySet(models.QuerySet["Obligation"]):
    def overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.exclude(status=ObligationStatus.DONE).filter(due_date__lt=today)


class Obligation(TimeStamped):
    """One side's obligation under the agreement, with an owner and a due date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    party = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("side")
    )
    description = models.TextField(_("obligation"))
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def audit_organisation_id(self) -> int:
        return self.party_id

    def is_overdue(self, today: date) -> bool:
        return self.status != ObligationStatus.DONE and bool(
            self.due_date and self.due_date < today
        )

    def terms(self) -> dict:
        """What the signatures cover: everything but the status."""
        return {
            "party": self.party_id,
            "description": self.description,
            "owner": self.owner_id,
            "due_date": str(self.due_date) if self.due_date else None,
        }


class AgreementSignatureQuerySet(SignatureQuerySet):
    def current(self):
        """Signatures standing on their agreement's current version."""
        return self.valid().filter(version=models.F("agreement__version"))


class Signature(SignatureBase):
    """A side's signature on one version of the agreement, until a change voids it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    version = models.PositiveIntegerField(_("version"))
    # Whoever signed an MOU keeps an account: the signature answers for a side.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AgreementSignatureQuerySet.as_manager()

    class Meta(SignatureBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"],
                condition=Q(voided_at__isnull=True),
                name="one_valid_signature_per_side",
            )
        ]


class Goal(CollaborationRecord):
    """What the collaboration sets out to achieve (F1), measured by indicators."""

    kind = models.CharField(_("kind of goal"), max_length=20, choices=GoalKind.choices)
    title = models.CharField(_("goal"), max_length=300)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Indicator(TimeStamped):
    """A measure of a goal: where it started, where it should get to."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """The actual value of an indicator for one reporting period, and who reported it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField(_("period ending"))
    value = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="one_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period_end}: {self.value}"


class CheckIn(CollaborationRecord):
    """One side's update for one check-in date (F5); `owner_organisation` is the side."""

    due_on = models.DateField(_("check-in date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    workflow = models.TextField(_("how the work is going"))
    problems = models.TextField(_("problems detected"), blank=True)
    quality = models.PositiveSmallIntegerField(
        _("quality of the collaboration"),
        help_text=_("1 is very poor, 5 is excellent."),
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "owner_organisation", "due_on"],
                name="one_checkin_per_side_and_date",
            ),
            models.CheckConstraint(
                condition=Q(quality__gte=1, quality__lte=5), name="checkin_quality_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.quality}/5"


class Successor(TimeStamped):
    """An official who will carry the work on after the collaboration ends (F3)."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="successors"
    )
    person = models.ForeignKey(
        "partners.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("official")
    )
    takes_over = models.CharField(_("takes over"), max_length=300, blank=True)
    training_status = models.CharField(
        _("training"),
        max_length=12,
        choices=TrainingStatus.choices,
        default=TrainingStatus.NOT_STARTED,
    )

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "person"], name="successor_once")
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.institution_id


class HandoverTask(TimeStamped):
    """A task to finish before the work passes to the institution's officials."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="handover_tasks"
    )
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["done_on", "due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.institution_id


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FollowUp(TimeStamped):
    """A question months after closing: does the institution still run what was built?

    Answered through a secret link, without an account.
    """

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="follow_ups"
    )
    months_after = models.PositiveSmallIntegerField(_("months after closing"))
    due_on = models.DateField(_("due on"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answer = models.CharField(
        _("does the institution still run it?"),
        max_length=8,
        choices=StillRunning.choices,
        blank=True,
    )
    evidence = models.TextField(_("what runs now, and who looks after it"), blank=True)
    answered_by = models.CharField(_("your name"), max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = ("token",)  # the link is the key: it stays out of the audit log

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "months_after"], name="one_follow_up_per_period"
            )
        ]

    def __str__(self) -> str:
        return _("%(months)d-month follow-up") % {"months": self.months_after}

    def get_absolute_url(self) -> str:
        return reverse("collaborations:follow_up_answer", args=[self.token])

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.institution_id


class CreditStatementQuerySet(models.QuerySet["CreditStatement"]):
    def published(self):
        """Statements both sides approved: the public sees these."""
        return self.filter(civic_approved_at__isnull=False, institution_approved_at__isnull=False)


class CreditStatement(TimeStamped):
    """Public credit for the work (F8), published only when both sides approve it."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="credit_statements"
    )
    text = models.TextField(_("credit statement"))
    government_contribution = models.TextField(
        _("the institution's contribution"),
        help_text=_("What the institution gave: people, time, data, decisions, money."),
    )
    drafted_by = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    civic_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    civic_approved_at = models.DateTimeField(null=True, blank=True)
    institution_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    institution_approved_at = models.DateTimeField(null=True, blank=True)

    objects = CreditStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def audit_organisation_id(self) -> int:
        return self.drafted_by_id

    @property
    def published(self) -> bool:
        """Approved by both sides: the row's own fields, as `published()` filters them."""
        return bool(self.civic_approved_at and self.institution_approved_at)

    @property
    def digest(self) -> str:
        """A fingerprint of the words, so an approval can say which words it approves."""
        words = f"{self.text}\n{self.government_contribution}"
        return hashlib.sha256(words.encode()).hexdigest()[:16]


class Reform(CollaborationRecord):
    """A reform the civic side asks for in return (G5): asked → agreed → achieved."""

    title = models.CharField(_("reform"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReformStatus.choices, default=ReformStatus.ASKED
    )
    asked_on = models.DateField(_("asked on"), default=timezone.localdate)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    champions = models.ManyToManyField(
        "partners.Person", blank=True, related_name="+", verbose_name=_("officials who champion it")
    )

    class Meta:
        ordering = ["-asked_on", "-id"]

    def __str__(self) -> str:
        return self.title
