"""What the contract, invoice and money pages read, each in a fixed number of queries.

The money itself is worked out by the pure helpers in `money`; here the rows are fetched
with what they need (payments, credit notes, parties) in one query per kind of row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from civicbridge.core import formats
from civicbridge.partners.models import Organisation

from . import money
from .choices import ContractStatus, MilestoneKind, MilestoneStatus
from .models import Contract, CreditNote, Invoice, Milestone, Payment, PlannedCost
from .money import Money

CASH_FLOW_WEEKS = 13  # the next 90 days, a week at a time


def with_money(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Invoices with their payments and credit notes, to work out what is owed."""
    return invoices.prefetch_related("payments", "creditnotes")


@dataclass
class InvoiceRow:
    """An invoice with what was paid and credited, what is still owed, and how late."""

    invoice: Invoice
    paid: Money
    credited: Money
    outstanding: Money
    days_to_pay: int | None
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.invoice.settled_on is None and self.days_overdue > 0


def invoice_row(invoice: Invoice, today: date) -> InvoiceRow:
    """The row of an invoice fetched through `with_money`."""
    return InvoiceRow(
        invoice,
        invoice.paid(),
        invoice.credited(),
        invoice.owed(),
        money.days_to_pay(invoice.issued_on, invoice.settled_on),
        money.days_overdue(invoice.due_on, today, invoice.settled_on),
    )


def invoice_rows(invoices: QuerySet[Invoice], today: date) -> list[InvoiceRow]:
    return [invoice_row(invoice, today) for invoice in with_money(invoices)]


def totals(rows: list[InvoiceRow]) -> dict[str, dict[str, Money]]:
    """What the rows come to per currency: invoiced, paid, credited, owed and overdue."""
    sums: dict[str, dict[str, Money]] = {}
    for row in rows:
        currency = row.invoice.currency
        zero = Money.zero(currency)
        line = sums.setdefault(
            currency, dict.fromkeys(("invoiced", "paid", "credited", "owed", "overdue"), zero)
        )
        line["invoiced"] += Money(row.invoice.amount, currency)
        line["paid"] += row.paid
        line["credited"] += row.credited
        line["owed"] += row.outstanding
        if row.overdue:
            line["overdue"] += row.outstanding
    return sums


# The Contract tab


def contracts_of(collaboration, *, with_costs: bool) -> list[Contract]:
    """The collaboration's contracts with their milestones, variations and, for the
    supplier's side, planned costs."""
    contracts = (
        Contract.objects.filter(collaboration=collaboration)
        .select_related("supplier", "buyer")
        .with_signatures()
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("accepted_by__person").prefetch_related(
                    "invoices"
                ),
            ),
            "variations__recorded_by__person",
        )
        .order_by("start_date", "pk")
    )
    if with_costs:
        contracts = contracts.prefetch_related("plannedcosts")
    found = list(contracts)
    for contract in found:
        contract.collaboration = collaboration
    return found


# Money owed to a civic organisation


@dataclass
class Exposure:
    """What one institution owes the organisation in one currency, and how late it is.

    `buyer` is loaded only for the exposures a page shows (`with_buyers`); an organisation
    may be owed by thousands of institutions.
    """

    buyer_id: int
    buyer_name: str
    currency: str
    owed_amount: Decimal
    overdue_amount: Decimal
    open_count: int = 0
    overdue_count: int = 0
    oldest_days_overdue: int = 0
    buyer: Organisation | None = None

    @property
    def owed(self) -> Money:
        return Money(self.owed_amount, self.currency)

    @property
    def overdue(self) -> Money:
        return Money(self.overdue_amount, self.currency)


def _reductions(model, organisation: Organisation, today: date) -> dict[tuple[int, str], tuple]:
    """What `model` (payments or credit notes) takes off the unpaid invoices, per buyer and
    currency: in all, and off the overdue ones."""
    rows = (
        model.objects.filter(invoice__supplier=organisation, invoice__settled_on__isnull=True)
        .values("invoice__contract__buyer_id", "invoice__currency")
        .annotate(
            everything=Sum("amount"), overdue=Sum("amount", filter=Q(invoice__due_on__lt=today))
        )
        .order_by()
        .values_list("invoice__contract__buyer_id", "invoice__currency", "everything", "overdue")
    )
    return {
        (buyer, currency): (everything, overdue or ZERO)
        for buyer, currency, everything, overdue in rows
    }


