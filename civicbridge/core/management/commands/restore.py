from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (the one "
        "DATABASE_URL names) and an empty media folder, then compare the rows with the "
        "backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="The folder `manage.py backup` wrote.")

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            result = restore_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest, found = result["manifest"], result["found"]
        self.stdout.write(
            f"Restored the backup made {manifest['made_at']} "
            f"(Civic Bridge {manifest['civicbridge']}, Django {manifest['django']})."
        )
        if options["verbosity"] > 1:
            for label, rows in sorted(found.items()):
                expected = manifest["counts"].get(label, 0)
                self.stdout.write(f"  {label}: {rows} of {expected}")
        self.stdout.write(
            f"Rows: {sum(found.values())} restored, {sum(manifest['counts'].values())} in "
            f"the backup, over {len(found)} models; uploaded files: {manifest['media']['files']}."
        )
        if result["pending_migrations"]:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {result['pending_migrations']} migrations of this "
                    "version: run `manage.py migrate` before starting the site."
                )
            )
        if not result["key_still_signs"]:
            self.stdout.write(
                self.style.WARNING(
                    f"The secret key differs from the backup's (which came from "
                    f"{manifest['secret_key']['source']}): links signed before the backup "
                    "(event confirmations, follow-up answers, password resets) will be "
                    "refused and everyone must sign in again. Personal access tokens still "
                    "work. Start with the backup's key (as SECRET_KEY, or in VAR_DIR/secret_key) to keep them."
                )
            )
        if result["differences"]:
            raise CommandError(
                "The restored rows differ from the backup's manifest:\n"
                + "\n".join(result["differences"])
            )
        self.stdout.write(self.style.SUCCESS("Every model's rows match the manifest."))
