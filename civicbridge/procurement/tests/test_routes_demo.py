"""The demo workspace shows a donation refused by the rules, a route that cannot start on
time, and an organisation that both watches and sells to the council."""

from decimal import Decimal

from civicbridge.collaborations.models import Collaboration
from civicbridge.partners.models import SupplierProfile
from civicbridge.procurement import rules
from civicbridge.procurement.demo import ILLUSTRATIVE
from civicbridge.procurement.models import Disclosure, Jurisdiction, RouteRule
from civicbridge.procurement.services import conflicts, routes


def test_the_demo_rules_are_examples_that_refuse_a_donation_and_delay_a_tender(demo_workspace, db):
    assert Jurisdiction.objects.count() == 3
    assert all(
        place.example and place.name.startswith("Example: ") for place in Jurisdiction.objects.all()
    )
    assert set(RouteRule.objects.values_list("source", flat=True)) == {ILLUSTRATIVE}

    # The donation is refused by the rules, so the council buys by direct award.
    service = Collaboration.objects.get(title="Accessible online service requests")
    plan = service.procurement_plan
    assert (plan.route, plan.verdict) == ("direct_award", "allowed")
    donation = routes.evaluate_route(plan.jurisdiction, "donation", Decimal("0.00"), "AUD")
    assert donation.verdict == rules.BLOCKED and ILLUSTRATIVE in donation.reason

    # The open data portal goes to tender and cannot start on the planned day.
    portal = Collaboration.objects.get(title="Open data portal")
    timeline = routes.plan_timeline(portal.procurement_plan)
    assert timeline.jurisdiction == "Example: Ruritania"  # the province follows its country
    assert timeline.days_short == 15


def test_the_watchdog_that_sells_has_disclosed_with_recusals(demo_workspace, db):
    disclosure = Disclosure.objects.get()
    assert disclosure.recusals.count() == 2
    assert conflicts.undisclosed_conflict(disclosure.organisation, disclosure.institution) is None
    [warning] = conflicts.conflict_warnings(disclosure.organisation)
    assert warning.reason is None
    profile = SupplierProfile.objects.get(organisation=disclosure.organisation)
    assert profile.organisation.offerings.count() == 3
