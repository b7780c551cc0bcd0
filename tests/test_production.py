"""The production topology, started by scripts/production.sh, under the failures it is built
for (issue 13): rate limits counted once across two app servers, an app server killed under
load without losing a GET, a task worker killed mid-send without a reminder lost or sent
twice, then a backup of the running site restored into a new database.

Deselected unless CIVICBRIDGE_PRODUCTION_TEST=1 (conftest.py); needs PostgreSQL (the
server DATABASE_URL names), Redis on 127.0.0.1:6379, and nginx or root to install it.
Every request goes to 127.0.0.1, every loop is bounded."""

import contextlib
import json
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "production.sh"
RATE = 5  # API requests a token may make each minute
REMINDERS = 12
PREFIX = "Obligation due"

pytestmark = pytest.mark.production

SEED = """
import json, django
django.setup()
from civicbridge.accounts.tokens import create_token
from tests.factories import UserFactory
user = UserFactory.create(email="official@example.org")
_token, secret = create_token(user, name="Load test", scope="read")
print(json.dumps(secret))
"""

REMIND = f"""
import django
django.setup()
from tests.factories import CollaborationFactory
from civicbridge.accounts.models import User
from civicbridge.notifications.models import Reminder
from civicbridge.collaborations.models import Agreement, Obligation
from civicbridge.notifications import services
user = User.objects.get(email="official@example.org")
collaboration = CollaborationFactory.create(title="Permit data")
agreement = Agreement.objects.create(collaboration=collaboration)
for n in range({REMINDERS}):
    # Each about an open obligation: the scheduler's pass settles reminders of done ones.
    owed = Obligation.objects.create(
        agreement=agreement, party=collaboration.institution, description="Provide a desk."
    )
    Reminder.objects.create(
        kind="obligation_due", key=f"obligation_due:{{owed.pk}}:2026-03-10-soon", recipient=user,
        collaboration=collaboration, subject=f"{PREFIX} {{n:02d}}", body="Provide a desk.",
        url="/",
    )
services.BATCH = 1  # a task per reminder, so the two workers send at once
services.enqueue_unsent()
"""

# A pass ten minutes on (past the stale claim), as the scheduler would make; one worker run.
RECOVER = """
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


class SlowMailServer(socketserver.ThreadingTCPServer):
    """An SMTP server that greets each connection only after `delay` seconds, so a worker
    can be killed while it waits, after its claim and before any mail left; it keeps the
    subject of each message it accepted."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), MailHandler)
        self.delay = delay
        self.lock = threading.Lock()
        self.waiting = 0
        self.subjects: list[str] = []


class MailHandler(socketserver.StreamRequestHandler):
    server: SlowMailServer

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        with self.server.lock:
            self.server.waiting += 1
        time.sleep(self.server.delay)
        with self.server.lock:
            self.server.waiting -= 1
        with contextlib.suppress(OSError):  # the worker was killed: nothing was accepted
            self.converse()

    def converse(self) -> None:
        self.reply("220 sink")
        message: list[str] | None = None
        for raw in self.rfile:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if message is not None:
                if line != ".":
                    message.append(line)
                    continue
                subject = next(h[9:] for h in message if h.startswith("Subject: "))
                with self.server.lock:
                    self.server.subjects.append(subject)
                message = None
                self.reply("250 accepted")
            elif line.upper().startswith("DATA"):
                message = []
                self.reply("354 go on")
            elif line.upper().startswith("QUIT"):
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_url() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("Needs PostgreSQL: run with DATABASE_URL=postgres://…")
    return dj_database_url.parse(url)


def admin_sql(db: dict, statement: str) -> None:
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(statement)


def url_of(db: dict, name: str) -> str:
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


class Site:
    """The running topology and what the test needs to reach it."""

    def __init__(self, env: dict[str, str], proxy: int, var_dir: Path, mail: SlowMailServer):
        self.env, self.proxy, self.var_dir, self.mail = env, proxy, var_dir, mail

    def python(self, code_or_arguments: list[str], **env: str) -> str:
        done = subprocess.run(
            [sys.executable, *code_or_arguments],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def get(self, path: str, token: str | None = None) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.proxy}{path}")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def pid(self, name: str) -> int:
        return int((self.var_dir / "production" / "pids" / f"{name}.pid").read_text())

    def served(self, server: str, path: str) -> int:
        log = self.var_dir / "production" / "logs" / f"{server}-access.log"
        return sum(f"GET {path}" in line for line in log.read_text().splitlines())

    def sql(self, query: str) -> int:
        db = dj_database_url.parse(self.env["DATABASE_URL"])
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname=db["NAME"],
        ) as connection:
            return connection.execute(query).fetchone()[0]


