"""Run code as if it were another day: the demo workspace records its past this way.

Every record a service writes takes its dates from the clock (`created_at`, a signature's
`signed_at`, an activity line, a check-in's submission, today's date in a rule), so
loading a collaboration that ran last year through the services *as of* the days it
happened dates everything as it would have been, with the rules of each day applied.
Only the demo uses it; the application never moves its clock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

import time_machine
from django.utils import timezone


@contextmanager
def as_of(day: date, hour: int = 10) -> Iterator[None]:
    """Run the block on `day` at `hour`, local time; the clock runs on from there."""
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    with time_machine.travel(moment, tick=True):
        yield
