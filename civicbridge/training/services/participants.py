"""Participants (T1): officials of the institution, by department, named by the programme's
runners or registered by the institution's admins; and the reformers among them (G5)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.collaborations.models import Collaboration, Reform
from civicbridge.collaborations.services import actor_name, is_current_member, record_activity
from civicbridge.collaborations.services.credit import update_reform
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import audit
from civicbridge.partners.models import Department, Membership, Person

from ..choices import Moment, SeatStatus
from ..models import Participant, SelfAssessment
from . import require_registrar


def _department_of(person: Person, collaboration: Collaboration) -> Department | None:
    """The department the person works in at the institution today, if recorded."""
    membership = (
        Membership.objects.current()
        .filter(person=person, organisation_id=collaboration.institution_id)
        .exclude(department=None)
        .select_related("department")
        .first()
    )
    return membership.department if membership else None


@transaction.atomic
def add_participant(
    actor, collaboration: Collaboration, *, person: Person, department: Department | None = None
) -> Participant:
    """Name an official of the institution as a participant, with their department (by
    default the one their membership records). They are asked to rate their capacity
    before the first session and after the last."""
    side = require_registrar(actor, collaboration)
    if not is_current_member(person, [collaboration.institution_id]):
        raise ValidationError(
            {
                "person": _("%(person)s is not an official of %(institution)s now.")
                % {"person": person, "institution": collaboration.institution.name}
            }
        )
    if department is not None and department.organisation_id != collaboration.institution_id:
        raise ValidationError(
            {
                "department": _("%(department)s is not a department of %(institution)s.")
                % {"department": department.name, "institution": collaboration.institution.name}
            }
        )
    if Participant.objects.filter(collaboration=collaboration, person=person).exists():
        raise ValidationError({"person": _("%(person)s takes part already.") % {"person": person}})
    participant = Participant.objects.create(
        collaboration=collaboration,
        person=person,
        department=department or _department_of(person, collaboration),
    )
    audit.log_created(actor, participant)
    for moment in (Moment.BEFORE, Moment.AFTER):
        assessment = SelfAssessment.objects.create(participant=participant, moment=moment)
        audit.log_created(actor, assessment)
    record_activity(
        actor,
        collaboration,
        _("%(name)s named %(person)s as a participant.")
        % {"name": actor_name(actor), "person": person},
        side=side,
        url=tab_url(collaboration, "participants"),
    )
    return participant


@transaction.atomic
def remove_participant(actor, participant: Participant) -> None:
    """Take a participant off the programme, unless they attended a session already."""
    collaboration = participant.collaboration
    side = require_registrar(actor, collaboration)
    if participant.seats.filter(status=SeatStatus.ATTENDED).exists():
        raise ValidationError(
            _("%(person)s attended a session: they stay on the record of the programme.")
            % {"person": participant.person}
        )
    pk = participant.pk
    participant.delete()
    audit.log_deleted(actor, participant, pk)
    record_activity(
        actor,
        collaboration,
        _("%(name)s took %(person)s off the programme.")
        % {"name": actor_name(actor), "person": participant.person},
        side=side,
        url=tab_url(collaboration, "participants"),
    )


@transaction.atomic
def name_champion(actor, participant: Participant, reform: Reform) -> Reform:
    """Name a participant as a champion of a reform of the ledger (G5), through the ledger's
    own rules: the reform's side changes it, and a champion is a current official."""
    if reform.collaboration.institution_id != participant.collaboration.institution_id:
        raise ValidationError(
            {"reform": _("Choose a reform asked of the participant's own institution.")}
        )
    champions = list(reform.champions.all())
    if participant.person in champions:
        return reform
    return update_reform(actor, reform, champions=[*champions, participant.person])
