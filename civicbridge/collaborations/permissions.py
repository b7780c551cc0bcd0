"""Who may see and change a collaboration and its records.

The two parties run a collaboration: a user acts for one of them through a membership
(viewers read, members write, admins also sign). Platform admins read everything and
write nothing, because every write is made for one side. A record one side keeps is
visible as it says: own side, both sides or public. Views fetch through `get_*_for`.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.core.permissions import Decision, require
from civicbridge.partners.choices import Access
from civicbridge.partners.permissions import acting_organisation_ids, is_platform_admin
from civicbridge.readiness.models import Assessment
from civicbridge.readiness.permissions import visible_assessments

from .choices import StartingSource
from .models import (
    Collaboration,
    CreditStatement,
    HandoverTask,
    Obligation,
    PartyChange,
    StartingCondition,
    Successor,
)


def side_of(user, collaboration: Collaboration, minimum: str = Access.MEMBER) -> int | None:
    """The party `user` acts for in `collaboration` with at least `minimum` access."""
    acting = acting_organisation_ids(user, minimum)
    for party in collaboration.party_ids:
        if party in acting:
            return party
    return None


def visible_collaborations(user) -> QuerySet[Collaboration]:
    """The collaborations `user` may see: those their organisations see (as a party, or as
    a room shows them, such as an event's partner institution), or all for platform admins."""
    if is_platform_admin(user):
        return Collaboration.objects.all()
    return Collaboration.objects.seen_by(acting_organisation_ids(user))


def can_create_collaboration(user) -> Decision:
    """A member of any organisation may propose a collaboration."""
    if acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of an organisation on Civic Bridge can start a collaboration.")


def _parties(collaboration: Collaboration) -> dict[str, str]:
    return {
        "civic": collaboration.civic_organisation.name,
        "institution": collaboration.institution.name,
    }


def can_edit(user, collaboration: Collaboration) -> Decision:
    """Members and admins of either party change the collaboration and its records."""
    if side_of(user, collaboration) is not None:
        return True, ""
    return False, _(
        "Only members of %(civic)s or %(institution)s can change this collaboration."
    ) % _parties(collaboration)


def can_sign(user, collaboration: Collaboration) -> Decision:
    """Only an admin of a party signs (and approves in public) for it."""
    if side_of(user, collaboration, Access.ADMIN) is not None:
        return True, ""
    return False, _(
        "Only an admin of %(civic)s or %(institution)s has the right to sign the MOU for their side."
    ) % _parties(collaboration)


def can_change_record(user, record) -> Decision:
    """A side's record is changed by members of that side only."""
    if record.owner_organisation_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only the side that wrote this can change it.")


def get_collaboration_for(user, pk: int, *, edit: bool = False) -> Collaboration:
    """The collaboration `pk` if `user` may see it (404 if not), and change it with `edit` (403)."""
    if not user.is_authenticated:
        raise Http404
    collaboration = get_object_or_404(
        visible_collaborations(user).select_related("civic_organisation", "institution"), pk=pk
    )
    if edit:
        require(can_edit(user, collaboration))
    return collaboration


def assessment_for(user, pk: Any) -> Assessment | None:
    """The assessment `pk` (as a link gives it) if `user` may see it, else None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 1 <= pk < 2**31:
        return None
    return (
        visible_assessments(user)
        .select_related("owner_organisation", "institution")
        .filter(pk=pk)
        .first()
    )


def starting_for(
    user, collaboration: Collaboration
) -> tuple[Assessment | None, QuerySet[StartingCondition]]:
    """The assessment `collaboration` started from, if `user` may see it, and the starting
    conditions `user` may see: those read from the assessment's answers stay with the
    people who may see the assessment; those read from the checks go to both sides."""
    assessment = (
        assessment_for(user, collaboration.assessment_id) if collaboration.assessment_id else None
    )
    conditions = collaboration.starting_conditions.all()
    if assessment is None:
        conditions = conditions.exclude(source=StartingSource.ASSESSMENT)
    return assessment, conditions


def visible_records(user, queryset: Any) -> QuerySet:
    """The rows of a side-owned record kind (a VisibleQuerySet) that `user` may read."""
    return queryset.visible_to(acting_organisation_ids(user), everything=is_platform_admin(user))


def get_record_for(user, collaboration: Collaboration, queryset: QuerySet, pk: int, *, edit=False):
    """One side-owned record of `collaboration`, if `user` may read (and `edit`) it."""
    record = get_object_or_404(
        visible_records(user, queryset.filter(collaboration=collaboration)), pk=pk
    )
    if edit:
        require(can_change_record(user, record))
    return record


def get_public_collaboration(pk: int) -> Collaboration:
    """A collaboration its parties made public, for anyone."""
    return get_object_or_404(
        Collaboration.objects.public().select_related("civic_organisation", "institution"), pk=pk
    )


# One record under a collaboration the caller already fetched through get_collaboration_for:
# the page and the API ask the same helper, which 404s for a record of another collaboration.


def obligation_of(collaboration: Collaboration, pk: int) -> Obligation:
    """One obligation of the collaboration's MOU, or 404."""
    obligation = get_object_or_404(
        Obligation.objects.filter(agreement__collaboration=collaboration).select_related(
            "agreement", "owner", "party"
        ),
        pk=pk,
    )
    obligation.agreement.collaboration = collaboration
    return obligation


def successor_of(collaboration: Collaboration, pk: int) -> Successor:
    """One successor official of the collaboration's handover, or 404."""
    successor = get_object_or_404(collaboration.successors.select_related("person"), pk=pk)
    successor.collaboration = collaboration
    return successor


def handover_task_of(collaboration: Collaboration, pk: int) -> HandoverTask:
    """One task of the collaboration's handover plan, or 404."""
    task = get_object_or_404(collaboration.handover_tasks, pk=pk)
    task.collaboration = collaboration
    return task


def credit_statement_of(collaboration: Collaboration, pk: int) -> CreditStatement:
    """One credit statement of the collaboration, or 404."""
    statement = get_object_or_404(collaboration.credit_statements, pk=pk)
    statement.collaboration = collaboration
    return statement


def party_change_of(collaboration: Collaboration, pk: int) -> PartyChange:
    """One proposed change of party of the collaboration, or 404."""
    change = get_object_or_404(
        collaboration.party_changes.select_related("replaced", "successor"), pk=pk
    )
    change.collaboration = collaboration
    return change
