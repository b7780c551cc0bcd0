"""Dates, numbers and money as a person reads them: one format per language, everywhere.

Every page, PDF, e-mail and message shows a date or an amount through these functions (and
the template filters of the same names in `templatetags/formats.py`), never with a format
string of its own. The formats themselves are the active language's DATE_FORMAT,
DATETIME_FORMAT, YEAR_MONTH_FORMAT and number separators (see `locale_formats/`), so a new
language changes them in one place.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils import timezone
from django.utils.formats import date_format, number_format

MONEY_PLACES = 2


def _local(value: date | datetime) -> date | datetime:
    """An aware date and time in the site's time zone, as the person reading it lives."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value: date | datetime | None) -> str:
    """The day, as "7 Dec 2026" in English; "" for no date."""
    if value is None or value == "":
        return ""
    return date_format(_local(value), "DATE_FORMAT")


def moment(value: datetime | None) -> str:
    """The day and the time of day, as "7 Dec 2026, 14:05" in English; "" for none."""
    if value is None or value == "":
        return ""
    return date_format(_local(value), "DATETIME_FORMAT")


def month(value: date | datetime | None) -> str:
    """The month and year, as "Dec 2026" in English; "" for no date."""
    if value is None or value == "":
        return ""
    return date_format(_local(value), "YEAR_MONTH_FORMAT")


def number(value, places: int = 0) -> str:
    """A number with the language's separators: `places` decimals, or up to -`places` when
    negative (1.5 and 2 for -2, as floatformat does). "" for no number."""
    if value is None or value == "":
        return ""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    shown = abs(places)
    if places < 0 and amount == amount.to_integral_value():
        shown = 0
    return number_format(
        amount.quantize(Decimal(1).scaleb(-shown)), decimal_pos=shown, force_grouping=True
    )


def _decimal(value) -> Decimal | None:
    """`value` as a Decimal: an int, Decimal, float, fraction or numeric string; None if it
    is no number."""
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(amount, currency: str = "") -> str:
    """An amount and its currency, as "132,000.00 AUD" in English.

    `amount` is a number with `currency` beside it, or anything with `.amount` and
    `.currency` (the procurement room's Money). "" for no amount.
    """
    if amount is None or amount == "":
        return ""
    if hasattr(amount, "currency") and hasattr(amount, "amount"):
        amount, currency = amount.amount, currency or amount.currency
    shown = number(amount, MONEY_PLACES)
    return f"{shown} {currency}" if currency else shown
