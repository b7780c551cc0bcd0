"""Service delivery's reminders: invoices the buyer has not paid by their due date."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicbridge.collaborations.reminders import (
    Due,
    Recipients,
    register,
    settled,
    settled_by_object,
)
from civicbridge.core import formats

from .models import Invoice
from .queries import invoice_row

INVOICE_OVERDUE = "invoice_overdue"
INVOICE_CHASE_DAYS = 30  # an unpaid invoice is raised again every 30 days it stays overdue


@register(INVOICE_OVERDUE, gettext_lazy("Invoice overdue"), order=80)
def invoices_overdue(today: date, since: datetime | None = None) -> Iterator[Due]:
    """Unpaid invoices past their due date, for the supplier's members and admins (those
    who keep its books): the day after, and again every 30 days while still unpaid."""
    unpaid = Invoice.objects.filter(settled_on__isnull=True, due_on__lt=today)
    if since is not None:
        unpaid = unpaid.filter(updated_at__gte=since)
    invoices = list(
        unpaid.with_sums()
        .select_related("contract__buyer", "contract__collaboration")
        .order_by("pk")
    )
    people = Recipients({invoice.supplier_id for invoice in invoices})
    for invoice in invoices:
        row = invoice_row(invoice, today)
        period = (row.days_overdue - 1) // INVOICE_CHASE_DAYS
        collaboration = invoice.contract.collaboration
        context = {
            "number": invoice.number,
            "buyer": invoice.contract.buyer.name,
            "owed": row.outstanding,
            "date": formats.day(invoice.due_on),
            "days": row.days_overdue,
            "title": collaboration.title,
        }
        for user_id in people.members[invoice.supplier_id]:
            yield Due(
                INVOICE_OVERDUE,
                f"{INVOICE_OVERDUE}:{invoice.pk}:{invoice.due_on}-{period}",
                user_id,
                collaboration.pk,
                _("Invoice %(number)s overdue: %(buyer)s") % context,
                ngettext(
                    "%(buyer)s still owes %(owed)s on invoice %(number)s for “%(title)s”, "
                    "due %(date)s: %(days)d day overdue.",
                    "%(buyer)s still owes %(owed)s on invoice %(number)s for “%(title)s”, "
                    "due %(date)s: %(days)d days overdue.",
                    row.days_overdue,
                )
                % context,
                reverse("procurement:invoices", args=[collaboration.pk]),
                invoice.due_on,
            )


@settled(INVOICE_OVERDUE)
def invoices_paid(reminders) -> Iterable[int]:
    """Settled once the invoice is: paid, or credited, in full."""
    return settled_by_object(
        reminders,
        lambda ids: Invoice.objects.filter(pk__in=ids, settled_on__isnull=True).values_list(
            "pk", flat=True
        ),
    )
