from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.events.importer import ImportFailed, import_events
from civicbridge.partners.models import Organisation


def organisation(value: str) -> Organisation:
    """An organisation by its id or its exact name."""
    found = Organisation.objects.filter(
        **({"pk": int(value)} if value.isdigit() else {"name__iexact": value})
    )
    matches = list(found[:2])
    if len(matches) != 1:
        raise CommandError(
            f"No organisation is called {value!r}."
            if not matches
            else f"Several organisations are called {value!r}: give its id instead."
        )
    return matches[0]


class Command(BaseCommand):
    help = (
        "Import past events, and optionally their projects, from CSV files (the README lists "
        "the columns). Nothing is imported if any row has a problem; importing again updates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("events", type=Path, help="The events CSV file.")
        parser.add_argument("projects", type=Path, nargs="?", help="Their projects' CSV file.")
        parser.add_argument(
            "--organisation",
            required=True,
            help="The civic organisation that ran the events: its id or exact name.",
        )
        parser.add_argument(
            "--institution",
            required=True,
            help="The government body the events were run with: its id or exact name.",
        )

    def handle(self, *args, **options) -> None:
        files = [options["events"], options["projects"]]
        try:
            events, projects = (path.read_bytes() if path else None for path in files)
        except OSError as error:
            raise CommandError(f"Cannot read {error.filename}: {error.strerror}.") from None
        assert events is not None
        try:
            summary = import_events(
                None,
                organisation(options["organisation"]),
                organisation(options["institution"]),
                events,
                projects,
            )
        except ImportFailed as failure:
            # The problems travel in the error, so call_command's callers see them too.
            lines = [str(error) for error in failure.shown]
            raise CommandError("\n".join(["Nothing was imported.", *lines])) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for line in summary.lines():
            self.stdout.write(line)
