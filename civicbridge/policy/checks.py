"""The policy room's checks, named by the playbook's policy development conditions (C1)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.collaborations.choices import StakeholderRole
from civicbridge.playbook.checks import register

from .models import Commitment, PolicyChange


@register("policy.decision_maker_named")
def decision_maker_named(collaboration) -> tuple[bool, str]:
    """Someone who decides is on the collaboration's people map."""
    names = list(
        collaboration.stakeholders.filter(role=StakeholderRole.DECISION_MAKER)
        .order_by("person__name")
        .values_list("person__name", flat=True)[:3]
    )
    if not names:
        return False, _(
            "No decision-maker is named: add the person who decides to the people of the "
            "collaboration with the role “Decision-maker”."
        )
    return True, _("Decision-maker named: %(names)s.") % {"names": ", ".join(names)}


@register("policy.proposals_tracked")
def proposals_tracked(collaboration) -> tuple[bool, str]:
    """Each proposal is followed: a policy change or a commitment is recorded, and every
    commitment has been assessed at least once."""
    changes = PolicyChange.objects.filter(collaboration=collaboration).count()
    commitments = Commitment.objects.filter(collaboration=collaboration)
    if not changes and not commitments.exists():
        return False, _("No policy change or commitment is recorded, so none can be followed.")
    unassessed = commitments.filter(assessments__isnull=True).count()
    if unassessed:
        return False, ngettext(
            "%(count)d commitment was never assessed: record how far it got, with evidence.",
            "%(count)d commitments were never assessed: record how far each got, with evidence.",
            unassessed,
        ) % {"count": unassessed}
    return True, _("Every proposal is recorded and every commitment assessed.")
