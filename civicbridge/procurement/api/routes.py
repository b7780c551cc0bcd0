"""Procurement routes and the conflict-of-interest register through the API: the same
permission helpers, forms and services as the web pages."""

from ninja import Query, Router, Status
from ninja.errors import HttpError

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    CONFLICT_CODES,
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    PageParams,
    page,
)
from civicbridge.core.permissions import require

from ..forms.conflicts import DisclosureForm, RecusalForm, RoleForm
from ..forms.routes import JurisdictionForm, RouteChoiceForm, RouteRuleForm, StatutoryStepForm
from ..models import Jurisdiction, OrganisationRole
from ..permissions import (
    can_edit_rules,
    can_read_rules,
    get_disclosure_for,
    get_jurisdiction_for,
    get_recusal_for,
    get_register_for,
    get_role_for,
    get_rule_for,
    get_service_delivery_for,
    get_step_for,
)
from ..services import conflicts, routes
from ..views.conflicts import disclosures_shown
from .schemas import (
    DisclosureIn,
    DisclosureOut,
    DisclosurePage,
    DisclosureRecusalIn,
    JurisdictionChange,
    JurisdictionDetailOut,
    JurisdictionIn,
    JurisdictionOut,
    JurisdictionPage,
    ProcurementPlanIn,
    ProcurementPlanOut,
    RecusalOut,
    RoleIn,
    RoleOut,
    RolePage,
    RuleChange,
    RuleIn,
    RuleOut,
    StatutoryStepOut,
    StepChange,
    StepIn,
)

router = Router(tags=["service delivery"])


# Jurisdictions and their rules


@router.get(
    "/jurisdictions",
    response={200: JurisdictionPage, ERROR_CODES: ErrorOut},
    url_name="jurisdictions",
)
def list_jurisdictions(request: ApiRequest, params: Query[PageParams]):
    """The jurisdictions whose procurement rules Civic Bridge knows."""
    require(can_read_rules(request.auth))
    return page(Jurisdiction.objects.all(), params)


@router.get(
    "/jurisdictions/{jurisdiction_id}",
    response={200: JurisdictionDetailOut, ERROR_CODES: ErrorOut},
    url_name="jurisdiction",
)
def get_jurisdiction(request: ApiRequest, jurisdiction_id: Id):
    """A jurisdiction with its route rules and statutory steps, each with its source."""
    return get_jurisdiction_for(request.auth, jurisdiction_id)


# Keeping the rules: platform admins, with the forms of the rules pages


@router.post(
    "/jurisdictions",
    response={201: JurisdictionOut, ERROR_CODES: ErrorOut},
    url_name="jurisdiction_create",
)
def create_jurisdiction(request: ApiRequest, payload: JurisdictionIn):
    """Add a country, state or city whose procurement law applies (platform admins). A place
    that is part of another takes the other's rules for every route it has none for."""
    require(can_edit_rules(request.auth))
    data = validated(JurisdictionForm(payload.dict()))
    return Status(201, routes.create_jurisdiction(request.auth, **data))


@router.patch(
    "/jurisdictions/{jurisdiction_id}",
    response={200: JurisdictionOut, ERROR_CODES: ErrorOut},
    url_name="jurisdiction_edit",
)
def change_jurisdiction(request: ApiRequest, jurisdiction_id: Id, payload: JurisdictionChange):
    """Change a jurisdiction; it cannot be part of a place inside it."""
    place = get_jurisdiction_for(request.auth, jurisdiction_id, edit=True)
    data = validated(changed(JurisdictionForm, payload, instance=place))
    return routes.update_jurisdiction(request.auth, place, **data)


@router.post(
    "/jurisdictions/{jurisdiction_id}/rules",
    response={201: RuleOut, ERROR_CODES: ErrorOut},
    url_name="rule_create",
)
def create_rule(request: ApiRequest, jurisdiction_id: Id, payload: RuleIn):
    """Say whether an institution here may use a route and up to what value, with the
    source; one rule per route, and a route that is not allowed has no value limit."""
    place = get_jurisdiction_for(request.auth, jurisdiction_id, edit=True)
    data = validated(RouteRuleForm(payload.dict(), jurisdiction=place))
    return Status(201, routes.save_rule(request.auth, place, **data))


