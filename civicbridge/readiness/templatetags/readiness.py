from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict, key: str):
    return mapping.get(key, {})


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key)


@register.filter
def total_weight(model) -> int:
    return sum(c.weight for c in model.conditions)


@register.filter
def total_points(model) -> float:
    return sum(c.points for c in model.conditions)
