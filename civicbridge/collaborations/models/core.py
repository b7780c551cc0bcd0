"""The collaboration itself, its stage moves and risks, and the records one side writes."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped, VisibleRecord

from ..choices import (
    Model,
    Stage,
)


class CollaborationQuerySet(models.QuerySet["Collaboration"]):
    def of_organisations(self, organisation_ids: set[int]):
        """Collaborations in which one of `organisation_ids` is a party."""
        return self.filter(
            Q(civic_organisation_id__in=organisation_ids) | Q(institution_id__in=organisation_ids)
        )

    def seen_by(self, organisation_ids: set[int]):
        """Collaborations that members of `organisation_ids` see: those of which one is a
        party, and those a room shows them (see `collaborations.viewers`)."""
        from ..viewers import seen_through_rooms

        if not organisation_ids:
            return self.none()
        parties = Q(civic_organisation_id__in=organisation_ids) | Q(
            institution_id__in=organisation_ids
        )
        return self.filter(parties | seen_through_rooms(organisation_ids))

    def public(self):
        return self.filter(public=True)

    def with_health(self, today: date):
        """These collaborations, their health worked out for `today` where it was not yet
        (an UPDATE of the stale rows, see models/health.py), to filter and count by it."""
        from .health import refresh_health

        refresh_health(self, today)
        return self

    def at_risk(self, reason: str = ""):
        """At risk for `reason` (a RiskReason), or for any, as last worked out: call
        `with_health(today)` first."""
        from .health import at_risk_flag

        return self.filter(at_risk_flag(reason))

    def follow_ups_due(self):
        """Closed collaborations with a follow-up due and not answered yet, as last worked
        out: call `with_health(today)` first."""
        return self.filter(follow_up_due=True)


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
    # Fixed once proposed, like the parties: its answers are the starting conditions.
    assessment = models.ForeignKey(
        "readiness.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="started_collaborations",
        verbose_name=_("started from the assessment"),
    )

    # Its health, as `models/health.py` worked it out on `health_on`: kept on the row so a
    # portfolio of many collaborations counts flags instead of working each out again.
    # A change to what the conditions read clears `health_on`; reads refresh what is stale.
    risk_conditions = models.BooleanField(default=False, editable=False)
    risk_checkins = models.BooleanField(default=False, editable=False)
    risk_one_person = models.BooleanField(default=False, editable=False)
    follow_up_due = models.BooleanField(default=False, editable=False)
    health_on = models.DateField(null=True, blank=True, editable=False)

    objects = CollaborationQuerySet.as_manager()

    audit_exclude = (
        "risk_conditions",
        "risk_checkins",
        "risk_one_person",
        "follow_up_due",
        "health_on",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            # The lists read the newest first and stop after a page.
            models.Index(fields=["-start_date", "-id"], name="collaboration_newest_first"),
            # Reads find what to refresh: health never worked out, or not today.
            models.Index(fields=["health_on"], name="collaboration_health_on"),
        ]
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

    def checkin_schedule_end(self) -> date | None:
        """The last day a check-in can fall due: the end date, or the closing day if sooner."""
        ends = [day for day in (self.end_date, self.closed_on) if day is not None]
        return min(ends) if ends else None

    def first_checkin_uncovered(self, latest_given: date | None) -> date | None:
        """The first check-in date a side's latest update (for `latest_given`) leaves
        uncovered, or None when the schedule has no such date.

        An update covers what is overdue: a side's latest check-in answers every earlier
        date it missed, so a side owes at most the dates after its latest update.
        """
        if self.start_date is None or not self.checkin_every_days:
            return None
        step = self.checkin_every_days
        periods = 1
        if latest_given is not None and latest_given > self.start_date:
            periods = (latest_given - self.start_date).days // step + 1
        first = self.start_date + timedelta(days=periods * step)
        last = self.checkin_schedule_end()
        return None if last is not None and first > last else first

    def checkins_overdue_from(self, first: date | None, today: date) -> int:
        """How many check-in dates from `first` (a date of the schedule) are past today."""
        if first is None or first >= today:
            return 0
        last = today - timedelta(days=1)
        if (end := self.checkin_schedule_end()) is not None:
            last = min(last, end)
        if last < first:
            return 0
        return (last - first).days // self.checkin_every_days + 1

    def checkin_dates_between(self, first: date, last: date) -> list[date]:
        """The check-in dates of the schedule from `first` to `last`, both included."""
        if self.start_date is None or not self.checkin_every_days:
            return []
        step = self.checkin_every_days
        periods = max(1, -(-(first - self.start_date).days // step))
        end = self.checkin_schedule_end()
        last = min(last, end) if end is not None else last
        due, dates = self.start_date + timedelta(days=periods * step), []
        while due <= last:
            dates.append(due)
            due += timedelta(days=step)
        return dates

    def winds_down_early(self, stage: str | None, today: date) -> bool:
        """Whether moving to `stage` on `today` starts closing before the planned end date:
        a move to confirm first, never the page's main action."""
        return (
            stage in (Stage.CLOSING, Stage.CLOSED)
            and self.end_date is not None
            and today < self.end_date
        )

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
