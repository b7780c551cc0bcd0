from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.partners.choices import ImportKind
from civicbridge.partners.imports import ImportFailed, import_file


class Command(BaseCommand):
    help = "Import organisations, people and memberships from a Popolo JSON file."
    kind = ImportKind.POPOLO

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count; save nothing.")
        parser.add_argument("--country", default="", help="Country of organisations it creates.")

    def options_for_import(self, options: dict) -> dict:
        return {"country": options["country"]}

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            summary = import_file(
                self.kind, raw, dry_run=options["dry_run"], **self.options_for_import(options)
            )
        except ImportFailed as failure:
            # The problems travel in the error, so call_command's callers see them too.
            raise CommandError("\n".join(["Nothing was imported.", *failure.errors])) from None
        for line in summary.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
