"""Commitments import from a CSV file in the shape OGP publishes, untidy as real plans are."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from civicbridge.collaborations.choices import Completion
from civicbridge.partners.imports import ImportFailed
from civicbridge.policy.choices import InstitutionRole
from civicbridge.policy.importer import (
    RowsRefused,
    import_commitments,
    parse_completion,
    parse_date,
    split_institutions,
)
from civicbridge.policy.models import Commitment, CommitmentAssessment
from tests.factories import OrganisationFactory

FIXTURE = Path(__file__).parent / "data" / "commitments.csv"
HEADER = [
    "Commitment Unique Identifier",
    "Commitment Title",
    "Lead Institution",
    "Supporting Institution(s)",
    "Start Date",
    "End Date",
    "Completion (End Of Term)",
    "Theme: Open Contracting",
]


def csv_of(*rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def fixture_bytes() -> bytes:
    return FIXTURE.read_bytes()


@pytest.mark.parametrize(
    ("written", "end", "day"),
    [
        ("7/1/2014", False, date(2014, 7, 1)),
        ("12/31/16", False, date(2016, 12, 31)),
        ("July 2014", False, date(2014, 7, 1)),
        ("July 2014", True, date(2014, 7, 31)),
        ("Sept. 2015", False, None),  # not a month name: refused below
        ("2014", False, date(2014, 1, 1)),
        ("2014", True, date(2014, 12, 31)),
        ("2014-03-02", False, date(2014, 3, 2)),
    ],
)
def test_dates_are_read_as_real_plans_write_them(written, end, day):
    if day is None:
        with pytest.raises(ValueError):
            parse_date(written, end=end)
    else:
        assert parse_date(written, end=end) == day


@pytest.mark.parametrize("marker", ["NA", "ND", "NR", "N/A", "Unclear", "unclear ", ""])
def test_markers_of_the_unknown_leave_a_date_empty(marker):
    assert parse_date(marker) is None


@pytest.mark.parametrize("written", ["31/31/2015", "soon", "2014/15"])
def test_a_date_that_is_no_date_is_refused(written):
    with pytest.raises(ValueError):
        parse_date(written)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("Substantial", Completion.SUBSTANTIAL),
        ("substantial ", Completion.SUBSTANTIAL),
        ("Complete", Completion.COMPLETE),
        ("Completed", Completion.COMPLETE),
        ("Not Started", Completion.NOT_STARTED),
        ("not_started", Completion.NOT_STARTED),
        ("limited", Completion.LIMITED),
        ("NA", ""),
    ],
)
def test_completion_is_read_in_any_case_and_spacing(written, value):
    assert parse_completion(written) == value


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Ministry of Finance", ["Ministry of Finance"]),
        (
            "Ministry of Finance; Public Procurement Agency",
            ["Ministry of Finance", "Public Procurement Agency"],
        ),
        ("Ministry of Finance\nCity Council", ["Ministry of Finance", "City Council"]),
        ("Ministry of Trade and Industry", ["Ministry of Trade and Industry"]),
        (
            "Ministry of Justice and Ministry of Interior",
            ["Ministry of Justice", "Ministry of Interior"],
        ),
        (
            "Ministry of Justice, Human Rights and Religious Affairs",
            ["Ministry of Justice, Human Rights and Religious Affairs"],
        ),
        (
            "Ministry of Justice, Office of the Ombudsman",
            ["Ministry of Justice", "Office of the Ombudsman"],
        ),
        (
            "Transparency Network, Open Data Alliance, and Press Club",
            ["Transparency Network", "Open Data Alliance", "Press Club"],
        ),
        ("Ministry of Finance; ministry of finance", ["Ministry of Finance"]),
        ("NA", []),
        ("Ministry of Finance; N/A", ["Ministry of Finance"]),
    ],
)
def test_several_institutions_in_one_cell_are_split_with_care(cell, names):
    assert split_institutions(cell) == names


def test_the_fixture_with_bad_rows_imports_nothing_and_names_each(policy, world, fixture_bytes):
    with pytest.raises(RowsRefused) as refused:
        import_commitments(world.civic_lead, policy, fixture_bytes)
    problems = [(e.row, e.column) for e in refused.value.row_errors]
    assert problems == [
        (59, "Start Date"),
        (125, "Completion (End Of Term)"),
        (303, "End Date"),
    ]
    assert not Commitment.objects.exists()


def test_skipping_bad_rows_imports_the_others_and_again_changes_nothing(
    policy, world, fixture_bytes
):
    summary = import_commitments(world.civic_lead, policy, fixture_bytes, skip_invalid=True)
    assert summary.line() == "commitments: 397 created, 0 updated, 0 unchanged, 3 skipped"
    assert any("Row 59" in line for line in summary.lines())
    again = import_commitments(world.civic_lead, policy, fixture_bytes, skip_invalid=True)
    assert again.line() == "commitments: 0 created, 0 updated, 397 unchanged, 3 skipped"
    assert Commitment.objects.count() == 397


def test_long_titles_are_kept_whole_and_other_columns_stay_on_the_record(
    policy, world, fixture_bytes
):
    import_commitments(world.civic_lead, policy, fixture_bytes, skip_invalid=True)
    long = Commitment.objects.filter(title__contains="who benefits from it").first()
    assert long is not None and len(long.title) > 200
    assert long.title.endswith("who benefits from it.")
    themed = Commitment.objects.get(identifier="LP0001")
    assert themed.extra["Theme: Open Contracting"] == "Yes"
    assert "Commitment Title" not in themed.extra
    assert themed.completion == Completion.LIMITED  # written "LIMITED"


def test_a_changed_row_updates_its_commitment_and_dates_the_new_completion(policy, world):
    first = csv_of(
        ["AB01", "Open the budget", "Ministry of Finance", "", "7/1/2014", "2016", "Limited", ""]
    )
    import_commitments(world.civic_lead, policy, first)
    second = csv_of(
        [
            "AB01",
            "Open the budget",
            "Ministry of Finance",
            "",
            "7/1/2014",
            "2016",
            "complete ",
            "Yes",
        ]
    )
    summary = import_commitments(world.civic_lead, policy, second, filename="plan.csv")
    assert summary.line() == "commitments: 0 created, 1 updated, 0 unchanged, 0 skipped"
    commitment = Commitment.objects.get(identifier="AB01")
    assert commitment.completion == Completion.COMPLETE
    assert commitment.end_date == date(2016, 12, 31)
    history = list(
        CommitmentAssessment.objects.filter(commitment=commitment)
        .order_by("id")
        .values_list("from_completion", "completion")
    )
    assert history == [
        (Completion.NOT_STARTED, Completion.LIMITED),
        (Completion.LIMITED, Completion.COMPLETE),
    ]


def test_institutions_are_linked_to_the_directory_by_name(policy, world):
    body = OrganisationFactory.create(name="Public Procurement Agency")
    data = csv_of(
        ["AB02", "Simplify", "public procurement agency", "Ministry of Finance; NA", "", "", "", ""]
    )
    import_commitments(world.civic_lead, policy, data)
    institutions = list(
        Commitment.objects.get().institutions.values_list("role", "name", "organisation_id")
    )
    assert institutions == [
        (InstitutionRole.LEAD, "public procurement agency", body.pk),
        (InstitutionRole.SUPPORTING, "Ministry of Finance", None),
    ]


def test_columns_can_be_mapped_to_other_names(policy, world):
    data = csv_of(["X1", "Open the budget"], header=["Ref", "Name of commitment"])
    summary = import_commitments(
        world.civic_lead, policy, data, columns={"identifier": "Ref", "title": "Name of commitment"}
    )
    assert summary.created == 1
    assert Commitment.objects.get().identifier == "X1"


def test_a_file_without_the_title_column_is_refused(policy, world):
    with pytest.raises(RowsRefused) as refused:
        import_commitments(world.civic_lead, policy, csv_of(["X1"], header=["Ref"]))
    assert refused.value.row_errors[0].column == "Commitment Title"


def test_an_outsider_cannot_import(policy, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_commitments(world.outsider, policy, csv_of(["X1", "Title", "", "", "", "", "", ""]))


def test_a_file_with_a_nul_character_is_refused(policy, world):
    with pytest.raises(ImportFailed):
        import_commitments(world.civic_lead, policy, b"Commitment Title\nA\x00B\n")


def test_the_command_prints_the_summary_line(policy, tmp_path, fixture_bytes):
    path = tmp_path / "plan.csv"
    path.write_bytes(fixture_bytes)
    out = io.StringIO()
    call_command(
        "import_commitments",
        str(path),
        "--collaboration",
        str(policy.pk),
        "--skip-invalid",
        stdout=out,
    )
    assert out.getvalue().splitlines()[0] == (
        "commitments: 397 created, 0 updated, 0 unchanged, 3 skipped"
    )


def test_the_command_refuses_a_file_with_bad_rows_and_says_why(policy, tmp_path, fixture_bytes):
    path = tmp_path / "plan.csv"
    path.write_bytes(fixture_bytes)
    with pytest.raises(CommandError, match="Row 59"):
        call_command("import_commitments", str(path), "--collaboration", str(policy.pk))
    assert not Commitment.objects.exists()


def test_the_command_maps_columns(policy, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_of(["X1", "Open the budget", "Yes"], header=["Ref", "Name", "Opened"]))
    out = io.StringIO()
    call_command(
        "import_commitments",
        str(path),
        "--collaboration",
        str(policy.pk),
        "--map",
        "identifier=Ref",
        "--map",
        "title=Name",
        stdout=out,
    )
    assert out.getvalue().strip() == "commitments: 1 created, 0 updated, 0 unchanged, 0 skipped"
    assert Commitment.objects.get().extra == {"Opened": "Yes"}
    assert Commitment.objects.get().practice_change == ""


def test_short_rows_empty_trailing_cells_and_unnamed_columns_are_read(policy, world):
    data = (
        b"Commitment Unique Identifier,Commitment Title,,Theme\r\n"
        b"AB01,Open the budget\r\n"
        b"AB02,Open the contracts,note,Yes,,\r\n"
    )
    summary = import_commitments(world.civic_lead, policy, data)
    assert summary.line() == "commitments: 2 created, 0 updated, 0 unchanged, 0 skipped"
    assert Commitment.objects.get(identifier="AB02").extra == {"Column 3": "note", "Theme": "Yes"}


def test_a_row_with_values_past_the_last_column_is_refused(policy, world):
    data = b"Commitment Title\r\nOpen the budget,surprise\r\n"
    with pytest.raises(RowsRefused) as refused:
        import_commitments(world.civic_lead, policy, data)
    assert refused.value.row_errors[0].row == 2
