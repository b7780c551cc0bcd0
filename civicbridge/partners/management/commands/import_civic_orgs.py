from pathlib import Path

from django.core.management.base import CommandParser

from civicbridge.partners.choices import ImportKind

from .import_popolo import Command as ImportCommand


class Command(ImportCommand):
    help = "Import civic organisations in the Code for America brigade-information format."
    kind = ImportKind.CIVIC_ORGS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count; save nothing.")

    def options_for_import(self, options: dict) -> dict:
        return {}
