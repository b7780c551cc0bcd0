"""Money as a Decimal amount with its currency, and the arithmetic of invoices.

Pure Python, no Django: what is still owed, the day an invoice was settled, how long the
buyer took to pay and how late it is, and the weekly cash flow ahead. Amounts in two
currencies never meet in one sum: there is no exchange rate here, so mixing them raises.
"""

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

CENT = Decimal("0.01")
CURRENCY_CODE = re.compile(r"[A-Z]{3}")


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies met in one sum."""


def currency_code(code: str) -> str:
    """`code` if it has the shape of an ISO 4217 code (three upper-case letters)."""
    if not isinstance(code, str) or not CURRENCY_CODE.fullmatch(code):
        raise ValueError(f"{code!r} is not a three-letter ISO 4217 currency code, such as EUR.")
    return code


@dataclass(frozen=True)
class Money:
    """An amount in one currency, kept to the cent."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        # A float has already lost cents before it arrives here: refuse it, and ints too,
        # so every amount is written as the Decimal it is.
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise TypeError(f"An amount of money is a finite Decimal, not {self.amount!r}.")
        currency_code(self.currency)
        object.__setattr__(self, "amount", self.amount.quantize(CENT))

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(Decimal(0), currency)

    def _same_currency(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"{other.currency} cannot be added to or taken from {self.currency}."
            )

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        # An amount reads the same wherever a message shows it: core/formats.py decides how,
        # imported here rather than above so the arithmetic of this module needs no Django.
        from civicbridge.core.formats import money

        return money(self.amount, self.currency)


def total(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of `amounts`, all in `currency`."""
    result = Money.zero(currency)
    for amount in amounts:
        result += amount
    return result


def outstanding_amount(amount: Decimal, paid: Decimal, credited: Decimal) -> Decimal:
    """What is still owed of `amount` after `paid` and `credited`, all in one currency: the
    formula `outstanding` applies to money, and a page applies to sums in one currency."""
    return amount - paid - credited


def outstanding(amount: Money, paid: Iterable[Money], credited: Iterable[Money]) -> Money:
    """What is still owed on an invoice of `amount` after payments and credit notes."""
    currency = amount.currency
    return Money(
        outstanding_amount(
            amount.amount, total(paid, currency).amount, total(credited, currency).amount
        ),
        currency,
    )


def settled_on(amount: Money, reductions: Iterable[tuple[date, Money]]) -> date | None:
    """The day payments and credits, taken in date order, first covered `amount`."""
    covered = Money.zero(amount.currency)
    for day, reduction in sorted(reductions, key=lambda item: item[0]):
        covered += reduction
        if covered.amount >= amount.amount:
            return day
    return None


def days_to_pay(issued_on: date, settled: date | None) -> int | None:
    """Days from the invoice to the day nothing was left to pay; None while unpaid."""
    return None if settled is None else (settled - issued_on).days


def days_overdue(due_on: date, as_of: date, settled: date | None = None) -> int:
    """Days past the due date: up to settlement if it was settled by `as_of`, else to
    `as_of`. Zero when it is not late."""
    end = settled if settled is not None and settled <= as_of else as_of
    return max(0, (end - due_on).days)


def quarter(day: date) -> str:
    """The calendar quarter of `day`, as "2026 Q1"."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def average_days(total: int, count: int) -> Decimal:
    """The average of `count` invoices' days to pay that add up to `total`, to a tenth."""
    return (Decimal(total) / count).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PaymentTimes:
    """How long a group of settled invoices took to pay, in days."""

    days: tuple[int, ...]
    within_terms: int  # settled by their due date

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def average(self) -> Decimal:
        return average_days(sum(self.days), len(self.days))

    @property
    def median(self) -> Decimal:
        return Decimal(str(statistics.median(self.days))).quantize(Decimal("0.1"))

    @property
    def shortest(self) -> int:
        return min(self.days)

    @property
    def longest(self) -> int:
        return max(self.days)

    @property
    def late(self) -> int:
        return self.count - self.within_terms


def payment_times(invoices: Iterable[tuple[date, date, date]]) -> PaymentTimes:
    """Summarise settled invoices given as (issued on, due on, settled on)."""
    days, within = [], 0
    for issued, due, settled in invoices:
        elapsed = days_to_pay(issued, settled)
        assert elapsed is not None  # every invoice here is settled
        days.append(elapsed)
        within += settled <= due
    if not days:
        raise ValueError("There are no settled invoices to summarise.")
    return PaymentTimes(tuple(sorted(days)), within)


def by_quarter(invoices: Iterable[tuple[date, date, date]]) -> list[tuple[str, PaymentTimes]]:
    """Settled invoices (issued, due, settled) summarised per quarter of settlement, in order."""
    groups: dict[str, list[tuple[date, date, date]]] = {}
    for invoice in sorted(invoices, key=lambda item: item[2]):
        groups.setdefault(quarter(invoice[2]), []).append(invoice)
    return [(name, payment_times(rows)) for name, rows in groups.items()]


# The cash flow ahead


@dataclass(frozen=True)
class Flow:
    """Money expected in (positive) or out (negative) on a day, and what it is."""

    day: date
    money: Money
    label: str


@dataclass
class Week:
    """Seven days of the cash flow, and the balance at their end counted from the start."""

    starts_on: date
    money_in: Money
    money_out: Money
    balance: Money
    flows: list[Flow] = field(default_factory=list)

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(days=6)


def weekly(flows: Iterable[Flow], start: date, weeks: int, currency: str) -> list[Week]:
    """Lay `flows` in weeks from `start`; flows before `start` fall in the first week and
    those after the last week are left out. The balance starts at zero."""
    rows = [Week(start + timedelta(weeks=i), *(Money.zero(currency),) * 3) for i in range(weeks)]
    for flow in sorted(flows, key=lambda flow: flow.day):
        index = max(0, (flow.day - start).days // 7)
        if index >= weeks:
            continue
        week = rows[index]
        week.flows.append(flow)
        if flow.money.amount >= 0:
            week.money_in += flow.money
        else:
            week.money_out -= flow.money
    balance = Money.zero(currency)
    for week in rows:
        balance += week.money_in - week.money_out
        week.balance = balance
    return rows


@dataclass(frozen=True)
class Prefinancing:
    """The longest run of weeks in which more has gone out than has come in."""

    weeks: Sequence[Week]
    deepest: Money  # the lowest balance in the run, as a positive amount
    to_the_end: bool  # the run lasts to the last week shown


def longest_prefinancing(weeks: Sequence[Week]) -> Prefinancing | None:
    """The longest run of weeks with a balance below zero, or None when there is none."""
    best: list[Week] = []
    run: list[Week] = []
    for week in weeks:
        if week.balance.amount < 0:
            run.append(week)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    if not best:
        return None
    deepest = min(week.balance.amount for week in best)
    return Prefinancing(
        tuple(best), Money(-deepest, best[0].balance.currency), best[-1] is weeks[-1]
    )
