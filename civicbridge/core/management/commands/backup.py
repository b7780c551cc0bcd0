from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database, the uploaded files and a manifest of what they hold into "
        "FOLDER, while the site runs. The secret key is not included: keep it yourself."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A new or empty folder for the backup.")

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            manifest = make_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        media = manifest["media"]
        self.stdout.write(
            f"Backed up {rows} rows of {len(manifest['counts'])} models ({manifest['engine']}) "
            f"and {media['files']} uploaded files into {folder}."
        )
        self.stdout.write(
            f"The secret key came from {manifest['secret_key']['source']} and is not in the "
            "backup: keep it, since signed links and password-reset links need it."
        )
