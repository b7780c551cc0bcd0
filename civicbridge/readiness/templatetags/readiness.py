from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def lookup(mapping: dict, key: str):
    return mapping.get(key, {})


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key)


@register.filter
def answered_points(model) -> float:
    return float(model.exact_points)


@register.filter
def place(where) -> str:
    """Where a quote stands in the report, e.g. “Sustainable Solutions”, paragraph 1."""
    if where is None:
        return ""
    if where.section:
        text = _("“%(section)s”, paragraph %(paragraph)d") % {
            "section": where.section,
            "paragraph": where.paragraph,
        }
    else:
        text = _("opening, paragraph %(paragraph)d") % {"paragraph": where.paragraph}
    if where.point:
        text += _(", point %(point)d") % {"point": where.point}
    return text
