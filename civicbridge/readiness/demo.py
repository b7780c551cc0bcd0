"""The readiness part of the demo workspace: one institution assessed a year apart."""

from datetime import date

from django.contrib.auth import get_user_model

from civicbridge.partners import demo as partners_demo
from civicbridge.partners.models import Organisation

from . import services

# Hobart City Council as Code for Australia saw it in November 2025: willing people, but no
# MOU the council could sign yet, one contact, nobody named to take the work over, and
# council elections within the year. The council wants its staff to learn and new ideas
# for its services, and would pay for the work.
NOVEMBER_2025 = {
    "political_legal.reform_openness": 2,
    "political_legal.mou_ready": 0,
    "political_legal.stability": 1,
    "political_legal.policy_mandate": 1,
    "tech_officials.popularity": 2,
    "tech_citizens.popularity": 3,
    "tech_citizens.beneficiaries_reachable": 2,
    "civic_space.health": 3,
    "civic_space.trust_between_sides": 2,
    "civic_space.ngos_seen_professional": 2,
    "civic_space.watchdog": 0,
    "civic_space.conflicts_handled": 1,
    "finances.budget_available": 1,
    "finances.pays_on_time": 2,
    "finances.partner_reserves": 1,
    "finances.paid": 1,
    "finances.donated": 0,
    "procurement.free_accepted": 0,
    "procurement.agile": 1,
    "procurement.timelines_fit": 1,
    "willingness.supervisor_enthusiasm": 3,
    "willingness.fellow_openness": 3,
    "willingness.leadership_commitment": 2,
    "willingness.share_credit": 2,
    "willingness.reforms_in_return": 1,
    "willingness.champion_official": 2,
    "willingness.acknowledge_shortcomings": 2,
    "willingness.real_problems": 3,
    "willingness.design_focus": 2,
    "capacity.in_house_digital": 1,
    "capacity.successor_officials": 0,
    "coordination.regular_updates": 2,
    "coordination.several_contacts": 1,
    "coordination.multidisciplinary": 2,
    "coordination.post_event_plan": 0,
    "coordination.long_term_monitoring": 1,
    "coordination.report_on_recommendations": 1,
    "aims.build_capacity": 3,
    "aims.deliver_service": 2,
    "aims.change_policy": 1,
    "aims.find_solutions": 3,
    "aims.time_horizon": 2,
}

# A year later: the elections are past, the council's legal team cleared an MOU, two
# successors are named, and Digital Services brought City Innovation into the work.
NOVEMBER_2026 = {
    **NOVEMBER_2025,
    "political_legal.reform_openness": 3,
    "political_legal.mou_ready": 1,
    "political_legal.stability": 2,
    "tech_officials.popularity": 3,
    "civic_space.trust_between_sides": 3,
    "civic_space.conflicts_handled": 3,
    "willingness.leadership_commitment": 3,
    "willingness.share_credit": 3,
    "willingness.champion_official": 4,
    "capacity.in_house_digital": 2,
    "capacity.successor_officials": 1,
    "coordination.regular_updates": 3,
    "coordination.several_contacts": 3,
    "coordination.post_event_plan": 1,
}


def load(admin, password: str) -> None:
    """Two finished assessments of Hobart by Code for Australia, a year apart."""
    lead = get_user_model().objects.get(email="lead@example.org")
    institution = Organisation.objects.get(popolo_id=partners_demo.INSTITUTION)
    civic = Organisation.objects.get(popolo_id=partners_demo.CIVIC_ORGANISATION)
    for assessed_on, answers in (
        (date(2025, 11, 20), NOVEMBER_2025),
        (date(2026, 11, 20), NOVEMBER_2026),
    ):
        assessment = services.start_assessment(
            lead,
            civic,
            title=f"{institution.name}, {assessed_on:%B %Y}",
            institution=institution,
            civic_partner=civic,
            country=institution.country or "Australia",
            assessed_on=assessed_on,
            visibility="both",
        )
        services.save_answers(lead, assessment, answers)
        services.complete_assessment(lead, assessment)
