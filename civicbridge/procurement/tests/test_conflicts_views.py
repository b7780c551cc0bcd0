"""The register's pages and API: the public register, an organisation's roles and
disclosures, and who may write them."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.procurement.models import Disclosure, OrganisationRole, Recusal
from civicbridge.procurement.services import conflicts
from tests.factories import (
    CollaborationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

V1 = "/api/v1"


def disclose(user, organisation, institution, *, recuse=()):
    disclosure = conflicts.add_disclosure(
        user,
        organisation,
        institution=institution,
        roles=["watchdog", "vendor"],
        mission_discussion="The board weighed our credibility as a watchdog against the income.",
        outcome="We take the contract; an outside reviewer reads our reports on the council.",
        discussed_on=timezone.localdate(),
    )
    for person in recuse:
        conflicts.add_recusal(user, disclosure, person=person, stands_aside_from="The reports.")
    return disclosure


def role_form(world, **changes) -> dict:
    return {
        "institution": world.institution.pk,
        "role": "watchdog",
        "started_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "ended_on": "",
        "note": "We publish a yearly review of its open data.",
        **changes,
    }


def test_the_public_register_needs_no_account(world, client_for):
    disclose(world.civic_lead, world.civic, world.institution, recuse=[world.fellow.person])
    response = client_for(None).get(reverse("procurement:register"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Code for Testing on Testshire Council" in page
    assert "Jo Fellow stands aside from: The reports." in page
    assert "an outside reviewer" in page
    home = client_for(None).get(reverse("collaborations:home")).content.decode()
    assert reverse("procurement:register") in home


def test_the_public_register_keeps_its_queries_as_disclosures_grow(world, client):
    def grow(n: int) -> None:
        for i in range(n):
            civic = OrganisationFactory.create(kind=OrganisationKind.CIVIC)
            admin = UserFactory()
            MembershipFactory(person=admin.person, organisation=civic, access=Access.ADMIN)
            institution = OrganisationFactory.create(
                name=f"Council {i}", kind=OrganisationKind.GOVERNMENT
            )
            disclose(admin, civic, institution, recuse=[admin.person])

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = (reverse("procurement:register"), f"{V1}/disclosures")
    grow(1)
    few = [queries(url) for url in pages]
    grow(10)
    assert [queries(url) for url in pages] == few


def test_an_admin_records_a_role_and_others_may_not(world, client_for):
    url = reverse("procurement:role_create", args=[world.civic.pk])
    for persona in ("fellow", "official", "admin"):
        assert client_for(getattr(world, persona)).post(url, role_form(world)).status_code == 403
    assert client_for(None).post(url, role_form(world)).status_code == 302
    assert not OrganisationRole.objects.exists()
    response = client_for(world.civic_lead).post(url, role_form(world))
    assert response.status_code == 302
    assert OrganisationRole.objects.get().recorded_by == world.civic_lead


def test_a_role_that_ends_keeps_its_place_with_its_end_date(world, client_for):
    role = conflicts.add_role(
        world.civic_lead,
        world.civic,
        institution=world.institution,
        role="litigation",
        started_on=timezone.localdate() - timedelta(days=300),
    )
    ended = timezone.localdate() - timedelta(days=1)
    response = client_for(world.civic_lead).post(
        reverse("procurement:role_edit", args=[world.civic.pk, role.pk]),
        role_form(world, role="litigation", started_on=role.started_on, ended_on=ended),
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ended_on == ended
    assert conflicts.undisclosed_conflict(world.civic, world.institution) is None
    before = client_for(world.civic_lead).post(
        reverse("procurement:role_edit", args=[world.civic.pk, role.pk]),
        role_form(world, started_on=role.started_on, ended_on=role.started_on - timedelta(days=1)),
    )
    assert before.status_code == 200 and before.context["form"].errors


def test_a_forged_post_reaches_no_other_organisations_register(world, client_for):
    """The official, an admin of the institution, writes the institution's register only; the
    civic lead cannot reach the institution's roles through the civic organisation's URLs."""
    theirs = conflicts.add_role(
        world.official,
        world.institution,
        institution=world.other,
        role="grantee",
        started_on=timezone.localdate(),
    )
    lead = client_for(world.civic_lead)
    edit = reverse("procurement:role_edit", args=[world.civic.pk, theirs.pk])
    assert lead.post(edit, role_form(world, role="vendor")).status_code == 404
    delete = reverse("procurement:role_delete", args=[world.civic.pk, theirs.pk])
    assert lead.post(delete).status_code == 404
    assert (
        lead.post(
            reverse("procurement:role_create", args=[world.institution.pk]), role_form(world)
        ).status_code
        == 403
    )
    theirs.refresh_from_db()
    assert theirs.role == "grantee"


def test_a_disclosure_then_its_recusals(world, client_for):
    client = client_for(world.civic_lead)
    response = client.post(
        reverse("procurement:disclosure_create", args=[world.civic.pk]),
        {
            "institution": world.institution.pk,
            "roles": ["watchdog", "vendor"],
            "mission_discussion": "Met on 3 March.",
            "outcome": "We go ahead, with an outside reviewer.",
            "discussed_on": timezone.localdate().isoformat(),
        },
    )
    disclosure = Disclosure.objects.get()
    assert response["Location"] == reverse(
        "procurement:recusal_create", args=[world.civic.pk, disclosure.pk]
    )
    recusal_url = reverse("procurement:recusal_create", args=[world.civic.pk, disclosure.pk])
    outsider = client.post(
        recusal_url, {"person": world.official.person.pk, "stands_aside_from": "Reports."}
    )
    assert outsider.status_code == 200 and outsider.context["form"].errors["person"]
    client.post(recusal_url, {"person": world.fellow.person.pk, "stands_aside_from": "Reports."})
    recusal = Recusal.objects.get()
    page = client.get(reverse("procurement:conflicts", args=[world.civic.pk])).content.decode()
    assert "Jo Fellow stands aside from: Reports." in page
    delete = reverse("procurement:recusal_delete", args=[world.civic.pk, disclosure.pk, recusal.pk])
    assert client_for(world.fellow).post(delete).status_code == 403
    assert client_for(world.civic_lead).post(delete).status_code == 302
    assert not Recusal.objects.exists()


def test_a_disclosure_of_no_monitoring_role_is_refused_on_the_form(world, client_for):
    response = client_for(world.civic_lead).post(
        reverse("procurement:disclosure_create", args=[world.civic.pk]),
        {
            "institution": world.institution.pk,
            "roles": ["vendor"],
            "mission_discussion": "x",
            "outcome": "y",
            "discussed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and "watchdog, advocacy" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_the_api_lists_the_public_register_and_writes_the_own_register(world, client_for):
    disclose(world.civic_lead, world.civic, world.institution, recuse=[world.fellow.person])
    public = client_for(None).get(f"{V1}/disclosures")
    assert public.status_code == 200
    [item] = public.json()["items"]
    assert item["recusals"][0]["person_name"] == "Jo Fellow"

    roles_url = f"{V1}/organisations/{world.civic.pk}/roles"
    body = {**role_form(world), "ended_on": None}
    assert (
        client_for(world.fellow).post(roles_url, body, content_type="application/json").status_code
        == 403
    )
    created = client_for(world.civic_lead).post(roles_url, body, content_type="application/json")
    assert created.status_code == 201
    role_url = f"{roles_url}/{created.json()['id']}"
    ended = client_for(world.civic_lead).put(
        role_url,
        {**body, "ended_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["ended_on"]
    assert client_for(world.fellow).get(roles_url).json()["items"][0]["role"] == "watchdog"
    assert client_for(world.civic_lead).delete(role_url).status_code == 204
    assert not OrganisationRole.objects.exists()

    refused = client_for(world.civic_lead).post(
        f"{V1}/organisations/{world.civic.pk}/disclosures",
        {
            "institution": world.institution.pk,
            "roles": ["vendor"],
            "mission_discussion": "x",
            "outcome": "y",
            "discussed_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "roles"


def test_a_disclosure_cannot_name_another_organisations_collaboration(world, client_for):
    theirs = CollaborationFactory.create(institution=world.institution)
    response = client_for(world.civic_lead).post(
        reverse("procurement:disclosure_create", args=[world.civic.pk]),
        {
            "institution": world.institution.pk,
            "collaboration": theirs.pk,
            "roles": ["watchdog"],
            "mission_discussion": "x",
            "outcome": "y",
            "discussed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["collaboration"]
    assert not Disclosure.objects.exists()
