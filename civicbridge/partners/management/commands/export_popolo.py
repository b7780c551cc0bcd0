import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.partners.models import Organisation
from civicbridge.partners.popolo import export_popolo


class Command(BaseCommand):
    help = "Export organisations, people and memberships as a Popolo JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write; - for standard output.")
        parser.add_argument("--organisation", type=int, help="Only this organisation (its id).")

    def handle(self, *args, **options) -> None:
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"There is no organisation with id {options['organisation']}.")
        text = json.dumps(export_popolo(organisation), indent=2, ensure_ascii=False)
        if str(options["file"]) == "-":
            self.stdout.write(text)
            return
        options["file"].write_text(text + "\n")
        data = json.loads(text)
        self.stdout.write(
            ", ".join(f"{len(data[kind])} {kind}" for kind in data)
            + f" written to {options['file']}"
        )