@router.patch(
    "/jurisdictions/{jurisdiction_id}/rules/{rule_id}",
    response={200: RuleOut, ERROR_CODES: ErrorOut},
    url_name="rule_edit",
)
def change_rule(request: ApiRequest, jurisdiction_id: Id, rule_id: Id, payload: RuleChange):
    """Change a rule: routes chosen before are judged by it at the next gate."""
    place = get_jurisdiction_for(request.auth, jurisdiction_id, edit=True)
    rule = get_rule_for(request.auth, place, rule_id)
    data = validated(changed(RouteRuleForm, payload, instance=rule, jurisdiction=place))
    return routes.save_rule(request.auth, place, rule, **data)


@router.post(
    "/jurisdictions/{jurisdiction_id}/steps",
    response={201: StatutoryStepOut, ERROR_CODES: ErrorOut},
    url_name="step_create",
)
def create_step(request: ApiRequest, jurisdiction_id: Id, payload: StepIn):
    """Add a step the law requires on a route, with the fewest days it may take."""
    place = get_jurisdiction_for(request.auth, jurisdiction_id, edit=True)
    data = validated(StatutoryStepForm(payload.dict(), jurisdiction=place))
    return Status(201, routes.save_step(request.auth, place, **data))


@router.patch(
    "/jurisdictions/{jurisdiction_id}/steps/{step_id}",
    response={200: StatutoryStepOut, ERROR_CODES: ErrorOut},
    url_name="step_edit",
)
def change_step(request: ApiRequest, jurisdiction_id: Id, step_id: Id, payload: StepChange):
    place = get_jurisdiction_for(request.auth, jurisdiction_id, edit=True)
    step = get_step_for(request.auth, place, step_id)
    data = validated(changed(StatutoryStepForm, payload, instance=step, jurisdiction=place))
    return routes.save_step(request.auth, place, step, **data)


# The route of a collaboration


def _plan_out(plan) -> dict:
    timeline = routes.plan_timeline(plan)
    return {
        **{
            name: getattr(plan, name)
            for name in ProcurementPlanOut.model_fields
            if name != "timeline"
        },
        "timeline": {
            "starts_on": timeline.starts_on,
            "earliest_start": timeline.earliest_start,
            "planned_start": timeline.planned_start,
            "days_short": timeline.days_short,
            "steps": [
                {
                    "name": item.step.name,
                    "minimum_days": item.step.minimum_days,
                    "starts_on": item.starts_on,
                    "ends_on": item.ends_on,
                    "source": item.step.source,
                }
                for item in timeline.steps
            ],
        },
    }


@router.get(
    "/collaborations/{collaboration_id}/procurement-plan",
    response={200: ProcurementPlanOut, ERROR_CODES: ErrorOut},
    url_name="procurement_plan",
)
def get_plan(request: ApiRequest, collaboration_id: Id):
    """The chosen route, what the rules said of it, and its statutory timeline."""
    collaboration = get_service_delivery_for(request.auth, collaboration_id)
    plan = routes.plan_of(collaboration)
    if plan is None:
        raise HttpError(404, "No procurement route is chosen yet.")
    return _plan_out(plan)


@router.put(
    "/collaborations/{collaboration_id}/procurement-plan",
    response={200: ProcurementPlanOut, 201: ProcurementPlanOut, CONFLICT_CODES: ErrorOut},
    url_name="procurement_plan_choose",
)
def choose_plan(request: ApiRequest, collaboration_id: Id, payload: ProcurementPlanIn):
    """Choose or change the route (201 the first time). A route the rules block is refused
    with 409, naming the rule and its source; nothing is saved."""
    collaboration = get_service_delivery_for(request.auth, collaboration_id, edit=True)
    existed = routes.plan_of(collaboration) is not None
    data = validated(RouteChoiceForm(payload.dict()))
    try:
        plan = routes.choose_route(request.auth, collaboration, **data)
    except routes.RouteBlocked as blocked:
        raise HttpError(409, blocked.verdict.reason) from blocked
    return Status(200 if existed else 201, _plan_out(plan))


# The conflict-of-interest register


@router.get(
    "/disclosures",
    response={200: DisclosurePage, ERROR_CODES: ErrorOut},
    url_name="public_disclosures",
    auth=None,
)
def list_public_disclosures(request: ApiRequest, params: Query[PageParams]):
    """The public register of conflicts of interest: every disclosure, for anyone."""
    return page(disclosures_shown(), params)


@router.get(
    "/organisations/{organisation_id}/roles",
    response={200: RolePage, ERROR_CODES: ErrorOut},
    url_name="organisation_roles",
)
def list_roles(request: ApiRequest, organisation_id: Id, params: Query[PageParams]):
    """The roles an organisation holds toward institutions."""
    organisation = get_register_for(request.auth, organisation_id)
    return page(OrganisationRole.objects.filter(organisation=organisation), params)


