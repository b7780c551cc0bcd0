"""Views: the upload and run pages, organisation forms, and forged POSTs that must change nothing."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicbridge.core.models import AuditEntry
from civicbridge.partners.choices import Access, ImportStatus, OrganisationKind
from civicbridge.partners.models import (
    Department,
    ImportRun,
    Membership,
    Note,
    Organisation,
    Person,
)
from tests.factories import DepartmentFactory, MembershipFactory, OrganisationFactory

from .helpers import CIVIC_ORGS, TASMANIA, row_counts, tasmania

UPLOAD = reverse("partners:import_upload")


def upload(client, content: bytes, name: str = "councils.json", **fields):
    data = {"kind": "popolo", "country": "", **fields}
    data["file"] = SimpleUploadedFile(name, content, content_type="application/json")
    return client.post(UPLOAD, data)


def records() -> dict[str, int]:
    """Row counts of everything an import may write (an upload always adds its ImportRun)."""
    counts = row_counts()
    del counts["ImportRun"]
    counts["AuditEntry"] = AuditEntry.objects.exclude(content_type__model="importrun").count()
    return counts


# --- Upload and run pages -----------------------------------------------------------------


def test_upload_of_tasmania_creates_the_records_and_the_run_page_shows_the_summary(
    world, client_for
):
    client = client_for(world.admin)
    response = upload(client, TASMANIA.read_bytes(), country="Australia")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert run.status == ImportStatus.DONE
    assert run.created_by == world.admin
    ids = [record["id"] for record in tasmania()["organizations"]]
    assert Organisation.objects.filter(popolo_id__in=ids, country="Australia").count() == 33
    assert Membership.objects.filter(organisation__popolo_id__in=ids).count() == 317
    # One entry per record, and one for the upload itself.
    assert (
        AuditEntry.objects.filter(actor=world.admin, action="create").count() == 33 + 263 + 317 + 1
    )
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "organizations: 33 created, 0 updated, 0 unchanged" in content
    assert "persons: 263 created, 0 updated, 0 unchanged" in content
    assert "memberships: 317 created, 0 updated, 0 unchanged" in content


def test_second_upload_of_tasmania_shows_all_unchanged(world, client_for):
    client = client_for(world.admin)
    upload(client, TASMANIA.read_bytes())
    before = records()
    upload(client, TASMANIA.read_bytes())
    run = ImportRun.objects.order_by("-pk")[0]
    assert run.summary[2] == "memberships: 0 created, 0 updated, 317 unchanged"
    assert (
        "organizations: 0 created, 0 updated, 33 unchanged"
        in client.get(run.get_absolute_url()).content.decode()
    )
    assert records() == before


def test_dry_run_upload_shows_the_counts_and_saves_nothing(world, client_for):
    client = client_for(world.admin)
    before = records()
    upload(client, TASMANIA.read_bytes(), dry_run="on")
    run = ImportRun.objects.get()
    content = client.get(run.get_absolute_url()).content.decode()
    assert "The file is valid" in content
    assert "organizations: 33 created, 0 updated, 0 unchanged" in content
    assert records() == before


def test_upload_of_civic_organisations(world, client_for):
    client = client_for(world.admin)
    upload(client, CIVIC_ORGS.read_bytes(), name="orgs.json", kind="civic_orgs")
    run = ImportRun.objects.get()
    assert run.summary == ["organizations: 221 created, 0 updated, 0 unchanged"]


def _broken_tasmania(change) -> bytes:
    data = tasmania()
    change(data)
    return json.dumps(data).encode()


MALFORMED = {
    "not_json": (b"{ this is not JSON", ["not valid JSON"]),
    "json_but_not_an_object": (b"[1, 2, 3]", ["must be a JSON object"]),
    "schema_breaking_last_record": (
        _broken_tasmania(lambda d: d["memberships"][-1].__setitem__("start_date", "yesterday")),
        ["memberships[316]", "start_date", "is not in the expected form"],
    ),
    "unknown_person_in_last_record": (
        _broken_tasmania(lambda d: d["memberships"][-1].__setitem__("person_id", "nobody")),
        ["memberships[316]", "person_id “nobody” names no person"],
    ),
    # Passes every check before saving and fails on the last record, after the rest were written.
    "last_record_too_long_to_save": (
        _broken_tasmania(lambda d: d["memberships"][-1].__setitem__("role", "r" * 201)),
        ["memberships[316]", "role", "at most 200 characters"],
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_upload_shows_the_errors_on_the_run_page_and_changes_nothing(
    world, client_for, case
):
    content, expected = MALFORMED[case]
    client = client_for(world.admin)
    before = records()
    response = upload(client, content)
    run = ImportRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert run.status == ImportStatus.FAILED
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page
    assert any(all(fragment in error for fragment in expected) for error in run.errors)
    for fragment in expected:
        assert fragment.replace("'", "&#x27;") in page or fragment in page
    assert records() == before


def test_upload_of_a_txt_file_is_refused_on_the_upload_page(world, client_for):
    client = client_for(world.admin)
    before = row_counts()
    response = upload(client, TASMANIA.read_bytes(), name="councils.txt")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Choose a .json file."]
    assert row_counts() == before


def test_upload_without_a_file_is_refused(world, client_for):
    response = client_for(world.admin).post(UPLOAD, {"kind": "popolo"})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not ImportRun.objects.exists()


def test_run_page_answers_htmx_with_the_progress_fragment(world, client_for):
    client = client_for(world.admin)
    upload(client, TASMANIA.read_bytes())
    response = client.get(
        ImportRun.objects.get().get_absolute_url(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "partners/_import_progress.html"
    assert b"<html" not in response.content


@pytest.mark.parametrize("persona", ["civic_lead", "official", "fellow", "outsider"])
def test_upload_is_refused_to_everyone_but_platform_admins(world, client_for, persona):
    client = client_for(getattr(world, persona))
    assert client.get(UPLOAD).status_code == 403
    before = row_counts()
    assert upload(client, TASMANIA.read_bytes()).status_code == 403
    assert row_counts() == before


def test_run_page_is_refused_to_everyone_but_platform_admins(world, client_for):
    upload(client_for(world.admin), b"[]")
    url = ImportRun.objects.get().get_absolute_url()
    assert client_for(world.civic_lead).get(url).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(world, client_for):
    response = client_for(None).get(UPLOAD)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- Organisation forms ---------------------------------------------------------------------

VALID_ORGANISATION = {
    "name": "Open Knowledge Testing",
    "kind": OrganisationKind.CIVIC,
    "classification": "",
    "country": "Australia",
    "city": "Hobart",
    "website": "https://okt.example.org/",
    "description": "",
}


def test_organisation_is_created_from_the_form(world, client_for):
    response = client_for(world.civic_lead).post(
        reverse("partners:organisation_create"), VALID_ORGANISATION
    )
    organisation = Organisation.objects.get(name="Open Knowledge Testing")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert AuditEntry.objects.get(object_id=str(organisation.pk)).actor == world.civic_lead


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("name", "x" * 256), ("website", "not a url"), ("kind", "spaceship")],
)
def test_organisation_create_form_shows_errors_and_creates_nothing(world, client_for, field, value):
    before = row_counts()
    response = client_for(world.civic_lead).post(
        reverse("partners:organisation_create"), {**VALID_ORGANISATION, field: value}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "usa-error-message" in response.content.decode() or "error" in response.content.decode()
    assert row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("website", "not a url"), ("kind", "spaceship")],
)
def test_organisation_edit_form_shows_errors_and_changes_nothing(world, client_for, field, value):
    url = reverse("partners:organisation_edit", args=[world.civic.pk])
    before = row_counts()
    response = client_for(world.civic_lead).post(url, {**VALID_ORGANISATION, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    world.civic.refresh_from_db()
    assert (world.civic.name, world.civic.website) == ("Code for Testing", "")
    assert row_counts() == before


def test_organisation_edit_form_saves_and_audits_the_change(world, client_for):
    url = reverse("partners:organisation_edit", args=[world.civic.pk])
    response = client_for(world.civic_lead).post(
        url, {**VALID_ORGANISATION, "name": "Code for Testing", "city": "Launceston"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == world.civic_lead
    assert entry.changes["city"] == ["", "Launceston"]
    assert entry.changes["website"] == ["", "https://okt.example.org/"]
    assert "name" not in entry.changes


def test_official_cannot_post_changes_to_the_civic_organisation(world, client_for):
    url = reverse("partners:organisation_edit", args=[world.civic.pk])
    response = client_for(world.official).post(url, {**VALID_ORGANISATION, "name": "Taken over"})
    assert response.status_code == 403
    world.civic.refresh_from_db()
    assert world.civic.name == "Code for Testing"


def test_outsider_cannot_post_a_new_organisation(world, client_for):
    before = row_counts()
    client = client_for(world.outsider)
    assert client.get(reverse("partners:organisation_create")).status_code == 403
    assert (
        client.post(reverse("partners:organisation_create"), VALID_ORGANISATION).status_code == 403
    )
    assert row_counts() == before


# --- Forged POSTs ------------------------------------------------------------------------------


def _membership_data(membership, **changes):
    data = {
        "department": membership.department_id or "",
        "role": membership.role,
        "label": membership.label,
        "start_date": "",
        "end_date": "",
        "access": membership.access,
    }
    return {**data, **changes}


def test_membership_form_refuses_a_department_of_another_organisation(world, client_for):
    membership = Membership.objects.get(person=world.fellow.person, organisation=world.institution)
    elsewhere = DepartmentFactory.create(organisation=world.other)
    before = row_counts()
    response = client_for(world.official).post(
        reverse("partners:membership_edit", args=[membership.pk]),
        _membership_data(membership, department=elsewhere.pk),
    )
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.department == world.department
    assert row_counts() == before


def test_new_person_form_refuses_a_department_of_another_organisation(world, client_for):
    elsewhere = DepartmentFactory.create(organisation=world.other)
    before = row_counts()
    response = client_for(world.official).post(
        reverse("partners:person_create", args=[world.institution.pk]),
        {
            "person-name": "Forged Person",
            "membership-department": elsewhere.pk,
            "membership-role": "clerk",
            "membership-access": "",
        },
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="Forged Person").exists()
    assert row_counts() == before


def test_member_cannot_post_admin_access_for_their_own_membership(world, client_for):
    membership = Membership.objects.get(person=world.fellow.person, organisation=world.civic)
    before = row_counts()
    response = client_for(world.fellow).post(
        reverse("partners:membership_edit", args=[membership.pk]),
        _membership_data(membership, access=Access.ADMIN),
    )
    assert response.status_code == 200
    assert "access" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.access == Access.MEMBER
    assert row_counts() == before


def test_admin_can_post_admin_access(world, client_for):
    membership = Membership.objects.get(person=world.fellow.person, organisation=world.civic)
    response = client_for(world.civic_lead).post(
        reverse("partners:membership_edit", args=[membership.pk]),
        _membership_data(membership, access=Access.ADMIN),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.access == Access.ADMIN


def test_member_cannot_post_a_new_admin_membership(world, client_for):
    person = MembershipFactory.create(organisation=world.civic).person
    response = client_for(world.fellow).post(
        reverse("partners:membership_create", args=[person.pk]),
        {"organisation": world.civic.pk, "role": "x", "access": Access.ADMIN},
    )
    assert response.status_code == 200
    assert "access" in response.context["form"].errors
    assert not Membership.objects.filter(person=person, access=Access.ADMIN).exists()


def test_viewer_cannot_post_a_membership_in_the_organisation_they_only_view(world, client_for):
    person = MembershipFactory.create(organisation=world.civic).person
    response = client_for(world.fellow).post(
        reverse("partners:membership_create", args=[person.pk]),
        {"organisation": world.institution.pk, "role": "x", "access": ""},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Membership.objects.filter(person=person, organisation=world.institution).exists()


def test_membership_form_refuses_an_end_before_the_start(world, client_for):
    membership = Membership.objects.get(person=world.fellow.person, organisation=world.civic)
    response = client_for(world.civic_lead).post(
        reverse("partners:membership_edit", args=[membership.pk]),
        _membership_data(membership, start_date="2024-06-01", end_date="2024-05-01"),
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.start_date is None


def test_department_form_refuses_a_parent_of_another_organisation(world, client_for):
    elsewhere = DepartmentFactory.create(organisation=world.other)
    before = row_counts()
    response = client_for(world.official).post(
        reverse("partners:department_create", args=[world.institution.pk]),
        {"name": "Stray", "parent": elsewhere.pk, "classification": ""},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert row_counts() == before


def test_department_form_refuses_a_forged_parent_that_is_its_own_child(world, client_for):
    child = DepartmentFactory.create(organisation=world.institution, parent=world.department)
    response = client_for(world.official).post(
        reverse("partners:department_edit", args=[world.department.pk]),
        {"name": "Digital Services", "parent": child.pk, "classification": ""},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert Department.objects.get(pk=world.department.pk).parent is None


def test_note_form_refuses_to_write_for_a_side_the_user_only_views(world, client_for):
    response = client_for(world.fellow).post(
        reverse("partners:note_create", args=[world.civic.pk]),
        {"owner_organisation": world.institution.pk, "visibility": "public", "body": "forged"},
    )
    assert response.status_code == 200
    assert "owner_organisation" in response.context["form"].errors
    assert not Note.objects.exists()


def test_civic_member_cannot_post_a_department_into_the_institution(world, client_for):
    response = client_for(world.fellow).post(
        reverse("partners:department_create", args=[world.institution.pk]),
        {"name": "Shadow Office", "parent": "", "classification": ""},
    )
    assert response.status_code == 403
    assert not Department.objects.filter(name="Shadow Office").exists()


# --- Export pages ------------------------------------------------------------------------------


def test_organisation_export_page_downloads_its_popolo_document(world, client_for):
    response = client_for(world.fellow).get(
        reverse("partners:organisation_export", args=[world.institution.pk])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert {r["name"] for r in document["organizations"]} == {
        "Testshire Council",
        "Digital Services",
    }


# --- Directory ---------------------------------------------------------------------------------


def test_directory_counts_each_person_once(world, client_for):
    """A councillor who is also mayor holds two memberships of the council: one person."""
    MembershipFactory.create(
        person=world.civic_lead.person, organisation=world.civic, role="treasurer"
    )
    response = client_for(world.fellow).get(reverse("partners:directory"))
    people = {o.name: o.people for o in response.context["page"].object_list}
    assert people == {"Code for Testing": 2, "Testshire Council": 2, "Elsewhere Council": 0}


def test_directory_filters_by_kind_country_and_text(world, client_for):
    world.other.country = "New Zealand"
    world.other.save()
    client = client_for(world.fellow)

    def names(query):
        response = client.get(reverse("partners:directory"), query)
        return [o.name for o in response.context["page"].object_list]

    assert names({"kind": "government"}) == ["Elsewhere Council", "Testshire Council"]
    assert names({"country": "New Zealand"}) == ["Elsewhere Council"]
    assert names({"q": "testshire"}) == ["Testshire Council"]


def test_directory_and_api_leave_political_parties_out_unless_asked(world, client_for):
    OrganisationFactory.create(
        name="Testshire Greens", kind=OrganisationKind.PARTY, classification="party"
    )
    client = client_for(world.fellow)

    def names(query):
        response = client.get(reverse("partners:directory"), query)
        return [o.name for o in response.context["page"].object_list]

    def api_names(query):
        response = client.get("/api/v1/organisations", query)
        assert response.status_code == 200, response.content
        return sorted(o["name"] for o in response.json()["items"])

    everyone = ["Code for Testing", "Elsewhere Council", "Testshire Council"]
    assert names({}) == names({"q": "", "kind": ""}) == everyone
    assert names({"q": "testshire"}) == ["Testshire Council"]
    assert names({"kind": "party"}) == ["Testshire Greens"]
    assert api_names({}) == everyone
    assert api_names({"kind": "party"}) == ["Testshire Greens"]


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_run_instead_of_leaving_it_running(monkeypatch):
    from civicbridge.partners import imports

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "import_file", crash)
    run = ImportRun(kind="popolo", filename="x.json")
    run.file.save("x.json", ContentFile(b"{}"))
    with pytest.raises(RuntimeError):
        imports.process_import_run.call(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "unexpected error" in run.errors[0]


def test_web_export_leaves_out_email_addresses_except_for_platform_admins(world, client_for):
    world.official.person.email = "sam@council.example.org"
    world.official.person.save()
    url = reverse("partners:export_all")
    for user, shown in ((world.outsider, False), (world.civic_lead, False), (world.admin, True)):
        people = client_for(user).get(url).json()["persons"]
        emails = [p.get("email") for p in people if p["name"] == "Sam Official"]
        assert emails == (["sam@council.example.org"] if shown else [None]), user


def test_add_membership_link_only_for_those_who_may_change_the_person(world, client_for):
    from django.urls import reverse

    url = reverse("partners:person", args=[world.fellow.person.pk])
    link = reverse("partners:membership_create", args=[world.fellow.person.pk])
    # The fellow has an account and keeps their own record: the lead may not add to it.
    assert link not in client_for(world.civic_lead).get(url).content.decode()
    assert link in client_for(world.fellow).get(url).content.decode()
    assert client_for(world.civic_lead).get(link).status_code == 403