ZERO = Decimal(0)


def money_owed(organisation: Organisation, today: date) -> list[Exposure]:
    """Each institution's unpaid invoices to the organisation, most overdue first.

    Summed in the database per institution and currency, in three queries whatever the
    number of invoices: what was invoiced, paid and credited, which `money` takes one from
    the other.
    """
    unpaid = Invoice.objects.filter(supplier=organisation, settled_on__isnull=True)
    late = Q(due_on__lt=today)
    groups = (
        unpaid.values("contract__buyer_id", "contract__buyer__name", "currency")
        .annotate(
            invoiced=Sum("amount"),
            invoiced_late=Sum("amount", filter=late),
            open_count=Count("pk"),
            overdue_count=Count("pk", filter=late),
            oldest_due=Min("due_on", filter=late),
        )
        .order_by()
        .values_list(
            "contract__buyer_id",
            "contract__buyer__name",
            "currency",
            "invoiced",
            "invoiced_late",
            "open_count",
            "overdue_count",
            "oldest_due",
        )
    )
    paid = _reductions(Payment, organisation, today)
    credited = _reductions(CreditNote, organisation, today)
    found = []
    nothing = (ZERO, ZERO)
    for buyer, name, currency, invoiced, invoiced_late, count, late_count, oldest in groups:
        paid_all, paid_late = paid.get((buyer, currency), nothing)
        credited_all, credited_late = credited.get((buyer, currency), nothing)
        found.append(
            Exposure(
                buyer,
                name,
                currency,
                money.outstanding_amount(invoiced, paid_all, credited_all),
                money.outstanding_amount(invoiced_late or ZERO, paid_late, credited_late),
                open_count=count,
                overdue_count=late_count,
                oldest_days_overdue=money.days_overdue(oldest, today) if oldest else 0,
            )
        )
    return sorted(
        found,
        key=lambda e: (-e.oldest_days_overdue, -e.overdue_amount, e.buyer_name, e.currency),
    )


def with_buyers(exposures: list[Exposure]) -> list[Exposure]:
    """`exposures` (a page of them) with their buyers, in one query."""
    buyers = Organisation.objects.in_bulk({exposure.buyer_id for exposure in exposures})
    for exposure in exposures:
        exposure.buyer = buyers[exposure.buyer_id]
    return exposures


# An institution's payment record


@dataclass
class PaymentRecord:
    """How an institution paid the invoices the user may see: per quarter, and now."""

    quarters: list[tuple[str, money.PaymentTimes]]
    overall: money.PaymentTimes | None
    open_rows: list[InvoiceRow]
    suppliers: int

    @property
    def overdue_rows(self) -> list[InvoiceRow]:
        return [row for row in self.open_rows if row.overdue]


def payment_record(invoices: QuerySet[Invoice], today: date) -> PaymentRecord:
    """Summarise `invoices` (one institution's, as far as the user may see them)."""
    settled = [
        (issued, due, paid)
        for issued, due, paid in invoices.values_list("issued_on", "due_on", "settled_on")
        if paid is not None
    ]
    open_rows = invoice_rows(
        invoices.filter(settled_on__isnull=True)
        .select_related("supplier")
        .order_by("due_on", "pk"),
        today,
    )
    return PaymentRecord(
        quarters=money.by_quarter(settled),
        overall=money.payment_times(settled) if settled else None,
        open_rows=open_rows,
        suppliers=invoices.values("supplier_id").distinct().count(),
    )


# The cash flow ahead


@dataclass
class CashFlow:
    """The weeks ahead in one currency, and what is expected beyond them."""

    currency: str
    weeks: list[money.Week]
    prefinancing: money.Prefinancing | None
    later: Money
    flows: list[money.Flow] = field(default_factory=list)

    @property
    def ends_on(self) -> date:
        return self.weeks[-1].ends_on


