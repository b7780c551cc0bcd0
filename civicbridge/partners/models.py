import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped, VisibleRecord

from .choices import Access, ImportStatus, OfferingKind, OrganisationKind, PriceBasis

if TYPE_CHECKING:
    from .imports import Importer


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

    def of_kind(self, kind: str | None):
        """The directory's kind filter: one kind, or every kind but political parties.

        Imported councils bring the parties their councillors stand for; they are not
        organisations anyone collaborates with, so they show only when asked for.
        """
        return self.filter(kind=kind) if kind else self.exclude(kind=OrganisationKind.PARTY)


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
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("parent body"),
        help_text=_("The body this one answers to, for example the ministry of an agency."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind", "name"]),
            # The directory reads them by name and stops after a page.
            models.Index(fields=["name", "id"], name="organisation_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def supplies(self) -> bool:
        """Whether it may supply an institution under contract, and so keep a supplier
        profile: every organisation but a government body, which buys."""
        return self.kind != OrganisationKind.GOVERNMENT

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

    # A kind an app registered (`imports.register_importer`): Popolo, OCDS, past events…
    kind = models.CharField(_("file format"), max_length=16)
    file = models.FileField(upload_to="imports/%Y/%m/")
    second_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
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
        return f"{self.kind_label}: {self.filename}"

    @property
    def importer(self) -> "Importer":
        from .imports import importer_for

        return importer_for(self.kind)

    @property
    def kind_label(self) -> str:
        return str(self.importer.label)

    def get_absolute_url(self) -> str:
        return reverse("partners:import_run", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


# The supplier profile (S1, S2): how an organisation presents itself to procurement officers.

POSITIVE = [MinValueValidator(0)]


class SupplierProfile(TimeStamped):
    """The legal entity behind an organisation and what it can do, for buyers to check."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="supplier_profile"
    )
    legal_name = models.CharField(_("legal name"), max_length=255)
    registration_number = models.CharField(
        _("registration number"),
        max_length=100,
        blank=True,
        help_text=_("The number in the company or charity register, for example an ABN."),
    )
    registration_country = models.CharField(_("registered in (country)"), max_length=100)
    tax_id = models.CharField(_("tax id"), max_length=100, blank=True)
    capabilities = models.TextField(
        _("capabilities"),
        help_text=_("What you can build and run for an institution, in a few short paragraphs."),
    )

    def __str__(self) -> str:
        return self.legal_name

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class Offering(TimeStamped):
    """A product or service the organisation sells, and how it is priced."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="offerings"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("product or service"), max_length=10, choices=OfferingKind.choices)
    description = models.TextField(_("description"))
    price_basis = models.CharField(
        _("price basis"), max_length=12, choices=PriceBasis.choices, default=PriceBasis.ON_REQUEST
    )
    price = models.DecimalField(
        _("price"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text=_("Leave empty to quote on request."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("Three letters, for example AUD.")
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__isnull=True) | ~Q(currency=""),
                name="offering_price_has_currency",
                violation_error_message=_("A price needs its currency."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class PastContract(TimeStamped):
    """Work the organisation did for a buyer before or outside Civic Bridge, added by hand."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="past_contracts"
    )
    buyer_name = models.CharField(_("buyer"), max_length=255)
    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer on Civic Bridge"),
        help_text=_("If the buyer is in the directory, choose it here as well."),
    )
    title = models.CharField(_("what was delivered"), max_length=300)
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2999)],
        help_text=_("The year the work was delivered, if you do not give the dates."),
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    reference_url = models.URLField(
        _("reference"),
        max_length=500,
        blank=True,
        help_text=_("A link to the published contract, a case study or the buyer's reference."),
    )

    class Meta:
        ordering = ["-year", "-ended_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | ~Q(currency=""),
                name="past_contract_value_has_currency",
                violation_error_message=_("A value needs its currency."),
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=False) | Q(started_on__isnull=False),
                name="past_contract_has_a_date",
                violation_error_message=_("Give the year or the dates of the work."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="past_contract_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id
