"""Exactly once with real processes on PostgreSQL: two `db_worker`s racing over the same
reminders, and a worker killed between its claim and its send (X2).

Each process is a separate Python with its own database connection; the e-mail each sends is
a file under its own VAR_DIR, so the test counts what really left."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from civicbridge.notifications.models import InboxItem, Reminder
from civicbridge.notifications.services import send_reminder

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]

KILLED_AFTER_CLAIM = """
import os, signal, django
django.setup()
from civicbridge.notifications import services
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # the claim is written; the e-mail is not
services.send_mail = die
services.send_reminder.call(int(os.environ["REMINDER"]))
"""

RECOVERY_PASS_LATER = """
from datetime import timedelta
import django, time_machine
django.setup()
from django.core.management import call_command
from django.utils import timezone
from civicbridge.notifications import services
with time_machine.travel(timezone.now() + services.STALE + timedelta(minutes=1)):
    services.enqueue_unsent()
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
"""


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one writer at a time.")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def start(code_or_command: list[str], var_dir: Path, **env: str) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": database_url(), "VAR_DIR": str(var_dir), **env}
    environment["EMAIL_DELIVERY"] = "file"
    return subprocess.Popen([sys.executable, *code_or_command], cwd=ROOT, env=environment)


def sent_subjects(*var_dirs: Path) -> list[str]:
    """The subject of every message the processes wrote to their mail folders."""
    return [
        line.removeprefix("Subject: ")
        for var_dir in var_dirs
        for message in sorted((var_dir / "mail").glob("*.log"))
        for line in message.read_text().splitlines()
        if line.startswith("Subject: ")
    ]


def test_two_worker_processes_deliver_each_reminder_once(
    world, make_reminder, database_tasks, tmp_path
):
    reminders = [
        make_reminder(user=user, key=f"obligation_due:{n}:2026-03-10-soon")
        for n in range(8)
        for user in (world.official, world.civic_lead, world.fellow)
    ]
    for reminder in reminders:
        # Two tasks per reminder, as two schedulers racing might leave: one worker each.
        send_reminder.enqueue(reminder.pk)
        send_reminder.enqueue(reminder.pk)
    var_dirs = [tmp_path / "one", tmp_path / "two"]
    command = ["manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"]
    workers = [start(command, var_dir) for var_dir in var_dirs]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    assert len(sent_subjects(*var_dirs)) == len(reminders)
    assert InboxItem.objects.count() == len(reminders)
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_between_claim_and_send_is_recovered_once(
    make_reminder, database_tasks, tmp_path
):
    reminder = make_reminder()
    killed = start(["-c", KILLED_AFTER_CLAIM], tmp_path / "killed", REMINDER=str(reminder.pk))
    assert killed.wait(timeout=60) == -9
    reminder.refresh_from_db()
    assert reminder.claimed_at is not None and reminder.sent_at is None
    assert sent_subjects(tmp_path / "killed") == []

    later = start(["-c", RECOVERY_PASS_LATER], tmp_path / "later")
    assert later.wait(timeout=120) == 0
    again = start(["-c", RECOVERY_PASS_LATER], tmp_path / "again")
    assert again.wait(timeout=120) == 0
    dirs = (tmp_path / "killed", tmp_path / "later", tmp_path / "again")
    assert sent_subjects(*dirs) == [reminder.subject]
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.attempts == 2
