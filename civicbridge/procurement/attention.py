"""What needs people in service delivery: contracts to sign, and invoices unpaid past due,
for the buyer that owes them and the supplier that is owed (finance people first)."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, F, Min, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.collaborations.attention import (
    MONEY,
    SIGNATURE,
    Line,
    Source,
    Viewer,
    counted,
    for_admins,
    for_finance_or_admins,
    register,
    within,
)
from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Collaboration
from civicbridge.core import formats

from .choices import ContractStatus
from .models import Contract, ContractSignature, Invoice
from .money import Money

AMOUNT = DecimalField(max_digits=16, decimal_places=2)


def overdue_invoices(viewer: Viewer):
    """Invoices unpaid past their due date, with what is still owed on each (`outstanding`)."""
    return Invoice.objects.filter(
        settled_on__isnull=True, due_on__lt=viewer.today
    ).with_outstanding()


class _Overdue(Source):
    urgency = MONEY
    side = ""  # the path of the side whose line it is

    def rows(self, viewer: Viewer, scope):
        invoices = overdue_invoices(viewer).filter(for_finance_or_admins(viewer, self.side))
        return (
            within(invoices, "contract__collaboration", scope)
            .values("currency", collaboration_id=F("contract__collaboration_id"))
            .annotate(n=Count("pk"), since=Min("due_on"), amount=Sum("outstanding"))
            .order_by("since", "collaboration_id", "currency")
        )

    def words(self, row: dict[str, Any]) -> str:
        raise NotImplementedError

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        amount = Money(Decimal(row["amount"]), row["currency"])
        return self.make(
            row,
            collaboration,
            self.words(row) % {"count": row["n"], "date": formats.day(row["since"])},
            reverse("procurement:invoices", args=[collaboration.pk]),
            _("See the invoices"),
            amount=str(amount),
        )


@register
class InvoicesToPay(_Overdue):
    """Invoices the viewer's side (the buyer) has not paid by their due date."""

    kind = "invoices_to_pay"
    label = gettext_lazy("Invoices to pay, overdue")
    side = "contract__buyer"

    def words(self, row: dict[str, Any]) -> str:
        return ngettext(
            "%(count)d invoice to pay, overdue since %(date)s",
            "%(count)d invoices to pay, overdue since %(date)s",
            row["n"],
        )


@register
class PaymentsOverdue(_Overdue):
    """Invoices the viewer's side (the supplier) sent and is still owed past their due date."""

    kind = "payments_overdue"
    label = gettext_lazy("Payments overdue to you")
    side = "supplier"

    def words(self, row: dict[str, Any]) -> str:
        return ngettext(
            "%(count)d invoice unpaid, overdue since %(date)s",
            "%(count)d invoices unpaid, overdue since %(date)s",
            row["n"],
        )


def _unsigned_by(party: str) -> Q:
    return ~Q(
        Exists(
            ContractSignature.objects.valid().filter(contract=OuterRef("pk"), party=OuterRef(party))
        )
    )


@register
class ContractUnsigned(Source):
    """A pending contract the viewer's side (its admins: they sign) has not signed."""

    kind = "contract_unsigned"
    label = gettext_lazy("Contract to sign")
    urgency = SIGNATURE

    def rows(self, viewer: Viewer, scope):
        contracts = (
            Contract.objects.filter(status=ContractStatus.PENDING)
            .exclude(collaboration__stage=Stage.CLOSED)
            .filter(
                (for_admins(viewer, "supplier") & (_unsigned_by("supplier")))
                | (for_admins(viewer, "buyer") & (_unsigned_by("buyer")))
            )
        )
        return counted(contracts, "collaboration", scope, "updated_at")

    def line(self, row: dict[str, Any], collaboration: Collaboration, viewer: Viewer) -> Line:
        return self.make(
            row,
            collaboration,
            ngettext(
                "The contract waits for your side's signature",
                "%(count)d contracts wait for your side's signature",
                row["n"],
            )
            % {"count": row["n"]},
            reverse("procurement:contract", args=[collaboration.pk]),
            _("Read and sign"),
        )
