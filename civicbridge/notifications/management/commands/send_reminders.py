import logging
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from civicbridge.notifications.services import enqueue_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Create the reminders due today and enqueue their sending, with any a crashed worker "
        "left behind; the task worker sends them. With --loop, run every SECONDS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Run a pass every SECONDS seconds until stopped (the scheduler).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read every source afresh, not only what changed since the last pass today.",
        )

    def handle(self, *args, loop: int | None = None, full: bool = False, **options) -> None:
        while True:
            if not loop:
                self.report(enqueue_due(full=full), options["verbosity"])
                return
            close_old_connections()
            try:
                self.report(enqueue_due(full=full), options["verbosity"])
            except Exception:
                # The scheduler outlives a passing database error; the next pass catches up.
                logger.exception("The reminder pass failed; trying again in %d seconds.", loop)
            time.sleep(loop)

    def report(self, counts: dict[str, int], verbosity: int) -> None:
        if verbosity > 1 or any(counts.values()):
            self.stdout.write(
                f"Reminders: {counts['created']} created, {counts['enqueued']} enqueued; "
                f"event follow-ups: {counts['follow_ups']} sent."
            )
