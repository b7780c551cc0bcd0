"""Contracts, their milestones and variations, invoices, credit notes and payments (S4).

Money is a Decimal amount beside a three-letter currency code on every row that holds
money; services refuse to mix currencies.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from civicbridge.collaborations import signing
from civicbridge.collaborations.signing import SignatureBase
from civicbridge.core.models import TimeStamped

from ..choices import ContractStatus, MilestoneKind, MilestoneStatus, Source
from ..money import Money, outstanding, total

POSITIVE = [MinValueValidator(0)]
# A Decimal: the float 0.01 is a hair above a cent, and would refuse a payment of 0.01.
AT_LEAST_A_CENT = [MinValueValidator(Decimal("0.01"))]


class ContractQuerySet(models.QuerySet["Contract"]):
    def fully_signed(self):
        """Contracts whose supplier and buyer both have a signature standing."""
        standing = ContractSignature.objects.valid().filter(contract=OuterRef("pk"))
        return self.filter(signing.signed_by_all(standing, "supplier", "buyer"))

    def with_signatures(self):
        """Each contract with its signatures, standing and voided, and who signed them."""
        return self.prefetch_related(
            Prefetch(
                "signatures",
                queryset=ContractSignature.objects.select_related("party", "signed_by__person"),
            )
        )


class Contract(TimeStamped):
    """What the institution buys from the supplier, for how much and until when.

    Both sides' signatures are `ContractSignature` rows: a change of the draft voids them.
    """

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="contracts"
    )
    supplier = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="contracts_supplied"
    )
    buyer = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="contracts_bought"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    reference = models.CharField(
        _("contract reference"), max_length=100, blank=True, help_text=_("The buyer's number.")
    )
    ocid = models.CharField(
        _("open contracting id"), max_length=200, unique=True, null=True, blank=True
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=POSITIVE)
    currency = models.CharField(_("currency"), max_length=3)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("Days after an invoice is issued by which the buyer must pay it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.PENDING
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PLATFORM)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(supplier=models.F("buyer")),
                name="contract_has_two_parties",
                violation_error_message=_("The supplier and the buyer must differ."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.supplier_id

    def standing_signatures(self) -> dict[int, "ContractSignature"]:
        """Each side's signature still standing, by party id.

        It reads `signatures.all()`, so a page that prefetched them asks nothing more.
        """
        return signing.standing_by_side(self.signatures.all())

    def supplier_signature(self) -> "ContractSignature | None":
        return self.standing_signatures().get(self.supplier_id)

    def buyer_signature(self) -> "ContractSignature | None":
        return self.standing_signatures().get(self.buyer_id)

    def unsigned_sides(self) -> list:
        """The supplier and the buyer, in that order, if still to sign."""
        return signing.unsigned_sides((self.supplier, self.buyer), self.standing_signatures())

    def is_fully_signed(self) -> bool:
        return not self.unsigned_sides()


class ContractSignature(SignatureBase):
    """A side's signature on the contract's terms, until a change of the draft voids it."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatures")
    # The fingerprint of the terms signed (`terms_digest`); blank where no one kept it:
    # signatures from before the fingerprint was kept, and those of imported contracts.
    terms = models.CharField(_("terms signed"), max_length=64, blank=True)

    class Meta(SignatureBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "party"],
                condition=Q(voided_at__isnull=True),
                name="one_standing_contract_signature_per_side",
            )
        ]


