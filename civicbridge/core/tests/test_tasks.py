"""A task whose worker was killed is marked failed once by the scheduler's pass; platform
admins follow the queue on its own page."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civicbridge.core.tasks import recover_stale_tasks
from civicbridge.partners.models import ImportRun

URL = reverse("core:task_queue")


def task(status: str, started_minutes_ago: int | None = None, **fields) -> DBTaskResult:
    now = timezone.now()
    started = now - timedelta(minutes=started_minutes_ago) if started_minutes_ago else None
    return DBTaskResult.objects.create(
        status=status,
        started_at=started,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="civicbridge.partners.imports.process_import_run",
        backend_name="default",
        run_after=now,
        **fields,
    )


@pytest.mark.django_db
def test_a_stale_running_task_is_marked_failed_once(settings):
    settings.TASK_STALE_MINUTES = 30
    lost = task(TaskResultStatus.RUNNING, started_minutes_ago=31)
    busy = task(TaskResultStatus.RUNNING, started_minutes_ago=5)
    assert recover_stale_tasks() == 1
    assert recover_stale_tasks() == 0
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED and "stopped" in lost.traceback
    assert busy.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_the_scheduler_pass_fails_lost_tasks_and_their_imports(settings):
    settings.TASK_STALE_MINUTES = 30
    lost = task(TaskResultStatus.RUNNING, started_minutes_ago=45)
    run = ImportRun.objects.create(kind="ocds", filename="x.json", status="running")
    ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    call_command("send_reminders", verbosity=0)
    lost.refresh_from_db()
    run.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert run.status == "failed" and "worker running it was ended" in run.errors[0]


def test_the_task_queue_lists_each_state_with_its_age_in_fixed_queries(world, client_for):
    client = client_for(world.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    task(TaskResultStatus.READY)
    task(TaskResultStatus.RUNNING, started_minutes_ago=5)
    task(TaskResultStatus.RUNNING, started_minutes_ago=90)
    task(TaskResultStatus.FAILED, exception_class_path="builtins.RuntimeError")
    few = queries()
    for _ in range(30):
        task(TaskResultStatus.READY)
        task(TaskResultStatus.RUNNING, started_minutes_ago=90)
    assert queries() == few
    stale = client.get(URL, {"state": "stale"})
    assert len(stale.context["page"].object_list) == 31
    assert {t.state for t in stale.context["page"]} == {"stale"}
    assert "builtins.RuntimeError" in client.get(URL, {"state": "failed"}).text


def test_the_task_queue_is_refused_to_everyone_but_platform_admins(world, client_for):
    for user in (world.civic_lead, world.official, world.outsider):
        assert client_for(user).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302
