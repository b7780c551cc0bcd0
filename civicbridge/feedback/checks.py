"""The check the playbook's training condition on shortcomings names (T2)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.playbook.checks import register

from .models import Shortcoming


@register("feedback.shortcomings_owned")
def shortcomings_owned(collaboration) -> tuple[bool, str]:
    """Shortcomings are looked at openly: at least one is raised, and every one has a
    proposed solution (the register takes none without) and an owner in the institution."""
    counted = Shortcoming.objects.filter(collaboration=collaboration).aggregate(
        raised=Count("pk"), unowned=Count("pk", filter=Q(owner__isnull=True))
    )
    if not counted["raised"]:
        return False, _(
            "No shortcoming is in the register yet: raise the first with its proposed solution."
        )
    if counted["unowned"]:
        return False, ngettext(
            "%(count)d shortcoming has nobody in the institution owning its solution.",
            "%(count)d shortcomings have nobody in the institution owning their solution.",
            counted["unowned"],
        ) % {"count": counted["unowned"]}
    return True, ngettext(
        "The shortcoming raised has a proposed solution and an owner.",
        "All %(count)d shortcomings raised have a proposed solution and an owner.",
        counted["raised"],
    ) % {"count": counted["raised"]}
