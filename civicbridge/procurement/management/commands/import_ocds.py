from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.procurement.ocds.importer import import_ocds
from civicbridge.procurement.ocds.validation import OcdsError


class Command(BaseCommand):
    help = (
        "Import contracts from an OCDS 1.1 release package or record package (JSON). "
        "An invalid file is refused whole; releases imported before change nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            outcomes = import_ocds(None, raw)
        except OcdsError as failure:
            # The problems travel in the error, so call_command's callers see them too.
            raise CommandError("\n".join(["Nothing was imported.", *failure.problems])) from None
        for outcome in outcomes:
            for line in outcome.lines:
                self.stdout.write(line)
