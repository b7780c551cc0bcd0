"""The conflict-of-interest register (S7): when a disclosure is needed, and who writes it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicbridge.collaborations.services.lifecycle import advance
from civicbridge.partners.choices import OrganisationKind
from civicbridge.procurement.models import Disclosure, OrganisationRole
from civicbridge.procurement.services import conflicts
from tests.factories import OrganisationFactory

from .route_helpers import choose, country_and_province, service_delivery

TODAY = timezone.localdate


def role(world, kind: str, institution=None, *, days_ago: int = 100, ended_days_ago=None):
    today = TODAY()
    return OrganisationRole.objects.create(
        organisation=world.civic,
        institution=institution or world.institution,
        role=kind,
        started_on=today - timedelta(days=days_ago),
        ended_on=today - timedelta(days=ended_days_ago) if ended_days_ago is not None else None,
    )


def disclose(world, institution=None, roles=("watchdog", "vendor")):
    return conflicts.add_disclosure(
        world.civic_lead,
        world.civic,
        institution=institution or world.institution,
        roles=list(roles),
        mission_discussion="The board met on 3 March and weighed our credibility as a watchdog.",
        outcome="We sell the portal; our reports on the council are reviewed by outsiders.",
        discussed_on=TODAY(),
    )


def parent_body(world):
    ministry = OrganisationFactory.create(
        name="Ministry of Testing", kind=OrganisationKind.GOVERNMENT
    )
    world.institution.parent = ministry
    world.institution.save()
    return ministry


def test_a_supplier_that_is_only_a_vendor_needs_no_disclosure(world):
    role(world, "vendor")
    role(world, "grantee")
    assert conflicts.undisclosed_conflict(world.civic, world.institution) is None


def test_a_watchdog_of_the_buyer_must_disclose(world):
    role(world, "watchdog")
    reason = conflicts.undisclosed_conflict(world.civic, world.institution)
    assert reason and "watchdog" in reason and "disclosure" in reason


def test_a_role_that_ended_or_has_not_begun_does_not_count(world):
    role(world, "litigation", ended_days_ago=1)
    role(world, "research", days_ago=-5)
    assert conflicts.undisclosed_conflict(world.civic, world.institution) is None
    role(world, "advocacy", ended_days_ago=0)  # it ends today: it still holds
    assert conflicts.undisclosed_conflict(world.civic, world.institution)


def test_a_monitor_of_the_parent_body_or_higher_must_disclose(world):
    ministry = parent_body(world)
    government = OrganisationFactory.create(
        name="Testland Government", kind=OrganisationKind.GOVERNMENT
    )
    ministry.parent = government
    ministry.save()
    role(world, "research", government)
    reason = conflicts.undisclosed_conflict(world.civic, world.institution)
    assert reason and "Testland Government" in reason
    # Watching another body, outside the chain, is no conflict with this buyer.
    assert conflicts.undisclosed_conflict(world.civic, world.other) is None


def test_a_disclosure_of_the_monitoring_role_clears_the_conflict(world):
    role(world, "watchdog")
    disclose(world)
    assert conflicts.undisclosed_conflict(world.civic, world.institution) is None


def test_a_disclosure_must_name_each_monitoring_role(world):
    role(world, "watchdog")
    role(world, "litigation")
    disclose(world, roles=["watchdog", "vendor"])
    reason = conflicts.undisclosed_conflict(world.civic, world.institution)
    assert reason and "litigation (Testshire Council)" in reason
    assert "watchdog (" not in reason


def test_a_disclosure_about_the_monitored_parent_body_clears_it_too(world):
    ministry = parent_body(world)
    role(world, "watchdog", ministry)
    disclose(world, ministry, roles=["watchdog"])
    assert conflicts.undisclosed_conflict(world.civic, world.institution) is None


def test_a_disclosure_names_a_monitoring_role(world):
    with pytest.raises(ValidationError) as refused:
        disclose(world, roles=["vendor"])
    assert "roles" in refused.value.message_dict
    assert not Disclosure.objects.exists()


def test_only_the_organisations_admins_write_its_register(world):
    role(world, "watchdog")
    for someone in (world.fellow, world.official, world.outsider, world.admin):
        with pytest.raises(PermissionDenied):
            conflicts.add_role(
                someone,
                world.civic,
                institution=world.institution,
                role="vendor",
                started_on=TODAY(),
            )
    with pytest.raises(PermissionDenied):
        conflicts.add_disclosure(
            world.official,
            world.civic,
            institution=world.institution,
            roles=["watchdog"],
            mission_discussion="x",
            outcome="y",
            discussed_on=TODAY(),
        )


def test_a_role_toward_itself_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        conflicts.add_role(
            world.civic_lead,
            world.civic,
            institution=world.civic,
            role="vendor",
            started_on=TODAY(),
        )
    assert "institution" in refused.value.message_dict


def test_recusals_name_people_of_the_organisation(world):
    disclosure = disclose(world)
    recusal = conflicts.add_recusal(
        world.civic_lead,
        disclosure,
        person=world.fellow.person,
        stands_aside_from="The watchdog reports on the council.",
    )
    assert list(disclosure.recusals.all()) == [recusal]
    with pytest.raises(ValidationError, match="not a member"):
        conflicts.add_recusal(
            world.civic_lead, disclosure, person=world.official.person, stands_aside_from="x"
        )


def test_the_organisation_is_warned_when_it_watches_and_is_paid(world):
    role(world, "watchdog")
    assert conflicts.conflict_warnings(world.civic) == []
    role(world, "vendor")
    [warning] = conflicts.conflict_warnings(world.civic)
    assert warning.institution == world.institution and warning.reason
    disclose(world)
    [warning] = conflicts.conflict_warnings(world.civic)
    assert warning.reason is None


def test_the_warning_shows_on_the_organisation_page(world, client_for):
    role(world, "watchdog")
    role(world, "vendor")
    page = client_for(world.official).get(world.civic.get_absolute_url()).content.decode()
    assert "Watches over and paid by Testshire Council" in page


# The gate


def test_an_undisclosed_watchdog_role_is_a_risk_at_agreed_not_a_refusal(world, playbook):
    """The report says a discussion of the mission "might" solve the conflict: a remedy it
    suggests, not a precondition it names. The move goes ahead and the conflict stays a risk
    until it is disclosed."""
    collaboration = service_delivery(world)
    country, _province = country_and_province()
    choose(world, collaboration, country)
    advance(world.civic_lead, collaboration)
    collaboration.refresh_from_db()
    role(world, "watchdog")
    assert advance(world.civic_lead, collaboration).to_stage == "agreed"
    [risk] = collaboration.risks.filter(
        condition="service_delivery.conflicts_handled", resolved_on=None
    )
    assert "disclosure" in risk.reason
