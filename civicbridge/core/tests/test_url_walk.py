"""Request every URL pattern as every persona and compare with what each may see.

A new URL pattern fails this test until its expectations are written here, so no route
goes without a permission check that somebody thought about.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civicbridge.partners.models import Note

PERSONAS = ("civic_lead", "official", "fellow", "outsider", "admin", "anonymous")

SIGNED_IN = (200, 200, 200, 200, 200, 302)
EVERYONE = (200,) * 6
CIVIC_EDITORS = (200, 403, 200, 403, 200, 302)  # members of the civic organisation, admins
PLATFORM_ADMIN = (403, 403, 403, 403, 200, 302)
OWNER_AND_ADMIN = (200, 403, 403, 403, 200, 302)
BOTH_SIDES = (200, 200, 200, 404, 200, 302)

# Statuses for GET, in the order of PERSONAS.
EXPECTED: dict[str, tuple[int, ...]] = {
    "core:home": EVERYONE,
    "accounts:login": (302, 302, 302, 302, 302, 200),
    "accounts:logout": (405,) * 6,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:password_reset": EVERYONE,
    "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE,  # an invalid link says so
    "accounts:password_reset_complete": EVERYONE,
    "partners:directory": SIGNED_IN,
    "partners:organisation_create": (200, 200, 200, 403, 200, 302),
    "partners:export_all": SIGNED_IN,
    "partners:organisation": SIGNED_IN,
    "partners:organisation_edit": CIVIC_EDITORS,
    "partners:organisation_audit": (200, 403, 403, 403, 200, 302),
    "partners:organisation_export": SIGNED_IN,
    "partners:department_create": CIVIC_EDITORS,
    "partners:person_create": CIVIC_EDITORS,
    "partners:note_create": (200, 200, 200, 403, 403, 302),
    "partners:department_edit": (403, 200, 403, 403, 200, 302),
    "partners:person": SIGNED_IN,
    # The civic lead's own record and admin membership: theirs and the platform admin's.
    "partners:person_edit": OWNER_AND_ADMIN,
    "partners:membership_create": OWNER_AND_ADMIN,
    "partners:membership_edit": OWNER_AND_ADMIN,
    "partners:membership_delete": OWNER_AND_ADMIN,
    "partners:note_delete": (200, 403, 200, 404, 200, 302),
    "partners:import_upload": PLATFORM_ADMIN,
    "partners:import_run": PLATFORM_ADMIN,
    "playbook:guidelines": EVERYONE,
    "playbook:markdown": EVERYONE,
    "playbook:pdf": EVERYONE,
    "playbook:versions": EVERYONE,
    "playbook:version": EVERYONE,
    "playbook:version_model": EVERYONE,
    "playbook:compare": EVERYONE,
    "playbook:edit_item": PLATFORM_ADMIN,
    "playbook:model": EVERYONE,
    "playbook:model_markdown": EVERYONE,
    "playbook:model_pdf": EVERYONE,
    # An assessment by the civic side, shared with both sides.
    "readiness:list": SIGNED_IN,
    "readiness:new": (200, 200, 200, 403, 403, 302),
    "readiness:compare": SIGNED_IN,
    "readiness:assessment": BOTH_SIDES,
    "readiness:context": (200, 403, 200, 404, 403, 302),
    "readiness:step": (200, 403, 200, 404, 403, 302),
    "readiness:complete": (405, 405, 405, 405, 405, 302),
    "readiness:json": BOTH_SIDES,
    "readiness:csv": BOTH_SIDES,
    "readiness:pdf": BOTH_SIDES,
}


def kwargs_for(name: str, world, objects) -> dict:
    """The objects each route is walked with: the civic side's records, mostly."""
    by_name = {
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "partners:department_edit": {"pk": world.department.pk},
        "partners:person": {"pk": world.civic_lead.person.pk},
        "partners:person_edit": {"pk": world.civic_lead.person.pk},
        "partners:membership_create": {"pk": world.civic_lead.person.pk},
        "partners:membership_edit": {"pk": objects["membership"].pk},
        "partners:membership_delete": {"pk": objects["membership"].pk},
        "partners:note_delete": {"pk": objects["note"].pk},
        "partners:import_run": {"pk": objects["import_run"].pk},
        "playbook:version": {"number": 1},
        "playbook:version_model": {"number": 1, "model_id": "fellowship"},
        "playbook:compare": {"old": 1, "new": 1},
        "playbook:edit_item": {"item_id": "fellowship.mou_signed_before_start"},
        "readiness:step": {"pk": objects["assessment"].pk, "number": 1},
    }
    if name in by_name:
        return by_name[name]
    route = routes()[name]
    if "<slug:model_id>" in route:
        return {"model_id": "fellowship"}
    if name.startswith("readiness:") and "<int:pk>" in route:
        return {"pk": objects["assessment"].pk}
    return {"pk": world.civic.pk} if "<int:pk>" in route else {}


def routes(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, str]:
    """Every named URL pattern, with its route, keyed by its namespaced name."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(routes(pattern, inner))
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            found[namespace + pattern.name] = str(pattern.pattern)
    return found


@pytest.fixture(autouse=True)
def _quick_pdfs(monkeypatch):
    """The walk is about who may fetch a PDF; making one is tested where PDFs are."""
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, **kwargs: b"%PDF-1.7")


@pytest.fixture
def objects(world, playbook):
    from civicbridge.partners.models import ImportRun

    return {
        "membership": world.civic_lead.person.memberships.get(organisation=world.civic),
        "note": Note.objects.create(
            owner_organisation=world.civic,
            subject=world.institution,
            visibility="both",
            body="Shared with the institution.",
        ),
        "import_run": ImportRun.objects.create(kind="popolo", filename="x.json", status="done"),
        "assessment": finished_assessment(world),
    }


def finished_assessment(world):
    from datetime import date

    from civicbridge.readiness import services

    assessment = services.start_assessment(
        world.civic_lead,
        world.civic,
        title="Testshire, 2026",
        institution=world.institution,
        country="Australia",
        assessed_on=date(2026, 11, 1),
        visibility="both",
    )
    questions = assessment.playbook_version.content["questions"]
    services.save_answers(world.civic_lead, assessment, {q["id"]: 1 for q in questions})
    return services.complete_assessment(world.civic_lead, assessment)


def test_every_url_pattern_has_expectations():
    names = set(routes())
    assert names - EXPECTED.keys() == set(), "Write expectations for these new URL patterns"
    assert EXPECTED.keys() - names == set(), "These expectations name URL patterns that are gone"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_url_walk(name, world, objects, client_for):
    url = reverse(name, kwargs=kwargs_for(name, world, objects))
    got = {}
    for persona in PERSONAS:
        response = client_for(getattr(world, persona)).get(url)
        got[persona] = response.status_code
        if response.status_code == 302 and persona == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login")), url
    assert got == dict(zip(PERSONAS, EXPECTED[name], strict=True)), url
