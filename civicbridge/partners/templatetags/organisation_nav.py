"""The sub-navigation of an organisation's pages: `{% organisation_nav organisation %}`."""

from django import template

from .. import extensions

register = template.Library()


@register.inclusion_tag("partners/_organisation_nav.html", takes_context=True)
def organisation_nav(context, organisation) -> dict:
    """The sections the signed-in user may open, the current page's marked."""
    request = context["request"]
    match = request.resolver_match
    current = match.view_name if match else ""
    return {
        "organisation": organisation,
        "sections": extensions.sections(request.user, organisation, current),
    }