class ContractRecord(TimeStamped):
    """Abstract base for what hangs off a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True

    @property
    def audit_organisation_id(self) -> int:
        return self.contract.supplier_id


class Milestone(ContractRecord):
    """A deliverable the institution accepts, a payment due, a report, a financing event,
    or a step of the procurement that led to the contract (a consultation, an approval)."""

    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.SCHEDULED,
    )
    submitted_on = models.DateField(_("delivered on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acceptance_note = models.TextField(_("acceptance note"), blank=True)
    # A deliverable is met when accepted and a payment when paid; the other kinds have no
    # such step here, and keep the day OCDS says they were met (dateMet).
    met_on = models.DateField(_("met on"), null=True, blank=True)
    ocds_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def procurement_step(self) -> bool:
        """A step of the procurement rather than of the contract: it may come before the
        contract starts, and OCDS places it under planning."""
        return self.kind in MilestoneKind.procurement()

    @property
    def needs_acceptance(self) -> bool:
        """A deliverable or report: the supplier hands it over and the buyer accepts it."""
        return self.kind in MilestoneKind.delivered()

    @property
    def awaiting_acceptance(self) -> bool:
        """Delivered, and the buyer has not judged it yet."""
        return self.status == MilestoneStatus.SCHEDULED and self.submitted_on is not None

    @property
    def deliverable(self) -> bool:
        """A deliverable or report not handed over yet, or to hand over again after the
        buyer found it short."""
        return (
            self.needs_acceptance
            and self.status != MilestoneStatus.MET
            and not self.awaiting_acceptance
        )


class Variation(ContractRecord):
    """A change to an agreed contract: its value, its end date, or both, and why."""

    number = models.PositiveSmallIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    old_value = models.DecimalField(_("value before"), max_digits=14, decimal_places=2)
    new_value = models.DecimalField(
        _("value after"), max_digits=14, decimal_places=2, validators=POSITIVE
    )
    old_end_date = models.DateField(_("end before"))
    new_end_date = models.DateField(_("end after"))
    agreed_on = models.DateField(_("agreed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="variation_number_once")
        ]

    def __str__(self) -> str:
        return _("Variation %(number)s") % {"number": self.number}


AMOUNT = DecimalField(max_digits=14, decimal_places=2)


def _summed(model: type[models.Model]) -> Coalesce:
    """The sum of `model`'s amounts toward the invoice of the outer query; zero without any."""
    rows = (
        model._default_manager.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=AMOUNT), Value(Decimal(0)), output_field=AMOUNT)


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def with_sums(self):
        """Each invoice with what was paid (`paid_amount`) and credited (`credited_amount`),
        added up in the database, for lists of many invoices: `Invoice.paid()`, `credited()`
        and `owed()` read these sums instead of the payments and credit notes."""
        return self.annotate(paid_amount=_summed(Payment), credited_amount=_summed(CreditNote))

    def with_outstanding(self):
        """Each invoice with what is still owed on it (`outstanding`: the amount less what was
        paid and credited), worked out in the database, to sum many invoices at once."""
        return self.annotate(outstanding=F("amount") - _summed(Payment) - _summed(CreditNote))


class Invoice(ContractRecord):
    """A bill the supplier sent the buyer; settled when payments and credits cover it."""

    supplier = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("invoice number"), max_length=100)
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("payment milestone"),
        help_text=_("The payment milestone this invoice bills, if any."),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=AT_LEAST_A_CENT
    )
    currency = models.CharField(_("currency"), max_length=3)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    settled_on = models.DateField(
        _("settled on"), null=True, blank=True, help_text=_("The day nothing was left to pay.")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "number"],
                name="invoice_number_once_per_supplier",
                violation_error_message=_("This supplier already has an invoice with this number."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")),
                name="invoice_due_after_issue",
                violation_error_message=_("The due date must be on or after the issue date."),
            ),
        ]
        indexes = [models.Index(fields=["supplier", "issued_on"])]

    def __str__(self) -> str:
        return self.number

    # What was paid, credited and is still owed: from the sums of `with_sums` when the
    # invoice was read with them, else from the prefetched payments and credit notes (read
    # through `queries.with_money`), in two queries if neither.

    def paid(self) -> Money:
        if "paid_amount" in self.__dict__:
            return Money(self.__dict__["paid_amount"], self.currency)
        return total(_amounts(self.payments), self.currency)

    def credited(self) -> Money:
        if "credited_amount" in self.__dict__:
            return Money(self.__dict__["credited_amount"], self.currency)
        return total(_amounts(self.creditnotes), self.currency)

    def owed(self) -> Money:
        return outstanding(Money(self.amount, self.currency), [self.paid()], [self.credited()])


def _amounts(records) -> list[Money]:
    return [Money(record.amount, record.currency) for record in records.all()]


class InvoiceRecord(TimeStamped):
    """Abstract base for money that reduces what an invoice still asks for."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="%(class)ss")
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=AT_LEAST_A_CENT
    )
    currency = models.CharField(_("currency"), max_length=3)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def audit_organisation_id(self) -> int:
        return self.invoice.supplier_id


class Payment(InvoiceRecord):
    """Money the buyer paid toward an invoice, in full or in part."""

    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    ocds_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class CreditNote(InvoiceRecord):
    """An amount the supplier takes off an invoice."""

    number = models.CharField(_("credit note number"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "number"], name="credit_note_number_once")
        ]

    def __str__(self) -> str:
        return self.number


class PlannedCost(ContractRecord):
    """A cost the supplier expects to pay while it delivers: wages, hosting, licences."""

    description = models.CharField(_("what"), max_length=300)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=AT_LEAST_A_CENT
    )
    currency = models.CharField(_("currency"), max_length=3)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class ImportedRelease(models.Model):
    """An OCDS release already imported, so that a second import creates nothing new."""

    ocid = models.CharField(max_length=200)
    release_id = models.CharField(max_length=200)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="releases")
    date = models.DateTimeField()
    tags = models.JSONField(default=list)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ocid", "release_id"], name="release_imported_once")
        ]

    def __str__(self) -> str:
        return f"{self.ocid} {self.release_id}"
