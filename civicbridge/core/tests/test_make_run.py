"""`make run PORT=…` gives every process it starts the address links must point to."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROCESSES = ("load_demo", "db_worker", "send_reminders", "runserver")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def environment(**env: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SITE_URL", "HOST", "PORT", "MAKEFLAGS", "MFLAGS", "DEBUG", "DATABASE_URL"}
    }
    return {**clean, **env}


def dry_run(*arguments: str, **env: str) -> dict[str, str]:
    """The shell command `make -n` prints for each process of `make run`, by its command."""
    result = subprocess.run(
        ["make", "-n", *arguments],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    commands = {}
    # A recipe's lines end in "\" and run in one shell; each process is one command in it.
    for command in re.split(r"\s*(?:&|;|\\?\n)\s*", result.stdout):
        for process in PROCESSES:
            if f"manage.py {process}" in command:
                commands[process] = command.strip()
    return commands


def site_url_seen_by(command: str, tmp_path: Path) -> str:
    """Run the command with Python reading the settings in place of its manage.py command,
    and return SITE_URL as that process sees it."""
    match = re.match(r"(?P<assignments>.*?)\S*python\S* manage\.py ", command)
    assert match, command
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    script = f"{match['assignments']} {shlex.quote(sys.executable)} -c {shlex.quote(code)}"
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env=environment(DJANGO_SETTINGS_MODULE="civicbridge.settings", VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_every_process_of_make_run_links_to_the_port_it_serves(tmp_path):
    commands = dry_run("run", "PORT=8101")
    assert set(commands) == set(PROCESSES), commands
    assert "127.0.0.1:8101" in commands["runserver"]
    for process, command in commands.items():
        assert site_url_seen_by(command, tmp_path) == "http://127.0.0.1:8101", process


def test_host_and_an_explicit_site_url_are_passed_on(tmp_path):
    commands = dry_run("run", "HOST=0.0.0.0", "PORT=8102")
    assert "0.0.0.0:8102" in commands["runserver"]
    assert site_url_seen_by(commands["db_worker"], tmp_path) == "http://0.0.0.0:8102"
    # Behind a proxy the public address differs from the bound one: SITE_URL wins.
    commands = dry_run("run", SITE_URL="https://bridge.example.org")
    for process, command in commands.items():
        assert site_url_seen_by(command, tmp_path) == "https://bridge.example.org", process


def test_the_settings_read_site_url_from_the_environment(tmp_path):
    with_address = "SITE_URL=http://127.0.0.1:8101 python manage.py runserver"
    assert site_url_seen_by(with_address, tmp_path) == "http://127.0.0.1:8101"
    assert site_url_seen_by("python manage.py runserver", tmp_path) == "http://127.0.0.1:8000"
