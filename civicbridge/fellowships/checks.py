"""The fellowship's checks, named by the playbook's fellowship conditions (F2, F4)."""

from datetime import timedelta

from django.utils.translation import gettext as _

from civicbridge.core import formats
from civicbridge.playbook.checks import register

from .models import Placement, PreparationBrief


def _placement(collaboration):
    """The placement as stored now: a caller may hold the collaboration from before a change."""
    return (
        Placement.objects.filter(collaboration=collaboration)
        .select_related("fellow", "supervisor")
        .first()
    )


@register("fellowships.supervisor_statement")
def supervisor_statement(collaboration) -> tuple[bool, str]:
    placement = _placement(collaboration)
    if placement is None:
        return False, _("No placement is recorded yet: name the fellow and the supervisor.")
    if not placement.supervisor_statement:
        return False, _("%(name)s, the supervisor, has not stated their willingness yet.") % {
            "name": placement.supervisor
        }
    return True, _("The supervisor stated their willingness and openness.")


@register("fellowships.fellow_statement")
def fellow_statement(collaboration) -> tuple[bool, str]:
    placement = _placement(collaboration)
    if placement is None:
        return False, _("No placement is recorded yet: name the fellow and the supervisor.")
    if not placement.fellow_statement:
        return False, _("%(name)s, the fellow, has not stated their willingness yet.") % {
            "name": placement.fellow
        }
    return True, _("The fellow stated their willingness and openness.")


@register("fellowships.brief_delivered_in_time")
def brief_delivered_in_time(collaboration) -> tuple[bool, str]:
    from .services import brief_days_before_start

    placement = _placement(collaboration)
    brief = PreparationBrief.objects.filter(placement=placement).first() if placement else None
    if brief is None or brief.delivered_at is None:
        return False, _("The preparation brief has not been delivered to the fellow.")
    days = brief_days_before_start(collaboration)
    deadline = placement.start_date - timedelta(days=days)
    delivered = brief.delivered_at.date()
    if delivered > deadline:
        return False, _(
            "The brief reached the fellow on %(delivered)s, later than %(days)d days before "
            "the start (%(deadline)s)."
        ) % {"delivered": formats.day(delivered), "days": days, "deadline": formats.day(deadline)}
    return True, _("The brief reached the fellow on %(delivered)s, in time.") % {
        "delivered": delivered
    }
