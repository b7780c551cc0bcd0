"""Policy development (C1, S6): the changes of policy sought, the civic side's consultation
responses, and an action plan of commitments in the shape the Open Government Partnership
publishes, each change of stage or of completion dated and backed by its source."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations.choices import Completion, PracticeChange
from civicbridge.core.models import TimeStamped

from .choices import InstitutionRole, Instrument, PolicyStage


class PolicyChange(TimeStamped):
    """A change of a law, regulation, rule, guidance or standard that the collaboration seeks."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="policy_changes"
    )
    title = models.CharField(_("title"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    current_text = models.TextField(_("the current text"), blank=True)
    proposed_change = models.TextField(_("the proposed change"))
    deciding_body = models.CharField(_("the body that decides"), max_length=200)
    # The latest row of `stages`, kept here so a move can name the stage it moves from.
    stage = models.CharField(
        _("stage"), max_length=12, choices=PolicyStage.choices, default=PolicyStage.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["collaboration", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class StageEntry(TimeStamped):
    """One dated stage of a policy change, with where it can be read (a link or the text)."""

    policy_change = models.ForeignKey(PolicyChange, on_delete=models.CASCADE, related_name="stages")
    from_stage = models.CharField(
        _("moved from"), max_length=12, choices=PolicyStage.choices, blank=True
    )
    stage = models.CharField(_("stage"), max_length=12, choices=PolicyStage.choices)
    on = models.DateField(_("on"))
    source_url = models.URLField(_("source (link)"), max_length=500, blank=True)
    source_text = models.TextField(_("source (text)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["policy_change", "on", "id"]
        verbose_name_plural = _("stage entries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_url="") | ~Q(source_text=""),
                name="policy_stage_has_source",
                violation_error_message=_("Give the source: a link, or the text it says."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_change}: {self.get_stage_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.policy_change.collaboration.civic_organisation_id


class ConsultationResponse(TimeStamped):
    """What the civic side submitted to a consultation on a policy change, with its file."""

    policy_change = models.ForeignKey(
        PolicyChange, on_delete=models.CASCADE, related_name="responses"
    )
    title = models.CharField(_("title"), max_length=200)
    submitted_on = models.DateField(_("submitted on"))
    summary = models.TextField(_("what it says"), blank=True)
    file = models.FileField(_("file"), upload_to="policy/responses/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["policy_change", "-submitted_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.policy_change.collaboration.civic_organisation_id

    @property
    def filename(self) -> str:
        """The file's own name, without the folders it is stored in."""
        return (self.file.name or "").rsplit("/", 1)[-1]


class Commitment(TimeStamped):
    """One commitment of an action plan: what the institutions promise, by when, and how far
    it got on the Independent Reporting Mechanism's scale."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="commitments"
    )
    # The action plan's own identifier ("AL0001"): an import finds the commitment by it.
    identifier = models.CharField(_("identifier"), max_length=100, blank=True)
    # Action plans write titles of several sentences: kept whole, never cut.
    title = models.TextField(_("title"))
    short_title = models.CharField(_("short title"), max_length=200, blank=True)
    text = models.TextField(_("full text"), blank=True)
    country = models.CharField(_("country or locality"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    completion = models.CharField(
        _("completion"), max_length=12, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    practice_change = models.CharField(
        _("did it open government?"), max_length=16, choices=PracticeChange.choices, blank=True
    )
    # The columns of an imported file that no field holds, as the file wrote them.
    extra = models.JSONField(_("other columns"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["collaboration", "identifier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "identifier"],
                condition=~Q(identifier=""),
                name="commitment_identifier_once",
                violation_error_message=_("Another commitment of this plan has this identifier."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="commitment_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title[:80]

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class CommitmentInstitution(models.Model):
    """An institution leading or supporting a commitment: an organisation of the directory
    when one has its name, and always the name as the plan wrote it."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="institutions"
    )
    role = models.CharField(_("role"), max_length=10, choices=InstitutionRole.choices)
    name = models.CharField(_("name"), max_length=300)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["commitment", "role", "order", "id"]

    def __str__(self) -> str:
        return self.name


class CommitmentMilestone(TimeStamped):
    """A step of a commitment, due on a day and done on another."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=500)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["commitment", "due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.commitment.collaboration.civic_organisation_id


class CommitmentAssessment(TimeStamped):
    """A dated change of a commitment's completion or of whether it opened government, with
    its evidence; both sides read the history."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="assessments")
    on = models.DateField(_("on"))
    from_completion = models.CharField(max_length=12, choices=Completion.choices)
    completion = models.CharField(_("completion"), max_length=12, choices=Completion.choices)
    from_practice_change = models.CharField(
        max_length=16, choices=PracticeChange.choices, blank=True
    )
    practice_change = models.CharField(
        _("did it open government?"), max_length=16, choices=PracticeChange.choices, blank=True
    )
    evidence = models.TextField(_("evidence"))
    evidence_url = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["commitment", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_completion_display()}"

    @property
    def audit_organisation_id(self) -> int:
        return self.commitment.collaboration.civic_organisation_id
