"""The money helpers on plain values: Decimal to the cent, one currency per sum."""

from datetime import date
from decimal import Decimal

import pytest

from civicbridge.procurement.money import (
    CurrencyMismatch,
    Flow,
    Money,
    by_quarter,
    currency_code,
    days_overdue,
    days_to_pay,
    longest_prefinancing,
    outstanding,
    payment_times,
    quarter,
    settled_on,
    total,
    weekly,
)


def aud(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


def test_sums_are_exact_to_the_cent():
    # 0.1 + 0.2 is not 0.3 in floating point; in Decimal it is.
    assert aud("0.10") + aud("0.20") == aud("0.30")
    assert total([aud("0.10")] * 3, "AUD") == aud("0.30")
    assert str(aud("1234567.5")) == "1,234,567.50 AUD"


@pytest.mark.parametrize("amount", [0.1, 10, float("nan")])
def test_an_amount_that_is_not_a_decimal_is_refused(amount):
    with pytest.raises(TypeError):
        Money(amount, "AUD")


def test_infinite_decimal_is_refused():
    with pytest.raises(TypeError):
        Money(Decimal("Infinity"), "AUD")


@pytest.mark.parametrize("code", ["aud", "AU", "AUDD", "A1D", "", " AUD"])
def test_currency_codes_are_three_upper_case_letters(code):
    with pytest.raises(ValueError, match="ISO 4217"):
        currency_code(code)
    assert currency_code("EUR") == "EUR"


def test_adding_or_taking_another_currency_is_refused():
    with pytest.raises(CurrencyMismatch):
        aud("1.00") + Money(Decimal("1.00"), "EUR")
    with pytest.raises(CurrencyMismatch):
        aud("1.00") - Money(Decimal("1.00"), "EUR")
    with pytest.raises(CurrencyMismatch):
        total([aud("1.00"), Money(Decimal("1.00"), "NZD")], "AUD")


def test_outstanding_takes_payments_and_credits_off():
    owed = outstanding(aud("1000.00"), [aud("250.00"), aud("250.10")], [aud("99.90")])
    assert owed == aud("400.00")


def test_outstanding_refuses_a_payment_in_another_currency():
    with pytest.raises(CurrencyMismatch):
        outstanding(aud("1000.00"), [Money(Decimal("1000.00"), "EUR")], [])


def test_settled_on_is_the_day_payments_and_credits_first_cover_the_amount():
    reductions = [
        (date(2026, 3, 20), aud("300.00")),  # given out of order: sorted by day
        (date(2026, 2, 1), aud("600.00")),
        (date(2026, 3, 1), aud("100.00")),
        (date(2026, 4, 1), aud("5.00")),
    ]
    assert settled_on(aud("1000.00"), reductions) == date(2026, 3, 20)
    assert settled_on(aud("1000.01"), reductions) == date(2026, 4, 1)
    assert settled_on(aud("1005.01"), reductions) is None
    assert settled_on(aud("700.00"), reductions) == date(2026, 3, 1)


def test_days_to_pay_counts_from_issue_to_settlement():
    assert days_to_pay(date(2026, 1, 1), date(2026, 3, 2)) == 60
    assert days_to_pay(date(2026, 1, 1), None) is None


def test_days_overdue_counts_past_the_due_date_until_settled_or_today():
    due = date(2026, 1, 31)
    assert days_overdue(due, as_of=date(2026, 1, 31)) == 0
    assert days_overdue(due, as_of=date(2026, 2, 1)) == 1
    assert days_overdue(due, as_of=date(2026, 1, 1)) == 0
    # Settled 10 days late: it stays 10, however long ago that was.
    assert days_overdue(due, as_of=date(2026, 6, 1), settled=date(2026, 2, 10)) == 10
    # Settled after the day asked about: counted to that day.
    assert days_overdue(due, as_of=date(2026, 2, 5), settled=date(2026, 2, 10)) == 5


def test_quarters():
    assert quarter(date(2026, 1, 1)) == "2026 Q1"
    assert quarter(date(2026, 3, 31)) == "2026 Q1"
    assert quarter(date(2026, 4, 1)) == "2026 Q2"
    assert quarter(date(2026, 12, 31)) == "2026 Q4"


def test_payment_times_on_known_invoices():
    times = payment_times(
        [
            (date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 21)),  # 20 days, in time
            (date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 31)),  # 30, on the due day
            (date(2026, 1, 1), date(2026, 1, 31), date(2026, 4, 1)),  # 90, late
        ]
    )
    assert times.days == (20, 30, 90)
    assert (times.count, times.within_terms, times.late) == (3, 2, 1)
    assert times.average == Decimal("46.7")
    assert times.median == Decimal("30.0")
    assert (times.shortest, times.longest) == (20, 90)


def test_payment_times_of_nothing_is_refused():
    with pytest.raises(ValueError):
        payment_times([])


def test_by_quarter_groups_by_the_quarter_of_settlement_in_order():
    rows = by_quarter(
        [
            (date(2026, 4, 1), date(2026, 5, 1), date(2026, 5, 11)),
            (date(2025, 12, 1), date(2025, 12, 31), date(2026, 2, 1)),
            (date(2026, 1, 1), date(2026, 1, 31), date(2026, 3, 1)),
        ]
    )
    assert [(name, times.days) for name, times in rows] == [
        ("2026 Q1", (59, 62)),
        ("2026 Q2", (40,)),
    ]


def test_weekly_cash_flow_and_the_longest_prefinancing():
    start = date(2026, 3, 2)
    flows = [
        Flow(date(2026, 2, 1), aud("100.00"), "overdue: falls in the first week"),
        Flow(date(2026, 3, 3), -aud("500.00"), "wages"),
        Flow(date(2026, 3, 10), -aud("500.00"), "wages"),
        Flow(date(2026, 3, 24), aud("1000.00"), "invoice 1"),
        Flow(date(2026, 3, 31), -aud("200.00"), "hosting"),
        Flow(date(2026, 6, 1), aud("9999.00"), "after the window"),
    ]
    weeks = weekly(flows, start, 5, "AUD")
    assert [w.balance for w in weeks] == [
        aud("-400.00"),
        aud("-900.00"),
        aud("-900.00"),
        aud("100.00"),
        aud("-100.00"),
    ]
    assert weeks[0].money_in == aud("100.00")
    assert weeks[0].money_out == aud("500.00")
    assert weeks[1].ends_on == date(2026, 3, 15)
    run = longest_prefinancing(weeks)
    assert run is not None
    assert [w.starts_on for w in run.weeks] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert run.deepest == aud("900.00")
    assert not run.to_the_end


def test_no_prefinancing_when_money_comes_in_first():
    weeks = weekly(
        [Flow(date(2026, 3, 2), aud("10.00"), "in"), Flow(date(2026, 3, 9), -aud("10.00"), "out")],
        date(2026, 3, 2),
        3,
        "AUD",
    )
    assert longest_prefinancing(weeks) is None


def test_prefinancing_to_the_end_of_the_window_says_so():
    weeks = weekly([Flow(date(2026, 3, 9), -aud("10.00"), "out")], date(2026, 3, 2), 3, "AUD")
    run = longest_prefinancing(weeks)
    assert run is not None and run.to_the_end and len(run.weeks) == 2


def test_weekly_refuses_a_flow_in_another_currency():
    with pytest.raises(CurrencyMismatch):
        weekly(
            [Flow(date(2026, 3, 2), Money(Decimal("1.00"), "EUR"), "x")], date(2026, 3, 2), 1, "AUD"
        )
