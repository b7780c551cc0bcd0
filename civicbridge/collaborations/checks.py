"""The checks of the records every model shares, registered with the playbook's registry."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.playbook.checks import register

# The checks of the records every model shares. Each reads one collaboration and says
# whether its condition holds, in words the people involved act on.


@register("collaborations.agreement_signed")
def agreement_signed(collaboration) -> tuple[bool, str]:
    from .models import Agreement

    # Read from the database: a caller may hold the collaboration from before a change.
    agreement = Agreement.objects.filter(collaboration=collaboration).first()
    if agreement is None or not agreement.obligations.exists():
        return False, _(
            "There is no MOU with obligations yet: write one and list each side's obligations."
        )
    agreement.collaboration = collaboration
    missing = [party.name for party in agreement.unsigned_sides()]
    if missing:
        return False, _("The MOU (version %(version)d) still needs the signature of %(sides)s.") % {
            "version": agreement.version,
            "sides": _(" and ").join(missing),
        }
    return True, _("Both sides signed version %(version)d of the MOU.") % {
        "version": agreement.version
    }


@register("collaborations.several_contacts")
def several_contacts(collaboration) -> tuple[bool, str]:
    warning = institution_side_warning(collaboration)
    if warning:
        return False, warning
    return True, _("Several people in more than one department of the institution are involved.")


def institution_side_warning(collaboration) -> str:
    """Say so when the institution's side rests on one person or one department (F7)."""
    people = {
        (person, department)
        for person, department in collaboration.stakeholders.filter(
            organisation_id=collaboration.institution_id
        ).values_list("person_id", "department_id")
    }
    persons = {person for person, _department in people}
    departments = {department for _person, department in people if department}
    if not persons:
        return _(
            "Nobody from the institution is named yet: add the officials who take part, "
            "in more than one office."
        )
    if len(persons) < 2:
        return _(
            "The institution's side rests on one person: if they leave or lose interest, "
            "the collaboration stalls. Add officials from other offices."
        )
    if len(departments) < 2:
        return _(
            "Everyone on the institution's side is in one department (or none is named): "
            "involve people in other departments as well."
        )
    return ""


@register("collaborations.checkins_kept")
def checkins_kept(collaboration) -> tuple[bool, str]:
    from .queries import checkin_overview

    overview = checkin_overview(collaboration)
    if not overview.due_dates:
        return True, _("No check-in has fallen due yet.")
    if overview.missing:
        missed = len(overview.missing)
        return False, ngettext(
            "%(count)d check-in was missed.",
            "%(count)d check-ins were missed by one side or both.",
            missed,
        ) % {"count": missed}
    return True, _("Both sides gave every update that fell due.")


@register("collaborations.credit_published")
def credit_published(collaboration) -> tuple[bool, str]:
    if collaboration.credit_statements.published().exists():
        return True, _("A credit statement approved by both sides is published.")
    return False, _("No credit statement has been approved by both sides yet.")


@register("collaborations.handover_complete")
def handover_complete(collaboration) -> tuple[bool, str]:
    from .choices import TrainingStatus

    open_tasks = collaboration.handover_tasks.filter(done_on__isnull=True).count()
    trained = collaboration.successors.filter(training_status=TrainingStatus.TRAINED).count()
    problems = []
    if not collaboration.handover_tasks.exists():
        problems.append(_("the handover plan has no tasks"))
    elif open_tasks:
        problems.append(
            ngettext(
                "%(count)d handover task is not done",
                "%(count)d handover tasks are not done",
                open_tasks,
            )
            % {"count": open_tasks}
        )
    if not trained:
        problems.append(_("no successor official is trained to carry on the work"))
    if problems:
        return False, _("The work cannot pass to the institution yet: %(problems)s.") % {
            "problems": _("; ").join(problems)
        }
    return True, ngettext(
        "Every handover task is done and %(count)d successor is trained.",
        "Every handover task is done and %(count)d successors are trained.",
        trained,
    ) % {"count": trained}
