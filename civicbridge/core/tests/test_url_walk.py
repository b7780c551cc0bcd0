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
PARTIES = BOTH_SIDES
PARTY_MEMBERS = (200, 200, 200, 404, 403, 302)
CIVIC_SIDE = (200, 403, 200, 404, 403, 302)
POST_ONLY = (405, 405, 405, 405, 405, 302)

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
    # A public fellowship of the civic organisation with the institution; the fellow is a
    # member of the civic side and a viewer of the institution. Platform admins read all
    # collaborations and write none: every write is made for one side.
    "collaborations:list": SIGNED_IN,
    "collaborations:create": (200, 200, 200, 403, 403, 302),
    "collaborations:detail": PARTIES,
    "collaborations:edit": PARTY_MEMBERS,
    "collaborations:advance": POST_ONLY,
    "collaborations:activity": PARTIES,
    "collaborations:organisation_history": SIGNED_IN,
    "collaborations:public": EVERYONE,
    "collaborations:agreement": PARTIES,
    "collaborations:agreement_edit": PARTY_MEMBERS,
    "collaborations:obligation_create": PARTY_MEMBERS,
    "collaborations:obligation_edit": PARTY_MEMBERS,
    "collaborations:obligation_delete": PARTY_MEMBERS,
    "collaborations:obligation_status": POST_ONLY,
    "collaborations:agreement_sign": (200, 200, 403, 404, 403, 302),  # admins of a side
    "collaborations:agreement_version": PARTIES,
    "collaborations:agreement_pdf": PARTIES,
    "collaborations:people": PARTIES,
    "collaborations:stakeholder_create": PARTY_MEMBERS,
    "collaborations:stakeholder_delete": PARTY_MEMBERS,
    "collaborations:checkins": PARTIES,
    # A proposed collaboration takes no check-ins yet: members are sent back to the tab.
    "collaborations:checkin_create": (302, 302, 302, 404, 403, 302),
    "collaborations:checkin_chart": PARTIES,
    "collaborations:checkin_csv": PARTIES,
    "collaborations:goals": PARTIES,
    "collaborations:goal_create": PARTY_MEMBERS,
    # A goal the civic side shares with both sides: only its own side changes it.
    "collaborations:goal_edit": CIVIC_SIDE,
    "collaborations:indicator_create": CIVIC_SIDE,
    "collaborations:indicator_report": PARTY_MEMBERS,
    "collaborations:handover": PARTIES,
    "collaborations:successor_create": PARTY_MEMBERS,
    "collaborations:successor_edit": PARTY_MEMBERS,
    "collaborations:successor_delete": PARTY_MEMBERS,
    "collaborations:handover_task_create": PARTY_MEMBERS,
    "collaborations:handover_task_done": POST_ONLY,
    "collaborations:handover_task_reopen": POST_ONLY,
    "collaborations:follow_up_answer": EVERYONE,  # the secret link is the key
    "collaborations:credit": PARTIES,
    "collaborations:credit_create": PARTY_MEMBERS,
    "collaborations:credit_edit": PARTY_MEMBERS,
    "collaborations:credit_approve": POST_ONLY,
    "collaborations:credit_withdraw": POST_ONLY,
    "collaborations:reform_create": PARTY_MEMBERS,
    "collaborations:reform_edit": CIVIC_SIDE,
    "fellowships:placement": PARTIES,
    "fellowships:placement_edit": PARTY_MEMBERS,
    # The fellow's own statement: the fellow and the civic side write it.
    "fellowships:statement": CIVIC_SIDE,
    "fellowships:brief": PARTIES,
    "fellowships:brief_edit": (403, 200, 403, 404, 403, 302),  # the host institution writes it
    "fellowships:brief_deliver": POST_ONLY,
    "fellowships:task_create": PARTY_MEMBERS,
    "fellowships:task_done": POST_ONLY,
    "fellowships:task_reopen": POST_ONLY,
    # API routes
    # The API answers 401 (not a redirect) to anonymous callers; a route that only takes
    # POST answers 405 to every GET. A GET on a create route lists, as they share a URL.
    "api:api-root": (404,) * 6,  # ninja's root only points at the docs
    "api:openapi-json": EVERYONE,
    "api:openapi-view": EVERYONE,
    **dict.fromkeys(
        [
            "api:organisations",
            "api:organisation",
            "api:departments",
            "api:department",
            "api:people",
            "api:person",
            "api:memberships",
            "api:membership",
            "api:playbook",
            "api:assessments",
            "api:collaborations",
            "api:collaboration_create",
        ],
        (200, 200, 200, 200, 200, 401),
    ),
    **dict.fromkeys(
        [
            "api:assessment",
            "api:collaboration",
            "api:stakeholders",
            "api:stakeholder_create",
            "api:obligations",
            "api:obligation_create",
            "api:signatures",
            "api:signature_create",
            "api:checkins",
            "api:checkin_create",
            "api:indicators",
            "api:collaboration_transitions",
            "api:transitions",
            "api:goals",
            "api:goal_create",
            "api:successors",
            "api:successor_create",
            "api:handover_tasks",
            "api:handover_task_create",
            "api:credit_statements",
            "api:credit_statement_create",
            "api:reforms",
            "api:reform_create",
            "api:notes",
            "api:note_create",
            "api:placement",
            "api:placement_edit",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    "api:indicator_value_create": (405,) * 6,
    "api:goal_indicator_create": (405,) * 6,
    "api:handover_task_done": (405,) * 6,
    "api:credit_statement_approve": (405,) * 6,
    "api:obligation_status": (405,) * 6,
    "api:placement_statement": (405,) * 6,
    "accounts:tokens": SIGNED_IN,
    "accounts:token_revoke": POST_ONLY,
    # Notification routes
    # Each person's own inbox, preferences and calendar page; the feed's secret is its key.
    "notifications:inbox": SIGNED_IN,
    "notifications:read": POST_ONLY,
    "notifications:read_all": POST_ONLY,
    "notifications:preferences": SIGNED_IN,
    "notifications:calendar": SIGNED_IN,
    "notifications:calendar_reset": POST_ONLY,
    "notifications:feed": EVERYONE,
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
    if name == "collaborations:organisation_history":
        return {"pk": world.institution.pk}
    # API kwargs
    if name.startswith("api:"):
        return api_kwargs(route, world, objects)
    # Notification kwargs
    if name.startswith("notifications:"):
        return notification_kwargs(route, objects)
    if name.split(":")[0] in {"collaborations", "fellowships"}:
        return collaboration_kwargs(route, objects)
    if "<slug:model_id>" in route:
        return {"model_id": "fellowship"}
    if name.startswith("readiness:") and "<int:pk>" in route:
        return {"pk": objects["assessment"].pk}
    return {"pk": world.civic.pk} if "<int:pk>" in route else {}


def api_kwargs(route: str, world, objects) -> dict:
    """The API's path parameters: the walk's objects, by the parameter's name."""
    values = {
        "organisation_id": world.civic.pk,
        "department_id": world.department.pk,
        "person_id": world.civic_lead.person.pk,
        "membership_id": objects["membership"].pk,
        "assessment_id": objects["assessment"].pk,
        "collaboration_id": objects["fellowship"].pk,
        "indicator_id": objects["indicator"].pk,
        "goal_id": objects["goal"].pk,
        "task_id": objects["handover_task"].pk,
        "credit_id": objects["credit"].pk,
        "obligation_id": objects["obligation"].pk,
        "who": "fellow",
    }
    return {name: value for name, value in values.items() if f"<{name}>" in route}


def collaboration_kwargs(route: str, objects) -> dict:
    """The walk's fellowship, and the record of it each parameter of the route names."""
    found = {"pk": objects["fellowship"].pk} if "<int:pk>" in route else {}
    for parameter, key in (
        ("obligation_pk", "obligation"),
        ("stakeholder_pk", "stakeholder"),
        ("goal_pk", "goal"),
        ("indicator_pk", "indicator"),
        ("successor_pk", "successor"),
        ("credit_pk", "credit"),
        ("reform_pk", "reform"),
    ):
        if f"<int:{parameter}>" in route:
            found[parameter] = objects[key].pk
    if "<int:task_pk>" in route:
        tasks = "handover_task" if "handover" in route else "preparation_task"
        found["task_pk"] = objects[tasks].pk
    if "<int:number>" in route:
        found["number"] = 1
    if "<str:who>" in route:
        found["who"] = "fellow"
    if "<str:token>" in route:
        found["token"] = objects["follow_up"].token
    return found


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
        **collaboration_records(world),
        **notification_records(world),
    }


def notification_records(world) -> dict:
    """The civic lead's inbox item and calendar feed."""
    from civicbridge.notifications.models import CalendarFeed, InboxItem

    return {
        "inbox_item": InboxItem.objects.create(user=world.civic_lead, title="Check-in due"),
        "calendar_feed": CalendarFeed.objects.create(user=world.civic_lead),
    }


def notification_kwargs(route: str, objects) -> dict:
    if "<int:pk>" in route:
        return {"pk": objects["inbox_item"].pk}
    return {"secret": objects["calendar_feed"].secret} if "<str:secret>" in route else {}


def collaboration_records(world) -> dict:
    """A public fellowship with one record of each kind, written through the services."""
    from datetime import date, timedelta
    from decimal import Decimal

    from civicbridge.collaborations.models import FollowUp
    from civicbridge.collaborations.services import agreement, credit, goals, handover, people
    from civicbridge.collaborations.services.lifecycle import create_collaboration
    from civicbridge.fellowships.services import create_or_update_placement

    today = date.today()
    start, end = today + timedelta(days=60), today + timedelta(days=240)
    fellowship = create_collaboration(
        world.civic_lead,
        model="fellowship",
        title="Walked fellowship",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=start,
        end_date=end,
        public=True,
    )
    goal = goals.add_goal(world.civic_lead, fellowship, kind="own", title="Faster permits")
    placement = create_or_update_placement(
        world.civic_lead,
        fellowship,
        fellow=world.fellow.person,
        supervisor=world.official.person,
        host_department=world.department,
        start_date=start,
        end_date=end,
    )
    return {
        "fellowship": fellowship,
        "obligation": agreement.add_obligation(
            world.civic_lead,
            fellowship,
            party=world.institution,
            description="Provide a desk and building access.",
            owner=world.official.person,
            due_date=today + timedelta(days=30),
        ),
        "stakeholder": people.add_stakeholder(
            world.official, fellowship, person=world.official.person, role="champion"
        ),
        "goal": goal,
        "indicator": goals.add_indicator(
            world.civic_lead,
            goal,
            name="Days to a permit",
            baseline=Decimal(40),
            target=Decimal(10),
        ),
        "successor": handover.add_successor(
            world.official, fellowship, person=world.official.person
        ),
        "handover_task": handover.add_task(world.official, fellowship, title="Document the tool"),
        "preparation_task": placement.preparation_tasks.first(),
        "follow_up": FollowUp.objects.create(
            collaboration=fellowship, months_after=6, due_on=today
        ),
        "credit": credit.draft_credit(
            world.fellow, fellowship, text="Thanks.", government_contribution="A team."
        ),
        "reform": credit.ask_reform(world.civic_lead, fellowship, title="Open the permit data"),
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
