"""Who may do what in a training programme.

The civic side runs the programme: its members write the curriculum and the sessions,
invite officials, take attendance and make the certificates. The institution's admins
see it all and register their own officials. Everyone who sees the collaboration reads
the tabs; a participant's own answers are never shown to anyone, only groups of five or
more. A participant sees their own seats, answers and certificate on their own page.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.collaborations import permissions as collaboration_permissions
from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import Decision
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids

from .models import CertificateRun, Module, Objective, Participant, Session


def can_run(user, collaboration: Collaboration) -> Decision:
    """Members of the civic organisation run the programme."""
    if collaboration.civic_organisation_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of %(civic)s run this training programme.") % {
        "civic": collaboration.civic_organisation.name
    }


def can_register(user, collaboration: Collaboration) -> Decision:
    """The programme's runners, and the institution's admins for their own officials."""
    if can_run(user, collaboration)[0]:
        return True, ""
    if collaboration.institution_id in acting_organisation_ids(user, Access.ADMIN):
        return True, ""
    return False, _(
        "Only members of %(civic)s or admins of %(institution)s register officials."
    ) % {
        "civic": collaboration.civic_organisation.name,
        "institution": collaboration.institution.name,
    }


def get_training_for(user, pk: int) -> Collaboration:
    """A training programme the user may see, else 404 as for any other collaboration."""
    collaboration = collaboration_permissions.get_collaboration_for(user, pk)
    if collaboration.model != Model.TRAINING:
        raise Http404
    return collaboration


def module_of(collaboration: Collaboration, pk: int) -> Module:
    """One module of the programme's curriculum, or 404."""
    module = get_object_or_404(Module, pk=pk, collaboration=collaboration)
    module.collaboration = collaboration
    return module


def objective_of(collaboration: Collaboration, pk: int) -> Objective:
    """One learning objective of the programme's curriculum, or 404."""
    objective = get_object_or_404(
        Objective.objects.select_related("module"), pk=pk, module__collaboration=collaboration
    )
    objective.module.collaboration = collaboration
    return objective


def session_of(collaboration: Collaboration, pk: int) -> Session:
    """One session of the programme, or 404."""
    session = get_object_or_404(Session, pk=pk, collaboration=collaboration)
    session.collaboration = collaboration
    return session


def participant_of(collaboration: Collaboration, pk: int) -> Participant:
    """One participant of the programme, or 404."""
    participant = get_object_or_404(
        Participant.objects.select_related("person", "department"),
        pk=pk,
        collaboration=collaboration,
    )
    participant.collaboration = collaboration
    return participant


def certificate_run_of(collaboration: Collaboration, pk: int) -> CertificateRun:
    """One batch of the programme's certificates, or 404."""
    run = get_object_or_404(CertificateRun, pk=pk, collaboration=collaboration)
    run.collaboration = collaboration
    return run


def own_participations(user) -> QuerySet[Participant]:
    """The programmes the signed-in user takes part in, as an official."""
    if not user.is_authenticated or user.person_id is None:
        return Participant.objects.none()
    return Participant.objects.filter(
        person_id=user.person_id, collaboration__model=Model.TRAINING
    ).select_related(
        "person",
        "department",
        "collaboration__civic_organisation",
        "collaboration__institution",
    )


def own_participant_for(user, pk: int) -> Participant:
    """The user's own place in programme `pk`, else 404."""
    participant = own_participations(user).filter(collaboration_id=pk).first()
    if participant is None:
        raise Http404
    return participant


def can_see_certificate(user, participant: Participant) -> Decision:
    """The participant, the programme's runners and the institution's admins."""
    if user.is_authenticated and user.person_id == participant.person_id:
        return True, ""
    if can_register(user, participant.collaboration)[0]:
        return True, ""
    return False, _("Only the participant and the people running the programme see it.")
