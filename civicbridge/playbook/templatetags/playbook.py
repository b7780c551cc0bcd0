from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def tr(text: dict | None, fallback: str = "en") -> str:
    """The text in the page's language, else in the playbook's own language."""
    if not text:
        return ""
    language = (get_language() or fallback).split("-")[0]
    return text.get(language) or text.get(fallback) or next(iter(text.values()))
