"""Importing past events and their projects from CSV (deliverable 8): all or nothing with a
report per row and column, and a second import updates instead of duplicating."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.models import Collaboration
from civicbridge.events.importer import ImportFailed, RowError, import_events
from civicbridge.events.models import Criterion, Event, Project, ProjectFollowUp, Team

EVENTS = """name,url,start,end,participants,themes,judging criteria,prizes
Hobart Hack 2023,https://hack.example/2023,2023-05-06,2023-05-07,80,Transport; Waste,Impact; Design; Feasibility,A visit to the council's design lab
Open Data Day 2024,,2024-03-02,,35,Open data,,
"""
PROJECTS = """title,url,event,team members,technologies,winner,repository url
Bin map,https://binmap.example,https://hack.example/2023,Ana Lee; Ben Ode,Python; Leaflet,yes,https://github.com/example/binmap
Bus times,,Hobart Hack 2023,Cy Late,Django,no,
Data audit,,Open Data Day 2024,,,,
"""
TODAY = date(2025, 1, 10)


def run(world, events=EVENTS, projects=PROJECTS, actor=None, **options):
    return import_events(
        actor or world.civic_lead,
        world.civic,
        world.institution,
        events,
        projects,
        today=options.get("today", TODAY),
    )


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Collaboration, Event, Project, Team, Criterion)
    )


def test_events_become_closed_events_of_the_organisation_with_their_projects(world, playbook):
    summary = run(world)
    assert summary.lines() == [
        "Events: 2 created, 0 updated, 0 unchanged.",
        "Projects: 3 created, 0 updated, 0 unchanged.",
        "Follow-ups planned: 0.",
    ]
    hack = Event.objects.get(url="https://hack.example/2023")
    collaboration = hack.collaboration
    assert (collaboration.title, collaboration.model, collaboration.stage) == (
        "Hobart Hack 2023",
        "event",
        "closed",
    )
    assert (collaboration.civic_organisation, collaboration.institution) == (
        world.civic,
        world.institution,
    )
    assert (collaboration.start_date, collaboration.end_date, collaboration.closed_on) == (
        date(2023, 5, 6),
        date(2023, 5, 7),
        date(2023, 5, 7),
    )
    assert (hack.kind, hack.reported_participants, hack.themes) == (
        "hackathon",
        80,
        ["Transport", "Waste"],
    )
    assert list(hack.criteria.values_list("name", flat=True)) == ["Impact", "Design", "Feasibility"]
    bins = Project.objects.get(title="Bin map")
    assert (bins.event, bins.winner, bins.technologies) == (hack, True, ["Python", "Leaflet"])
    assert bins.repository_url == "https://github.com/example/binmap"
    assert bins.team is not None
    assert bins.team.members_text == "Ana Lee\nBen Ode"
    day = Event.objects.get(collaboration__title="Open Data Day 2024")
    assert day.collaboration.end_date == date(2024, 3, 2)  # no end: a one-day event
    assert Project.objects.get(title="Data audit").team is None


def test_importing_again_updates_instead_of_duplicating(world, playbook):
    run(world)
    before = counts()
    assert run(world).lines()[:2] == [
        "Events: 0 created, 0 updated, 2 unchanged.",
        "Projects: 0 created, 0 updated, 3 unchanged.",
    ]
    changed_events = EVENTS.replace(",80,", ",95,").replace(
        "Open Data Day 2024,,", "Open Data Day 2024,https://odd.example/2024,"
    )
    changed_projects = PROJECTS.replace("Cy Late,Django", "Cy Late; Di Nu,Django").replace(
        "Open Data Day 2024", "https://odd.example/2024"
    )
    assert run(world, changed_events, changed_projects).lines()[:2] == [
        "Events: 0 created, 2 updated, 0 unchanged.",
        "Projects: 0 created, 1 updated, 2 unchanged.",
    ]
    assert counts() == before
    assert Event.objects.get(url="https://hack.example/2023").reported_participants == 95
    team = Project.objects.get(title="Bus times").team
    assert team is not None and team.members_text == "Cy Late\nDi Nu"


def test_a_project_is_found_again_by_its_address_when_its_title_changes(world, playbook):
    run(world)
    renamed = PROJECTS.replace("Bin map,https://binmap.example", "Bin map 2,https://binmap.example")
    run(world, projects=renamed)
    assert list(
        Project.objects.filter(url="https://binmap.example").values_list("title", flat=True)
    ) == ["Bin map 2"]
    assert Project.objects.count() == 3


BROKEN_EVENTS = """name,url,start,end,participants,themes,judging criteria,prizes
Hobart Hack 2023,https://hack.example/2023,2023-05-06,2023-05-07,80,,,
,not a link,06/05/2023,,eighty,,,
Backwards,,2023-05-07,2023-05-06,,,,
Next year,,2025-06-01,2025-06-02,,,,
Hobart Hack 2023,https://hack.example/2023,2023-05-06,2023-05-07,,,,
"""
BROKEN_PROJECTS = """title,url,event,team members,technologies,winner,repository url
Bin map,,Hobart Hack 2023,,,maybe,ftp://files.example/binmap
,,Nowhere,,,,
Bin map,,https://hack.example/2023,,,,
"""


def test_broken_rows_are_reported_by_row_and_column_and_nothing_is_imported(world, playbook):
    with pytest.raises(ImportFailed) as failure:
        run(world, BROKEN_EVENTS, BROKEN_PROJECTS)
    assert [(e.file, e.row, e.column) for e in failure.value.errors] == [
        ("events", 3, "name"),
        ("events", 3, "url"),
        ("events", 3, "start"),
        ("events", 3, "participants"),
        ("events", 4, "end"),
        ("events", 5, "end"),
        ("events", 6, "url"),
        ("projects", 2, "winner"),
        ("projects", 2, "repository url"),
        ("projects", 3, "title"),
        ("projects", 3, "event"),
        ("projects", 4, "title"),
    ]
    messages = {(e.row, e.column): e.message for e in failure.value.errors}
    assert messages[(3, "start")] == "Write the date as YYYY-MM-DD, such as 2024-03-16."
    assert messages[(6, "url")] == "Row 2 has the same event already."
    assert counts() == (0, 0, 0, 0, 0)
    assert (
        str(RowError("events", 3, "start", "Wrong."))
        == "events file, row 3, column “start”: Wrong."
    )


def test_one_bad_project_keeps_every_event_out(world, playbook):
    bad = PROJECTS + "Orphan,,Hobart Hack 2022,,,,\n"
    with pytest.raises(ImportFailed) as failure:
        run(world, EVENTS, bad)
    assert [(e.file, e.row, e.column) for e in failure.value.errors] == [("projects", 5, "event")]
    assert counts() == (0, 0, 0, 0, 0)


def test_unknown_and_missing_columns_are_named(world, playbook):
    with pytest.raises(ImportFailed) as failure:
        run(world, "title,begin\nHack,2023-01-01\n", None)
    assert [(e.row, e.column, e.message) for e in failure.value.errors] == [
        (1, "title", "This column is unknown; the README lists the columns."),
        (1, "begin", "This column is unknown; the README lists the columns."),
        (1, "name", "This column is missing."),
        (1, "start", "This column is missing."),
    ]


def test_a_file_that_is_not_utf8_is_refused(world, playbook):
    with pytest.raises(ImportFailed) as failure:
        run(world, "name,start\nCafé,2023-01-01\n".encode("latin-1"), None)
    assert "not UTF-8" in failure.value.errors[0].message


def test_a_contact_gets_the_follow_ups_still_ahead(world, playbook):
    events = "name,start,end\nRecent hack,2024-11-29,2024-11-30\n"
    projects = (
        "title,event,contact name,contact email\nBin map,Recent hack,Ana Lee,ana@example.net\n"
    )
    summary = run(world, events, projects, today=date(2025, 1, 10))
    assert summary.follow_ups == 3
    assert sorted(ProjectFollowUp.objects.values_list("months", "email")) == [
        (3, "ana@example.net"),
        (6, "ana@example.net"),
        (12, "ana@example.net"),
    ]  # the 1-month follow-up of 30 December had passed


def test_a_contact_address_needs_a_name_and_an_address(world, playbook):
    events = "name,start\nRecent hack,2024-11-30\n"
    projects = "title,event,contact name,contact email\nBin map,Recent hack,,not-an-address\n"
    with pytest.raises(ImportFailed) as failure:
        run(world, events, projects)
    assert [(e.row, e.column) for e in failure.value.errors] == [
        (2, "contact email"),
        (2, "contact name"),
    ]


def test_only_members_of_a_civic_organisation_import_its_events(world, playbook):
    with pytest.raises(PermissionDenied):
        run(world, actor=world.official)
    with pytest.raises(PermissionDenied):
        import_events(world.official, world.institution, world.other, EVENTS, None)
    with pytest.raises(ImportFailed):
        import_events(world.civic_lead, world.civic, world.civic, EVENTS, None)
    assert counts() == (0, 0, 0, 0, 0)


# The command ---------------------------------------------------------------------------


def test_the_command_imports_both_files(world, playbook, tmp_path, capsys):
    (tmp_path / "events.csv").write_text(EVENTS)
    (tmp_path / "projects.csv").write_text(PROJECTS)
    call_command(
        "import_events",
        str(tmp_path / "events.csv"),
        str(tmp_path / "projects.csv"),
        organisation="Code for Testing",
        institution=str(world.institution.pk),
    )
    assert "Events: 2 created" in capsys.readouterr().out
    assert Project.objects.count() == 3


def test_the_command_says_what_is_wrong_and_imports_nothing(world, playbook, tmp_path):
    (tmp_path / "events.csv").write_text(BROKEN_EVENTS)
    with pytest.raises(CommandError) as error:
        call_command(
            "import_events",
            str(tmp_path / "events.csv"),
            organisation=str(world.civic.pk),
            institution="Testshire Council",
        )
    assert "Nothing was imported." in str(error.value)
    assert "events file, row 3, column “start”" in str(error.value)
    with pytest.raises(CommandError, match="No organisation is called"):
        call_command(
            "import_events",
            str(tmp_path / "events.csv"),
            organisation="Nobody",
            institution="Testshire Council",
        )
    assert counts() == (0, 0, 0, 0, 0)


# The upload page -----------------------------------------------------------------------


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_upload_page_imports_and_links_the_events(world, playbook, client_for):
    client = client_for(world.civic_lead)
    url = reverse("events:import")
    assert client.get(url).status_code == 200
    page = client.post(
        url,
        {
            "organisation": world.civic.pk,
            "institution": world.institution.pk,
            "events": upload("events.csv", EVENTS),
            "projects": upload("projects.csv", PROJECTS),
        },
        follow=True,
    )
    assert page.status_code == 200
    [(run_page, _status)] = page.redirect_chain
    assert "Events: 2 created, 0 updated, 0 unchanged." in page.text
    assert reverse("events:list") in page.text
    assert Event.objects.filter(url="https://hack.example/2023").exists()
    # The run page is the uploader's, and platform admins'.
    assert client_for(world.fellow).get(run_page).status_code == 403


def test_the_upload_page_lists_each_problem(world, playbook, client_for):
    page = client_for(world.civic_lead).post(
        reverse("events:import"),
        {
            "organisation": world.civic.pk,
            "institution": world.institution.pk,
            "events": upload("events.csv", BROKEN_EVENTS),
        },
        follow=True,
    )
    assert "Nothing was imported" in page.text
    assert "Write the date as YYYY-MM-DD, such as 2024-03-16." in page.text
    assert counts() == (0, 0, 0, 0, 0)


def test_the_upload_page_refuses_big_files_and_other_kinds(world, playbook, client_for, settings):
    settings.EVENT_IMPORT_MAX_MB = 1
    client = client_for(world.civic_lead)
    fields = {"organisation": world.civic.pk, "institution": world.institution.pk}
    big = client.post(
        reverse("events:import"),
        {**fields, "events": upload("events.csv", EVENTS + "x" * 1024 * 1024)},
    )
    assert "The file is larger than 1 MB." in big.text
    other = client.post(
        reverse("events:import"), {**fields, "events": upload("events.txt", EVENTS)}
    )
    assert "Choose a .csv file." in other.text
    assert counts() == (0, 0, 0, 0, 0)


def test_the_upload_page_is_for_members_of_a_civic_organisation(world, playbook, client_for):
    url = reverse("events:import")
    assert client_for(world.official).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


# The API -------------------------------------------------------------------------------


def test_the_api_imports_and_reports_problems(world, playbook, client):
    _token, secret = create_token(world.civic_lead, name="Script", scope="read-write")
    headers = {"Authorization": f"Bearer {secret}"}
    url = reverse("api:events_import")
    fields = {"organisation": world.civic.pk, "institution": world.institution.pk}
    queued = client.post(url, {**fields, "events": upload("e.csv", BROKEN_EVENTS)}, headers=headers)
    assert queued.status_code == 202
    refused = client.get(queued.json()["url"], headers=headers).json()
    assert refused["status"] == "failed"
    assert refused["errors"][0] == "events file, row 3, column “name”: This value is required."
    done = client.post(
        url,
        {**fields, "events": upload("e.csv", EVENTS), "projects": upload("p.csv", PROJECTS)},
        headers=headers,
    )
    assert done.status_code == 202
    summary = client.get(done.json()["url"], headers=headers).json()["summary"]
    assert summary[:2] == [
        "Events: 2 created, 0 updated, 0 unchanged.",
        "Projects: 3 created, 0 updated, 0 unchanged.",
    ]


# Limits, checked while the file is read ----------------------------------------------


def test_more_rows_than_the_limit_are_refused_naming_it(world, playbook, monkeypatch):
    from civicbridge.events import importer

    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    rows = "".join(f"Hack {i},,2023-0{i}-01\n" for i in range(1, 4))
    with pytest.raises(ImportFailed) as failure:
        run(world, ("name,url,start\n" + rows).encode(), None)
    assert [e.message for e in failure.value.errors] == ["The file has more than 2 rows."]
    assert counts() == (0, 0, 0, 0, 0)


def test_a_value_longer_than_the_limit_is_refused_naming_its_column(world, playbook):
    text = "name,url,start\n" + "x" * 6000 + ",,2023-01-01\n"
    with pytest.raises(ImportFailed) as failure:
        run(world, text.encode(), None)
    [error] = failure.value.errors
    assert (error.row, error.column) == (2, "name")
    assert error.message == "A value is longer than 5000 characters."
    assert counts() == (0, 0, 0, 0, 0)


def test_a_file_larger_than_the_limit_is_refused_while_read(world, playbook, settings):
    settings.EVENT_IMPORT_MAX_MB = 1
    text = "name,url,start\n" + "x" * (1024 * 1024 + 1) + ",,2023-01-01\n"
    with pytest.raises(ImportFailed) as failure:
        run(world, text.encode(), None)
    assert failure.value.errors[0].message == "The file is larger than 1 MB."
    assert counts() == (0, 0, 0, 0, 0)