@dataclass(frozen=True)
class Lateness:
    """How many days past the due date an institution paid the organisation, on average."""

    buyer: str
    days: int


def average_lateness(organisation: Organisation) -> dict[int, Lateness]:
    """Each institution's average lateness over the invoices the organisation settled."""
    late: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    for buyer, name, due, settled in Invoice.objects.filter(
        supplier=organisation, settled_on__isnull=False
    ).values_list("contract__buyer_id", "contract__buyer__name", "due_on", "settled_on"):
        assert settled is not None  # filtered so
        late[buyer].append(money.days_overdue(due, settled, settled))
        names[buyer] = name
    return {
        buyer: Lateness(names[buyer], round(sum(days) / len(days))) for buyer, days in late.items()
    }


def _late_by(lateness: dict[int, Lateness], buyer_id: int) -> int:
    known = lateness.get(buyer_id)
    return known.days if known else 0


def _expected(due: date, lateness: int, today: date) -> date:
    """When money due on `due` is likely to arrive: as late as the payer usually is, and
    not before today."""
    return max(today, due + timedelta(days=lateness))


def cash_flow(
    organisation: Organisation, today: date
) -> tuple[list[CashFlow], dict[int, Lateness]]:
    """The organisation's money expected in and planned out over the next 90 days, per
    currency, and the average lateness of each institution it was counted with."""
    lateness = average_lateness(organisation)
    end = today + timedelta(weeks=CASH_FLOW_WEEKS)
    flows: dict[str, list[money.Flow]] = defaultdict(list)
    later: dict[str, Money] = {}

    def expect(flow: money.Flow) -> None:
        currency = flow.money.currency
        if flow.day >= end:
            later[currency] = later.get(currency, Money.zero(currency)) + flow.money
        else:
            flows[currency].append(flow)

    open_invoices = Invoice.objects.filter(supplier=organisation, settled_on__isnull=True)
    for row in invoice_rows(open_invoices.select_related("contract__buyer"), today):
        buyer = row.invoice.contract.buyer
        day = _expected(row.invoice.due_on, _late_by(lateness, buyer.pk), today)
        expect(
            money.Flow(
                day,
                row.outstanding,
                _("Invoice %(number)s from %(buyer)s, due %(due)s")
                % {
                    "number": row.invoice.number,
                    "buyer": buyer.name,
                    "due": formats.day(row.invoice.due_on),
                },
            )
        )
    milestones = Milestone.objects.filter(
        contract__supplier=organisation,
        contract__status=ContractStatus.ACTIVE,
        kind=MilestoneKind.PAYMENT,
        amount__isnull=False,
        invoices__isnull=True,
    ).exclude(status=MilestoneStatus.MET)
    for milestone in milestones.select_related("contract__buyer"):
        assert milestone.amount is not None  # filtered so
        contract = milestone.contract
        due = milestone.due_on + timedelta(days=contract.payment_terms_days)
        expect(
            money.Flow(
                _expected(due, _late_by(lateness, contract.buyer_id), today),
                Money(milestone.amount, milestone.currency),
                _("Payment milestone “%(title)s” of %(buyer)s, not invoiced yet")
                % {"title": milestone.title, "buyer": contract.buyer.name},
            )
        )
    costs = PlannedCost.objects.filter(
        contract__supplier=organisation, due_on__gte=today, due_on__lt=end
    ).select_related("contract")
    for cost in costs:
        expect(
            money.Flow(
                cost.due_on,
                -Money(cost.amount, cost.currency),
                _("%(what)s (%(contract)s)")
                % {"what": cost.description, "contract": cost.contract},
            )
        )
    projections = []
    for currency in sorted(set(flows) | set(later)):
        weeks = money.weekly(flows[currency], today, CASH_FLOW_WEEKS, currency)
        projections.append(
            CashFlow(
                currency,
                weeks,
                money.longest_prefinancing(weeks),
                later.get(currency, Money.zero(currency)),
                sorted(flows[currency], key=lambda flow: flow.day),
            )
        )
    return projections, lateness
