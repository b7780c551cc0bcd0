"""Who may read and write beneficiaries' feedback and the register of shortcomings.

Feedback: the civic side's members moderate it and alone read what waits or was rejected,
and the e-mail addresses; the institution's members answer what was published; everyone
who sees the collaboration reads what was published. Shortcomings: the civic side raises
them and changes them while proposed; the institution decides and acts on them; both
sides read the register, and anyone reads it once published on a public collaboration.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.permissions import get_public_collaboration
from civicbridge.core.permissions import Decision
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .choices import FeedbackStatus, ShortcomingStatus
from .models import Feedback, Service, Shortcoming, ShortcomingRegister


def is_civic_member(user, collaboration: Collaboration) -> bool:
    return collaboration.civic_organisation_id in acting_organisation_ids(user, Access.MEMBER)


def is_institution_member(user, collaboration: Collaboration) -> bool:
    return collaboration.institution_id in acting_organisation_ids(user, Access.MEMBER)


def can_moderate(user, collaboration: Collaboration) -> Decision:
    """The civic side reads feedback first and decides what is published."""
    if is_civic_member(user, collaboration):
        return True, ""
    return False, _("Only members of %(civic)s moderate the feedback.") % {
        "civic": collaboration.civic_organisation.name
    }


def can_answer(user, feedback: Feedback) -> Decision:
    """The institution answers feedback once it is published."""
    collaboration = feedback.collaboration
    if not is_institution_member(user, collaboration):
        return False, _("Only members of %(institution)s answer the feedback.") % {
            "institution": collaboration.institution.name
        }
    if feedback.status != FeedbackStatus.PUBLISHED:
        return False, _("Only published feedback can be answered.")
    return True, ""


def can_raise(user, collaboration: Collaboration) -> Decision:
    """The civic side raises shortcomings, each with a proposed solution."""
    if is_civic_member(user, collaboration):
        return True, ""
    return False, _("Only members of %(civic)s raise shortcomings.") % {
        "civic": collaboration.civic_organisation.name
    }


def can_change_shortcoming(user, shortcoming: Shortcoming) -> Decision:
    """The civic side changes what it raised until the institution decides on it."""
    allowed, reason = can_raise(user, shortcoming.collaboration)
    if not allowed:
        return allowed, reason
    if shortcoming.status != ShortcomingStatus.PROPOSED:
        return False, _("The institution has decided on this shortcoming: it can no longer change.")
    return True, ""


def can_decide(user, collaboration: Collaboration) -> Decision:
    """The institution accepts or declines a shortcoming and marks its progress."""
    if is_institution_member(user, collaboration):
        return True, ""
    return False, _("Only members of %(institution)s accept, decline or progress a solution.") % {
        "institution": collaboration.institution.name
    }


def can_publish_register(user, collaboration: Collaboration) -> Decision:
    """An admin of either side publishes the register, or takes it back."""
    admins = acting_organisation_ids(user, Access.ADMIN)
    if set(collaboration.party_ids) & admins:
        return True, ""
    return False, _(
        "Only an admin of %(civic)s or %(institution)s publishes the register of shortcomings."
    ) % {
        "civic": collaboration.civic_organisation.name,
        "institution": collaboration.institution.name,
    }


# What each reader sees.


def feedback_for(user, collaboration: Collaboration):
    """The feedback `user` reads on a collaboration they see: all of it for the civic
    side's members, the published for everyone else."""
    rows = Feedback.objects.filter(collaboration=collaboration).select_related("service")
    if is_civic_member(user, collaboration):
        return rows
    return rows.published()


def feedback_of(user, collaboration: Collaboration, pk: int) -> Feedback:
    """One feedback of the collaboration that `user` may read, or 404."""
    feedback = get_object_or_404(feedback_for(user, collaboration), pk=pk)
    feedback.collaboration = collaboration
    return feedback


def service_of(collaboration: Collaboration, pk: int) -> Service:
    """One service of the collaboration, or 404."""
    service = get_object_or_404(Service.objects.filter(collaboration=collaboration), pk=pk)
    service.collaboration = collaboration
    return service


def shortcoming_of(collaboration: Collaboration, pk: int) -> Shortcoming:
    """One shortcoming of the collaboration, or 404."""
    shortcoming = get_object_or_404(
        Shortcoming.objects.filter(collaboration=collaboration).select_related("owner"), pk=pk
    )
    shortcoming.collaboration = collaboration
    return shortcoming


def register_published(collaboration: Collaboration) -> bool:
    return ShortcomingRegister.objects.filter(collaboration=collaboration, published=True).exists()


def get_public_register(pk: int) -> Collaboration:
    """A public collaboration whose register of shortcomings is published, else 404."""
    collaboration = get_public_collaboration(pk)
    if not register_published(collaboration):
        raise Http404
    return collaboration
