from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.playbook.document import SHIPPED, InvalidPlaybook, read_yaml
from civicbridge.playbook.services import save_version


class Command(BaseCommand):
    help = "Load the playbook from YAML: a new version if anything changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SHIPPED)
        parser.add_argument("--note", default="", help="What changed, for the version history.")
        parser.add_argument("--by", metavar="EMAIL", help="The account that made the change.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}.") from None
        actor = None
        if options["by"]:
            actor = get_user_model().objects.filter(email__iexact=options["by"]).first()
            if actor is None:
                raise CommandError(f"No account uses the e-mail address {options['by']}.")
        try:
            version, created = save_version(
                actor, read_yaml(text), options["note"] or f"Loaded from {path.name}"
            )
        except InvalidPlaybook as invalid:
            raise CommandError(
                "The playbook was not loaded:\n" + "\n".join(invalid.errors)
            ) from None
        if created:
            self.stdout.write(f"Loaded the playbook as version {version.number}.")
        else:
            self.stdout.write(f"The playbook is unchanged: version {version.number} stays current.")
