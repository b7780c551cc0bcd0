"""The demo workspace shows a donation refused by the rules, a route that cannot start on
time, and an organisation that both watches and sells to the council."""

import json
from decimal import Decimal

from civicbridge.collaborations.models import Collaboration
from civicbridge.partners.civic_orgs import popolo_id_for
from civicbridge.partners.demo import DATA_DIR
from civicbridge.partners.models import Organisation, SupplierProfile
from civicbridge.procurement import rules
from civicbridge.procurement.demo import ILLUSTRATIVE
from civicbridge.procurement.models import Disclosure, Jurisdiction, ProcurementPlan, RouteRule
from civicbridge.procurement.services import conflicts, routes


def test_the_demo_rules_are_examples_that_refuse_a_donation_and_delay_a_tender(demo_workspace, db):
    assert Jurisdiction.objects.count() == 3
    assert all(
        place.example and place.name.startswith("Example: ") for place in Jurisdiction.objects.all()
    )
    assert set(RouteRule.objects.values_list("source", flat=True)) == {ILLUSTRATIVE}

    # The donation is refused by the rules, so the council buys by direct award.
    service = Collaboration.objects.get(title="Accessibility checker for the city's forms")
    plan = service.procurement_plan
    assert (plan.route, plan.verdict) == ("direct_award", "allowed")
    donation = routes.evaluate_route(plan.jurisdiction, "donation", Decimal("0.00"), "AUD")
    assert donation.verdict == rules.BLOCKED and ILLUSTRATIVE in donation.reason

    # The open data portal goes to tender and cannot start on the planned day.
    portal = Collaboration.objects.get(title="Open data portal")
    timeline = routes.plan_timeline(portal.procurement_plan)
    assert timeline.jurisdiction == "Example: Ruritania"  # the province follows its country
    assert timeline.days_short == 15


def real_organisation_ids() -> set[str]:
    """The Popolo ids of the real organisations the demo imports from its data files."""
    councils = json.loads((DATA_DIR / "tas_local_councillor_popolo.json").read_text())
    civic = json.loads((DATA_DIR / "civic_orgs.json").read_text())
    return {o["id"] for o in councils["organizations"]} | {popolo_id_for(o["name"]) for o in civic}


def test_only_made_up_institutions_are_held_to_the_example_rules(demo_workspace, db):
    real = real_organisation_ids()
    assert Organisation.objects.filter(popolo_id__in=real).count() == len(real)
    held = ProcurementPlan.objects.filter(jurisdiction__example=True).select_related(
        "collaboration__institution"
    )
    institutions = {plan.collaboration.institution for plan in held}
    assert institutions, "the demo shows the example rules at work"
    assert all(i.name.startswith("Example: ") for i in institutions)
    assert not {i.popolo_id for i in institutions} & real
    # A real council's route is chosen without rules: its lawfulness is a recorded risk.
    hobart = Collaboration.objects.get(title="Accessible online service requests")
    assert hobart.institution.popolo_id in real
    assert (hobart.procurement_plan.jurisdiction, hobart.procurement_plan.verdict) == (
        None,
        rules.UNKNOWN,
    )
    assert hobart.risks.filter(condition=routes.UNKNOWN_ROUTE, resolved_on=None).exists()


def test_the_watchdog_that_sells_has_disclosed_with_recusals(demo_workspace, db):
    disclosure = Disclosure.objects.get()
    assert disclosure.recusals.count() == 2
    assert conflicts.undisclosed_conflict(disclosure.organisation, disclosure.institution) is None
    [warning] = conflicts.conflict_warnings(disclosure.organisation)
    assert warning.reason is None
    profile = SupplierProfile.objects.get(organisation=disclosure.organisation)
    assert profile.organisation.offerings.count() == 3