@pytest.fixture
def site(tmp_path):
    db = server_url()
    name = f"civicbridge_production_{os.getpid()}"
    admin_sql(db, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(db, f'CREATE DATABASE "{name}"')
    mail = SlowMailServer(delay=0.8)
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    proxy, first, second = free_port(), free_port(), free_port()
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "DATABASE_URL": url_of(db, name),
        "VAR_DIR": str(var_dir),
        "PYTHON": sys.executable,
        "PROXY_PORT": str(proxy),
        "APP_PORTS": f"{first} {second}",
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        "API_RATE_PER_MINUTE": str(RATE),
        "SITE_URL": f"http://127.0.0.1:{proxy}",
        "EMAIL_DELIVERY": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail.server_address[1]),
        "EMAIL_USE_TLS": "false",
        "LOG_LEVEL": "ERROR",
        # No test here asks for a style sheet; collecting and compressing them takes long.
        "COLLECTSTATIC": "false",
    }
    started = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield Site(env, proxy, var_dir, mail)
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)
        mail.shutdown()
        mail.server_close()
        admin_sql(db, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_sql(db, f'DROP DATABASE IF EXISTS "{name}_restored" WITH (FORCE)')


def test_the_production_topology_holds_when_servers_and_workers_fail(site, tmp_path):
    token = json.loads(site.python(["-c", SEED]))
    rate_limits_are_counted_once_across_app_servers(site, token)
    a_killed_app_server_loses_no_get(site)
    a_killed_worker_delivers_each_reminder_once(site)
    a_backup_of_the_running_site_restores_into_a_new_database(site, tmp_path)


def rate_limits_are_counted_once_across_app_servers(site: Site, token: str) -> None:
    # The limit is a fixed minute: start well inside one, so the burst is counted in it.
    if time.time() % 60 > 45:
        time.sleep(61 - time.time() % 60)
    statuses = [site.get("/api/v1/notifications", token) for _ in range(2 * RATE)]
    assert statuses == [200] * RATE + [429] * RATE
    # Both app servers answered: counted in each alone, the ten would have given at least six
    # 200s (one server at most five, the other at least one), so the limit was counted once.
    # A server logs a request after its answer has gone out: wait, bounded, for the last line.
    deadline = time.monotonic() + 10
    while True:
        served = [site.served(app, "/api/v1/notifications") for app in ("app1", "app2")]
        if sum(served) >= 2 * RATE or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert sum(served) == 2 * RATE and min(served) >= 1


def a_killed_app_server_loses_no_get(site: Site) -> None:
    requests, killed_after = 160, 40
    done = threading.Semaphore(0)

    def one(_n: int) -> int:
        status = site.get("/accounts/login/")
        done.release()
        return status

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = pool.map(one, range(requests))
        for _ in range(killed_after):
            assert done.acquire(timeout=60)
        # The whole app server, its workers with it, mid-load, with no warning.
        os.killpg(site.pid("app1"), signal.SIGKILL)
        assert list(statuses) == [200] * requests
    assert site.get("/accounts/login/") == 200
    assert site.served("app2", "/accounts/login/") > requests / 2


def a_killed_worker_delivers_each_reminder_once(site: Site) -> None:
    site.python(["-c", REMIND])
    mail = site.mail
    deadline = time.monotonic() + 60
    # Both workers wait on the mail server's greeting: each holds a claimed reminder.
    while not (mail.waiting == 2 and mail.subjects) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert mail.waiting == 2, "the two workers never sent at once"
    os.killpg(site.pid("worker1"), signal.SIGKILL)

    sent = (
        "SELECT COUNT(*) FROM notifications_reminder "
        f"WHERE sent_at IS NOT NULL AND subject LIKE '{PREFIX}%'"
    )
    while site.sql(sent) < REMINDERS - 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # what the surviving worker could still send, it has sent
    assert site.sql(sent) == REMINDERS - 1, "the killed worker's reminder was sent by nobody"

    site.python(["-c", RECOVER])
    ours = sorted(subject for subject in mail.subjects if subject.startswith(PREFIX))
    assert ours == [f"{PREFIX} {n:02d}" for n in range(REMINDERS)]
    assert site.sql(sent) == REMINDERS
    inbox = f"SELECT COUNT(*) FROM notifications_inboxitem WHERE title LIKE '{PREFIX}%'"
    assert site.sql(inbox) == REMINDERS


def a_backup_of_the_running_site_restores_into_a_new_database(site: Site, tmp_path) -> None:
    backup = tmp_path / "backup"
    site.python(["manage.py", "backup", str(backup)])
    db = dj_database_url.parse(site.env["DATABASE_URL"])
    restored_name = f"{db['NAME']}_restored"
    admin_sql(db, f'CREATE DATABASE "{restored_name}"')
    # The operator kept the generated key beside the backup, as the README says.
    key = (site.var_dir / "secret_key").read_text().strip()
    output = site.python(
        ["manage.py", "restore", str(backup)],
        DATABASE_URL=url_of(db, restored_name),
        VAR_DIR=str(tmp_path / "restored"),
        SECRET_KEY=key,
    )
    assert "Every model's rows match the manifest." in output
    assert "secret key differs" not in output
