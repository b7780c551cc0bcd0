"""One format per language for dates, numbers and money, and nothing formatted elsewhere."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from civicbridge.core import formats

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for pattern in ("**/templates/**/*.html", "**/templates/**/*.txt", "**/templates/**/*.md")
    for path in ROOT.glob(pattern)
)
MODULES = sorted(
    path
    for path in ROOT.glob("**/*.py")
    if "tests" not in path.parts and "migrations" not in path.parts
)
HELPERS = {ROOT / "core" / "formats.py"}
# Rebuilt at the same time on its own branch (the home as a portfolio): it moves to the
# helpers when that lands, and leaves this set.
# Machines read these: a <time datetime="…"> attribute, a date in a link.
MACHINE_DATE = r"""\|date:(?:'c'|"c"|'Y-m-d'|"Y-m-d")"""
DATE_FIELD = r"[\w.]*(?<!met)(?:_on|_date|_at|_day)"  # met_at: a threshold
MONEY_FIELD = r"[\w.]*\.(?:amount|price|value|estimated_value|max_value|old_value|new_value)"
TEMPLATE_RULES = {
    "a date formatted with |date (use |day, |moment or |month)": re.compile(
        r"\|date(?!:(?:'c'|\"c\"|'Y-m-d'|\"Y-m-d\"))\b"
    ),
    "a time formatted with |time (use |moment)": re.compile(r"\|time\b"),
    "a number formatted with floatformat (use |number or |money)": re.compile(r"floatformat"),
    "an amount followed by its currency (use |money:currency)": re.compile(
        r"\}\}\s*(?:→\s*)?\{\{\s*[\w.]*currency\s*\}\}"
    ),
    "a date shown as it is stored (use |day or |moment)": re.compile(
        rf"\{{\{{\s*{DATE_FIELD}\s*\}}\}}|\bwith\b[^%]*?\b\w+={DATE_FIELD}(?=[\s%])"
    ),
    "an amount shown as it is stored (use |money)": re.compile(
        rf"\{{\{{\s*{MONEY_FIELD}\s*\}}\}}|\bwith\b[^%]*?\b\w+={MONEY_FIELD}(?=[\s%])"
    ),
}
PYTHON_RULES = {
    "date_format() outside core/formats.py (use formats.day, moment or month)": re.compile(
        r"\bdate_format\("
    ),
    "number_format() outside core/formats.py (use formats.number or money)": re.compile(
        r"\bnumber_format\("
    ),
    "strftime() for a person (use formats.day, moment or month)": re.compile(r"\.strftime\("),
    "an amount formatted by hand (use formats.money)": re.compile(r":,\.2f\}"),
}


def offences(text: str, rules: dict[str, re.Pattern]) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, rule in rules.items():
            if rule.search(line):
                found.append(f"line {number}: {what}: {line.strip()[:160]}")
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_show_dates_and_money_only_through_the_helpers(template):
    found = offences(template.read_text(encoding="utf-8"), TEMPLATE_RULES)
    assert not found, "\n".join(found)


def test_python_shows_dates_and_money_only_through_the_helpers():
    found = [
        f"{path.relative_to(ROOT)} {offence}"
        for path in MODULES
        if path not in HELPERS
        for offence in offences(path.read_text(encoding="utf-8"), PYTHON_RULES)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        '{{ start|date:"j M Y" }}',
        "{{ start|date }}",
        '{{ at|time:"H:i" }}',
        '{{ total|floatformat:"2g" }}',
        "{{ plan.estimated_value }} {{ plan.currency }}",
        "{{ a|money }} → {{ b }} {{ contract.currency }}",
        "{{ milestone.due_on }}",
        "{% blocktranslate with date=signature.signed_at %}{{ date }}{% endblocktranslate %}",
        "{{ offering.price }}",
        "{% blocktranslate with value=plan.estimated_value currency=plan.currency %}",
    ],
)
def test_the_template_rules_catch_formatting_by_hand(line):
    assert offences(line, TEMPLATE_RULES)


@pytest.mark.parametrize(
    "line",
    [
        "<time datetime=\"{{ at|date:'c' }}\">{{ at|moment }}</time>",
        "?due_on={{ row.due_on|date:'Y-m-d' }}",
        "{{ plan.estimated_value|money:plan.currency }}",
        '{{ indicator.target|number:"-2" }}',
        "{% blocktranslate with date=signature.signed_at|day %}{{ date }}{% endblocktranslate %}",
        "{% blocktranslate with currency=projection.currency %}In {{ currency }}",
    ],
)
def test_the_template_rules_let_the_helpers_through(line):
    assert not offences(line, TEMPLATE_RULES)


def test_one_format_for_days_moments_and_months_in_english():
    with translation.override("en"):
        assert formats.day(date(2026, 12, 7)) == "7 Dec 2026"
        assert formats.moment(datetime(2026, 12, 7, 14, 5, tzinfo=UTC)) == "7 Dec 2026, 14:05"
        assert formats.month(date(2026, 12, 7)) == "Dec 2026"
        assert formats.day(None) == formats.moment(None) == formats.month(None) == ""


def test_an_aware_moment_shows_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Australia/Hobart"
    late = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # 10:30 on the 7th in Hobart
    with translation.override("en"):
        assert formats.moment(late) == "7 Dec 2026, 10:30"
        assert formats.day(late) == "7 Dec 2026"


def test_money_groups_thousands_and_keeps_the_cents():
    with translation.override("en"):
        assert formats.money(Decimal("180000"), "AUD") == "180,000.00 AUD"
        assert formats.money(Decimal("132000.00"), "AUD") == "132,000.00 AUD"
        assert formats.money(Decimal("-1234.5"), "EUR") == "-1,234.50 EUR"
        assert formats.money(None, "AUD") == ""


def test_money_reads_an_amount_with_its_currency():
    class Amount:
        amount = Decimal("48000")
        currency = "NZD"

    assert formats.money(Amount()) == "48,000.00 NZD"


def test_a_fraction_is_a_number_too():
    assert formats.number(Fraction(9, 2), 2) == "4.50"
    assert formats.number(Fraction(1, 3), -2) == "0.33"


def test_numbers_keep_decimals_only_where_asked():
    assert formats.number(Decimal("3.5"), -2) == "3.50"
    assert formats.number(Decimal("12"), -2) == "12"
    assert formats.number(1234.567, 2) == "1,234.57"


def test_the_filters_show_what_the_functions_show():
    rendered = Template(
        "{% load formats %}{{ d|day }}|{{ d|month }}|{{ a|money:'AUD' }}|{{ n|number:'-2' }}"
    ).render(Context({"d": date(2026, 10, 25), "a": Decimal("180000"), "n": Decimal("2.25")}))
    assert rendered == "25 Oct 2026|Oct 2026|180,000.00 AUD|2.25"
