from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.collaborations.models import Collaboration
from civicbridge.partners.imports import ImportFailed
from civicbridge.policy.importer import DEFAULT_COLUMNS, import_commitments


def mapping(values: list[str]) -> dict[str, str]:
    """The --map options, field=Column, as a mapping of field to column name."""
    columns: dict[str, str] = {}
    for value in values:
        name, sep, column = value.partition("=")
        if not sep or name.strip() not in DEFAULT_COLUMNS or not column.strip():
            raise CommandError(
                f"Write --map as field=Column name, with a field of: {', '.join(DEFAULT_COLUMNS)}."
            )
        columns[name.strip()] = column.strip()
    return columns


class Command(BaseCommand):
    help = (
        "Import an action plan's commitments into a policy collaboration from a CSV file in "
        "the shape the Open Government Partnership publishes. Nothing is imported if any row "
        "has a problem, unless --skip-invalid; importing again updates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The commitments CSV file.")
        parser.add_argument(
            "--collaboration", required=True, type=int, help="The policy collaboration's id."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help='Read a field from a column of another name, e.g. title="Commitment". '
            f"Fields: {', '.join(DEFAULT_COLUMNS)}.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the good rows and list the bad ones instead of importing nothing.",
        )

    def handle(self, *args, **options) -> None:
        collaboration = Collaboration.objects.filter(pk=options["collaboration"]).first()
        if collaboration is None:
            raise CommandError(f"No collaboration has the id {options['collaboration']}.")
        try:
            raw = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {error.filename}: {error.strerror}.") from None
        try:
            summary = import_commitments(
                None,
                collaboration,
                raw,
                columns=mapping(options["map"]),
                skip_invalid=options["skip_invalid"],
                filename=options["file"].name,
            )
        except ImportFailed as failure:
            raise CommandError("\n".join(["Nothing was imported.", *failure.errors])) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(summary.line())
        for skipped in summary.skipped:
            self.stderr.write(f"Skipped: {skipped}")