@router.post(
    "/organisations/{organisation_id}/roles",
    response={201: RoleOut, ERROR_CODES: ErrorOut},
    url_name="organisation_role_create",
)
def create_role(request: ApiRequest, organisation_id: Id, payload: RoleIn):
    """Record a role of the organisation (its admins only)."""
    organisation = get_register_for(request.auth, organisation_id, edit=True)
    data = validated(RoleForm(payload.dict(), organisation=organisation))
    return Status(201, conflicts.add_role(request.auth, organisation, **data))


@router.put(
    "/organisations/{organisation_id}/roles/{role_id}",
    response={200: RoleOut, ERROR_CODES: ErrorOut},
    url_name="organisation_role",
)
def update_role(request: ApiRequest, organisation_id: Id, role_id: Id, payload: RoleIn):
    """Change a role, for example to record the day it ended."""
    organisation = get_register_for(request.auth, organisation_id, edit=True)
    role = get_role_for(request.auth, organisation, role_id)
    data = validated(RoleForm(payload.dict(), instance=role, organisation=organisation))
    return conflicts.update_role(request.auth, role, **data)


@router.delete(
    "/organisations/{organisation_id}/roles/{role_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="organisation_role_delete",
)
def delete_role(request: ApiRequest, organisation_id: Id, role_id: Id):
    """Remove a role recorded by mistake."""
    organisation = get_register_for(request.auth, organisation_id, edit=True)
    conflicts.remove_role(request.auth, get_role_for(request.auth, organisation, role_id))
    return Status(204, None)


@router.get(
    "/organisations/{organisation_id}/disclosures",
    response={200: DisclosurePage, ERROR_CODES: ErrorOut},
    url_name="organisation_disclosures",
)
def list_disclosures(request: ApiRequest, organisation_id: Id, params: Query[PageParams]):
    organisation = get_register_for(request.auth, organisation_id)
    return page(disclosures_shown().filter(organisation=organisation), params)


@router.post(
    "/organisations/{organisation_id}/disclosures",
    response={201: DisclosureOut, ERROR_CODES: ErrorOut},
    url_name="organisation_disclosure_create",
)
def create_disclosure(request: ApiRequest, organisation_id: Id, payload: DisclosureIn):
    """Record a disclosure in the public register (the organisation's admins only)."""
    organisation = get_register_for(request.auth, organisation_id, edit=True)
    data = validated(DisclosureForm(payload.dict(), organisation=organisation))
    return Status(201, conflicts.add_disclosure(request.auth, organisation, **data))


@router.put(
    "/organisations/{organisation_id}/disclosures/{disclosure_id}",
    response={200: DisclosureOut, ERROR_CODES: ErrorOut},
    url_name="organisation_disclosure",
)
def update_disclosure(
    request: ApiRequest, organisation_id: Id, disclosure_id: Id, payload: DisclosureIn
):
    organisation = get_register_for(request.auth, organisation_id, edit=True)
    disclosure = get_disclosure_for(request.auth, organisation, disclosure_id)
    form = DisclosureForm(payload.dict(), instance=disclosure, organisation=organisation)
    return conflicts.update_disclosure(request.auth, disclosure, **validated(form))


@router.post(
    "/organisations/{organisation_id}/disclosures/{disclosure_id}/recusals",
    response={201: RecusalOut, ERROR_CODES: ErrorOut},
    url_name="organisation_recusal_create",
)
def create_recusal(
    request: ApiRequest, organisation_id: Id, disclosure_id: Id, payload: DisclosureRecusalIn
):
    """Name a person of the organisation who stands aside, and from what."""
    organisation = get_register_for(request.auth, organisation_id, edit=True)
    disclosure = get_disclosure_for(request.auth, organisation, disclosure_id)
    data = validated(RecusalForm(payload.dict(), organisation=organisation))
    return Status(201, conflicts.add_recusal(request.auth, disclosure, **data))


@router.delete(
    "/organisations/{organisation_id}/disclosures/{disclosure_id}/recusals/{recusal_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="organisation_recusal_delete",
)
def delete_recusal(request: ApiRequest, organisation_id: Id, disclosure_id: Id, recusal_id: Id):
    """Take a recusal off the disclosure, for example once the person no longer stands aside."""
    organisation = get_register_for(request.auth, organisation_id, edit=True)
    disclosure = get_disclosure_for(request.auth, organisation, disclosure_id)
    conflicts.remove_recusal(request.auth, get_recusal_for(request.auth, disclosure, recusal_id))
    return Status(204, None)
