"""Backup and restore (issue 13): a site backed up while it runs comes back whole in an
empty database, with its MOU signatures, personal access tokens and signed links working.

The restore and the checks after it run in other processes, against the restored database
alone, as an operator would run them. On SQLite the restore writes a new database file; on
PostgreSQL (DATABASE_URL=postgres://…) it fills a database the test creates and drops."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from civicbridge.accounts.tokens import create_token
from civicbridge.collaborations.models import Agreement
from civicbridge.collaborations.services import agreement as mou
from civicbridge.core.backup import count_rows, fingerprint
from civicbridge.events.choices import Respondent
from civicbridge.events.models import ProjectFollowUp
from civicbridge.events.services.followups import answer_token
from civicbridge.events.tests.eventdata import make_event
from civicbridge.events.tests.followupdata import project
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[3]

# pg_dump and SQLite's backup read committed rows: the test's data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

CHECK_RESTORED = """
import json, os, django
django.setup()
from django.db import connection
from civicbridge.accounts.tokens import find_token
from civicbridge.collaborations.models import Agreement
from civicbridge.core.backup import count_rows
from civicbridge.events.services.followups import follow_up_for_link
with connection.cursor() as cursor:
    counts = count_rows(cursor, connection.ops.quote_name)
token = find_token(os.environ["TOKEN"])
follow_up = follow_up_for_link(int(os.environ["FOLLOW_UP"]), os.environ["LINK"])
print(json.dumps({
    "counts": counts,
    "fully_signed": list(Agreement.objects.fully_signed().values_list("pk", flat=True)),
    "token_user": token.user.email if token else None,
    "follow_up": follow_up.email,
}))
"""


def database_url(db: dict) -> str:
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def empty_database(tmp_path):
    """The DATABASE_URL of an empty database to restore into, of the test's engine."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    if connection.vendor != "postgresql":
        pytest.skip("Backups cover PostgreSQL and SQLite.")
    # The test database's name differs per xdist worker, and so does this one.
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url({**connection.settings_dict, "NAME": name})
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*arguments: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SECRET_KEY": settings.SECRET_KEY, **env}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def site(world, fellowship):
    """A fellowship with a signed MOU, a token, an event's follow-up link and an upload."""
    mou.add_obligation(
        world.civic_lead,
        fellowship,
        party=world.institution,
        description="Provide a desk.",
        owner=world.official.person,
        due_date=timezone.localdate() + timedelta(days=90),
    )
    for signer in (world.civic_lead, world.official):
        version = Agreement.objects.get(collaboration=fellowship).version
        mou.sign_agreement(signer, fellowship, version=version, password=PASSWORD)
    _token, secret = create_token(world.fellow, name="Reports", scope="read")
    event = make_event(world, partners=[])
    follow_up = ProjectFollowUp.objects.create(
        project=project(world, event, "Bin map", contact="Ana Lee"),
        months=1,
        due_on=timezone.localdate() + timedelta(days=30),
        respondent=Respondent.TEAM,
        name="Ana Lee",
        email="ana.lee@example.net",
    )
    upload = Path(settings.MEDIA_ROOT) / "artefacts" / "bin-map.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text("A map of missed bins.")
    return {"token": secret, "follow_up": follow_up, "fellowship": fellowship}


def test_a_backup_restores_into_an_empty_database_with_signatures_tokens_and_links(
    site, empty_database, tmp_path
):
    backup = tmp_path / "backup"
    made = manage_in_process(backup)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["secret_key"]["sha256"] == fingerprint(settings.SECRET_KEY)
    assert settings.SECRET_KEY not in (backup / "manifest.json").read_text()
    assert manifest["counts"]["collaborations.Signature"] == 2
    assert manifest["counts"] == made
    assert manifest["media"]["files"] == 1

    var_dir = tmp_path / "restored-var"
    restored = manage(
        "manage.py", "restore", str(backup), DATABASE_URL=empty_database, VAR_DIR=str(var_dir)
    )
    assert restored.returncode == 0, restored.stderr
    assert "Every model's rows match the manifest." in restored.stdout
    assert "secret key differs" not in restored.stdout
    assert (var_dir / "media" / "artefacts" / "bin-map.txt").read_text() == "A map of missed bins."

    follow_up = site["follow_up"]
    checked = manage(
        "-c",
        CHECK_RESTORED,
        DATABASE_URL=empty_database,
        VAR_DIR=str(var_dir),
        TOKEN=site["token"],
        FOLLOW_UP=str(follow_up.pk),
        LINK=answer_token(follow_up),
    )
    assert checked.returncode == 0, checked.stderr
    found = json.loads(checked.stdout)
    assert found["counts"] == manifest["counts"]
    assert found["fully_signed"] == [site["fellowship"].agreement.pk]
    assert found["token_user"] == "fellow@example.org"
    assert found["follow_up"] == "ana.lee@example.net"

    again = manage(
        "manage.py", "restore", str(backup), DATABASE_URL=empty_database, VAR_DIR=str(var_dir)
    )
    assert again.returncode != 0
    assert "is not empty: a restore would mix two sites" in again.stderr


def manage_in_process(folder: Path) -> dict[str, int]:
    """Back up from this process's connection (the test database may live in its memory);
    return the rows counted here, for the manifest to agree with."""
    from django.core.management import call_command

    call_command("backup", str(folder), verbosity=0)
    with connection.cursor() as cursor:
        return count_rows(cursor, connection.ops.quote_name)


def test_a_restore_under_another_secret_key_warns_that_signed_links_break(
    world, empty_database, tmp_path
):
    backup = tmp_path / "backup"
    manage_in_process(backup)
    restored = manage(
        "manage.py",
        "restore",
        str(backup),
        DATABASE_URL=empty_database,
        VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="another key " * 6,
    )
    assert restored.returncode == 0, restored.stderr
    assert "The secret key differs from the backup's" in restored.stdout
    assert "Personal access tokens still work" in restored.stdout


def test_a_backup_goes_into_a_new_folder_only(world, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "older.dump").write_text("")
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="is not empty: back up into a new folder"):
        call_command("backup", str(tmp_path / "backup"))
