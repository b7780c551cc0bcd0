"""The template filters that show dates, numbers and money: `{% load formats %}`, then
`{{ start|day }}`, `{{ signed_at|moment }}`, `{{ period|month }}`, `{{ value|number:"-2" }}`
and `{{ amount|money:currency }}` (or `{{ money_object|money }}`).

A template never formats these itself (no `|date:"…"`, no `floatformat`): a test reads
every template for that. `|date:"c"` and `|date:"Y-m-d"` stay, for machines only
(`<time datetime>`, links).
"""

from django import template

from civicbridge.core import formats

register = template.Library()

register.filter("day", formats.day)
register.filter("moment", formats.moment)
register.filter("month", formats.month)
register.filter("money", formats.money)


@register.filter("number")
def number(value, places=0) -> str:
    return formats.number(value, int(places))
