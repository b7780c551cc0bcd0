import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def python(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return python("manage.py", *args, **env)


def read_settings(**env: str) -> subprocess.CompletedProcess:
    """Read the settings in a new Python, as every command does first (a second, not a check)."""
    return python("-c", "import civicbridge.settings", **env)


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-1234567890",
        ALLOWED_HOSTS="civicbridge.example.org",
        EMAIL_DELIVERY="smtp",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_setting_that_cannot_be_read_fails_loudly(tmp_path):
    result = manage("check", DEBUG="perhaps", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_secret_key_is_generated_once_and_kept(tmp_path):
    assert manage("check", VAR_DIR=str(tmp_path)).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 50
    for _ in range(2):
        assert read_settings(VAR_DIR=str(tmp_path)).returncode == 0
        assert (tmp_path / "secret_key").read_text() == key


def test_production_needs_an_explicit_secret_key(tmp_path):
    result = manage("check", HTTPS="true", ALLOWED_HOSTS="a.example.org", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when HTTPS is on" in result.stderr
