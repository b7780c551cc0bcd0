"""The service-delivery room's checks, named by the playbook's service-delivery conditions."""

from django.utils.translation import gettext as _

from civicbridge.playbook.checks import register

from . import rules
from .models import Contract, ProcurementPlan
from .services.conflicts import undisclosed_conflict
from .services.routes import evaluate_route


@register("procurement.route_allowed")
def route_allowed(collaboration) -> tuple[bool, str]:
    """The chosen route, checked again against the rules as they are now (S3).

    Rules change: a route allowed when it was chosen may be blocked today. A route whose
    lawfulness nobody knows passes: choosing it recorded the risk.
    """
    plan = (
        ProcurementPlan.objects.select_related("jurisdiction")
        .filter(collaboration=collaboration)
        .first()
    )
    if plan is None:
        return False, _(
            "No procurement route is chosen yet: choose one on the Procurement tab, where it is "
            "checked against the rules of the jurisdiction."
        )
    try:
        verdict = evaluate_route(plan.jurisdiction, plan.route, plan.estimated_value, plan.currency)
    except rules.CurrencyMismatch as mismatch:
        return False, str(mismatch)
    if verdict.verdict == rules.BLOCKED:
        return False, _("The rules no longer allow the chosen route. %(reason)s") % {
            "reason": verdict.reason
        }
    if verdict.verdict == rules.UNKNOWN:
        # Choosing an unknown route recorded its risk, which stays open until the route is known.
        return True, _("%(reason)s It is recorded as a risk.") % {"reason": verdict.reason}
    return True, verdict.reason


@register("procurement.conflict_disclosed")
def conflict_disclosed(collaboration) -> tuple[bool, str]:
    """A civic organisation that monitors the institution has disclosed it (S7)."""
    reason = undisclosed_conflict(collaboration.civic_organisation, collaboration.institution)
    if reason:
        return False, reason
    return True, _(
        "No conflict of interest is left undisclosed between %(civic)s and %(institution)s."
    ) % {
        "civic": collaboration.civic_organisation.name,
        "institution": collaboration.institution.name,
    }


@register("procurement.contract_signed")
def contract_signed(collaboration) -> tuple[bool, str]:
    """Both parties signed a contract of the collaboration before the work starts (S4)."""
    # Read from the database: a caller may hold the collaboration from before a signature.
    contracts = list(
        Contract.objects.filter(collaboration=collaboration)
        .select_related("supplier", "buyer")
        .prefetch_related("signatures")
    )
    signed = [contract for contract in contracts if contract.is_fully_signed()]
    if signed:
        return True, _("Both sides signed the contract “%(title)s”.") % {"title": signed[0]}
    if not contracts:
        return False, _(
            "There is no contract yet: draft it on the Contract tab, with its value, dates, "
            "milestones and payment terms, and have both sides sign it."
        )
    contract = contracts[0]
    missing = [party.name for party in contract.unsigned_sides()]
    return False, _("The contract “%(title)s” still needs the signature of %(sides)s.") % {
        "title": contract,
        "sides": _(" and ").join(missing),
    }
