"""The consulting checks the playbook's consulting conditions name (C1, F8): every
deliverable accepted by the institution, an owner named for every recommendation, and
each recommendation's adoption followed."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.playbook.checks import register

from .models import Deliverable, Recommendation


@register("consulting.deliverables_accepted")
def deliverables_accepted(collaboration) -> tuple[bool, str]:
    deliverables = Deliverable.objects.filter(collaboration=collaboration)
    total = deliverables.count()
    if not total:
        return False, _(
            "No deliverable is planned: the institution accepts the advice as deliverables."
        )
    waiting = total - deliverables.accepted().count()
    if waiting:
        return False, ngettext(
            "%(count)d deliverable is not accepted by the institution yet.",
            "%(count)d deliverables are not accepted by the institution yet.",
            waiting,
        ) % {"count": waiting}
    return True, ngettext(
        "The institution accepted the deliverable.",
        "The institution accepted all %(count)d deliverables.",
        total,
    ) % {"count": total}


@register("consulting.owner_named")
def owner_named(collaboration) -> tuple[bool, str]:
    standing = Recommendation.objects.filter(collaboration=collaboration).standing()
    if not standing.exists():
        return False, _(
            "No recommendation is recorded: the result the institution owns is its "
            "recommendations, each with an owner."
        )
    unowned = standing.filter(owner__isnull=True).count()
    if unowned:
        return False, ngettext(
            "%(count)d recommendation has no owner at the institution yet.",
            "%(count)d recommendations have no owner at the institution yet.",
            unowned,
        ) % {"count": unowned}
    return True, _("The institution named an owner for every recommendation.")


@register("consulting.recommendations_tracked")
def recommendations_tracked(collaboration) -> tuple[bool, str]:
    recommendations = Recommendation.objects.filter(collaboration=collaboration)
    if not recommendations.exists():
        return False, _("No recommendation is recorded yet.")
    untracked = recommendations.filter(updates__isnull=True).count()
    if untracked:
        return False, ngettext(
            "%(count)d recommendation has no update on its adoption yet.",
            "%(count)d recommendations have no update on their adoption yet.",
            untracked,
        ) % {"count": untracked}
    return True, _("Every recommendation has at least one update on its adoption.")
