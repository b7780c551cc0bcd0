import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped, VisibleRecord

from .choices import Access, ImportKind, ImportStatus, OrganisationKind


def new_popolo_id() -> str:
    return str(uuid.uuid4())


class PopoloRecord(TimeStamped):
    """Abstract base for records that travel as Popolo: keyed by their Popolo `id`."""

    popolo_id = models.CharField(
        _("Popolo id"), max_length=255, unique=True, default=new_popolo_id, editable=False
    )

    class Meta:
        abstract = True


class OrganisationQuerySet(models.QuerySet):
    def search(self, text: str):
        return self.filter(Q(name__icontains=text) | Q(city__icontains=text)) if text else self


class Organisation(PopoloRecord):
    """A civic organisation, government body, company, funder or community group."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    classification = models.CharField(
        _("classification"),
        max_length=100,
        blank=True,
        help_text=_("The category given by the source, for example “legislature”."),
    )
    country = models.CharField(_("country"), max_length=100, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation", args=[self.pk])

    @property
    def audit_organisation_id(self) -> int:
        return self.pk


class Department(PopoloRecord):
    """A unit inside an organisation; departments form a tree."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=255)
    classification = models.CharField(_("classification"), max_length=100, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class Person(PopoloRecord):
    """A real person: an official, a fellow, a member of a civic organisation."""

    name = models.CharField(_("name"), max_length=255)
    sort_name = models.CharField(_("sort name"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    image = models.URLField(_("photo URL"), max_length=500, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:person", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def current(self):
        from django.utils import timezone

        today = timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today)
        )


class Membership(PopoloRecord):
    """A person's place in an organisation or one of its departments, with a role."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("For example “councillor”.")
    )
    label = models.CharField(
        _("post"), max_length=200, blank=True, help_text=_("For example “Deputy Mayor”.")
    )
    on_behalf_of = models.CharField(
        _("on behalf of"),
        max_length=255,
        blank=True,
        help_text=_("The Popolo id of the organisation the person represents, if any."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    access = models.CharField(
        _("account access"),
        max_length=8,
        choices=Access.choices,
        default=Access.NONE,
        blank=True,
        help_text=_("What the person's Civic Bridge account may do for the organisation."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "person__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role or self.label or _('member')}, {self.organisation}"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class Note(VisibleRecord):
    """A note one side keeps about an organisation: private, shared with it, or public."""

    subject = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("about"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]

    @classmethod
    def other_side_q(cls, organisation_ids: set[int]) -> Q:
        return Q(subject_id__in=organisation_ids)

    @property
    def audit_organisation_id(self) -> int:
        return self.owner_organisation_id


class ImportRun(TimeStamped):
    """One upload of a file to import, with its progress and outcome."""

    kind = models.CharField(_("file format"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    dry_run = models.BooleanField(_("check only, save nothing"), default=False)
    options = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    phase = models.CharField(max_length=100, blank=True)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("partners:import_run", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0
