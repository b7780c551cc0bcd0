"""The training programme's checks, named by the playbook's training conditions (T1)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.playbook.checks import register

from .choices import FOLLOW_UP_MONTHS, Moment, SeatStatus
from .models import Participant, SelfAssessment
from .queries import departments_count


@register("training.several_departments")
def several_departments(collaboration) -> tuple[bool, str]:
    """Officials are named from more than one department of the institution."""
    named = collaboration.training_participants.count()
    if not named:
        return False, _("No participants are named yet: name officials from several departments.")
    departments = departments_count(collaboration)
    if departments < 2:
        return False, _(
            "Every participant comes from one department: name officials of other departments "
            "too, so the change does not stay in one office."
        )
    return True, ngettext(
        "%(count)d participant from several departments.",
        "%(count)d participants from %(departments)d departments.",
        named,
    ) % {"count": named, "departments": departments}


@register("training.capacity_before")
def capacity_before(collaboration) -> tuple[bool, str]:
    """Every participant rated their capacity before the programme starts."""
    participants = collaboration.training_participants.count()
    if not participants:
        return False, _("No participants are named yet, so nobody's capacity was measured.")
    answered = SelfAssessment.objects.filter(
        participant__collaboration=collaboration,
        moment=Moment.BEFORE,
        answered_at__isnull=False,
    ).count()
    if answered < participants:
        return False, _(
            "%(answered)d of %(count)d participants rated their capacity before the first "
            "session: send the others their link."
        ) % {"answered": answered, "count": participants}
    return True, _("Every participant rated their capacity before the first session.")


@register("training.follow_ups_planned")
def follow_ups_planned(collaboration) -> tuple[bool, str]:
    """Everyone who attended will be asked again three and six months on."""
    alumni = (
        Participant.objects.filter(collaboration=collaboration, seats__status=SeatStatus.ATTENDED)
        .distinct()
        .count()
    )
    if not alumni:
        return False, _("Nobody attended a session yet: take attendance first.")
    planned = SelfAssessment.objects.filter(
        participant__collaboration=collaboration, moment__in=list(FOLLOW_UP_MONTHS)
    ).count()
    if planned < alumni * len(FOLLOW_UP_MONTHS):
        return False, _(
            "The follow-ups at three and six months are not planned for everyone who attended: "
            "plan them on the capacity tab."
        )
    return True, _("Everyone who attended will be asked again at three and six months.")
