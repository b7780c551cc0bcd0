"""Back up and restore a whole site: the database, the uploaded files and a manifest.

A backup is a folder holding `database.dump` (PostgreSQL's custom format, from pg_dump) or
`database.sqlite3` (SQLite's online backup), `media/` (a copy of MEDIA_ROOT) and
`manifest.json`: when it was made, by which versions, from which engine, the rows of every
model, and where the secret key came from with its fingerprint. The key itself is never
written: whoever holds a backup and the key can forge password-reset links.

Both copies are consistent while the site runs: pg_dump reads the snapshot the row counts
were taken in, and SQLite's backup API copies pages under its own lock.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor

MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


# The secret key ----------------------------------------------------------------------


def fingerprint(key: str) -> str:
    """A SHA-256 of `key`: tells two keys apart without revealing either."""
    return hashlib.sha256(key.encode()).hexdigest()


def secret_key_note() -> dict[str, str]:
    """Where SECRET_KEY comes from (as settings.py reads it), with its fingerprint."""
    if os.environ.get("SECRET_KEY"):
        source = "the SECRET_KEY environment variable"
    else:
        source = f"the generated key file {Path(settings.VAR_DIR) / 'secret_key'}"
    return {"source": source, "sha256": fingerprint(settings.SECRET_KEY)}


def key_still_signs(manifest: dict[str, Any]) -> bool:
    """Whether links signed with the backup's key verify here (as the key or a fallback)."""
    here = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return manifest["secret_key"]["sha256"] in {fingerprint(key) for key in here}


# Counting rows -----------------------------------------------------------------------


def counted_tables() -> Iterator[tuple[str, str]]:
    """Each model with a table of its own (many-to-many tables included), and that table."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            yield model._meta.label, model._meta.db_table


def count_rows(cursor: Any, quote, tables: set[str] | None = None) -> dict[str, int]:
    """The rows of every model, read through `cursor` (Django's or a driver's own); only
    those of `tables` when given (a backup older than the code lacks the newer tables)."""
    counts = {}
    for label, table in sorted(counted_tables()):
        if tables is not None and table not in tables:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[label] = cursor.fetchone()[0]
    return counts


def compare_counts(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    """A line for each model whose rows differ from the manifest's; empty when all agree."""
    return [
        f"{label}: {expected.get(label, 0)} in the backup, {found.get(label, 0)} restored"
        for label in sorted(set(expected) | set(found))
        if expected.get(label, 0) != found.get(label, 0)
    ]


# PostgreSQL --------------------------------------------------------------------------


def pg_arguments(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump and pg_restore, and their environment: the password
    travels in PGPASSWORD, never on a command line other users can read."""
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            arguments.append(f"{option}={db[key]}")
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = str(sslmode)
    return arguments, environment


def run(command: list[str], environment: dict[str, str]) -> None:
    try:
        finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} was not found: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client) in the version of the server or newer."
        ) from None
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed:\n{finished.stderr.strip()}")


def dump_postgresql(alias: str, target: Path) -> dict[str, int]:
    """pg_dump into `target`, reading the same snapshot the counts are taken in."""
    connection = connections[alias]
    db = connection.settings_dict
    # A connection of our own, in a repeatable-read transaction kept open while pg_dump
    # reads the snapshot it exports: the counts describe exactly the rows dumped.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = count_rows(cursor, connection.ops.quote_name)
        arguments, environment = pg_arguments(db)
        run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                *arguments,
                f"--dbname={db['NAME']}",
            ],
            environment,
        )
    finally:
        raw.rollback()
        raw.close()
    return counts


def postgresql_is_empty(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%%'"
        )
        return cursor.fetchone()[0] == 0


def restore_postgresql(alias: str, source: Path) -> None:
    """pg_restore into the (empty) database, all of it or nothing."""
    connection = connections[alias]
    connection.close()
    arguments, environment = pg_arguments(connection.settings_dict)
    run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *arguments,
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        environment,
    )


# SQLite ------------------------------------------------------------------------------


def dump_sqlite(alias: str, target: Path) -> dict[str, int]:
    """Copy the live database with SQLite's backup API, then count the copy's rows."""
    connection = connections[alias]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # From Django's own connection: the test database may live only in its memory.
        connection.connection.backup(copy)
        return count_rows(copy.cursor(), connection.ops.quote_name)
    finally:
        copy.close()


def sqlite_path(alias: str) -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("The database is in memory: restore needs a database file.")
    return Path(name)


def sqlite_is_empty(alias: str) -> bool:
    path = sqlite_path(alias)
    if not path.exists():
        return True
    with sqlite3.connect(path) as database:
        tables = database.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
    database.close()
    return tables == 0


def restore_sqlite(alias: str, source: Path) -> None:
    """Write the backup into the database file, page by page, through SQLite itself."""
    connections[alias].close()
    path = sqlite_path(alias)
    path.parent.mkdir(parents=True, exist_ok=True)
    backup, target = sqlite3.connect(source), sqlite3.connect(path)
    try:
        backup.backup(target)
    finally:
        backup.close()
        target.close()


# Media -------------------------------------------------------------------------------


def media_summary(root: Path) -> dict[str, int]:
    files = [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}


# Backup and restore ------------------------------------------------------------------


def engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups cover PostgreSQL and SQLite, not {vendor}.")
    return vendor


def app_version() -> str:
    try:
        return metadata.version("civicbridge")
    except metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations(alias: str) -> dict[str, str]:
    """The last migration applied of each app."""
    executor = MigrationExecutor(connections[alias])
    last: dict[str, str] = {}
    for app, name in sorted(executor.loader.applied_migrations):
        last[app] = max(name, last.get(app, ""))
    return last


def make_backup(folder: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup of the site into `folder` (new, or empty) and return its manifest."""
    vendor = engine(alias)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    # The dump holds password hashes and every private record: for the owner's eyes only.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    made_at = datetime.now(UTC)
    dump = DUMPS[vendor]
    dumpers = {"postgresql": dump_postgresql, "sqlite": dump_sqlite}
    counts = dumpers[vendor](alias, folder / dump)
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.copytree(media_root, folder / MEDIA)
    else:
        (folder / MEDIA).mkdir()
    manifest = {
        "format": FORMAT,
        "made_at": made_at.isoformat(timespec="seconds"),
        "django": django.get_version(),
        "civicbridge": app_version(),
        "engine": vendor,
        "database": dump,
        "migrations": applied_migrations(alias),
        "counts": counts,
        "media": media_summary(folder / MEDIA),
        "secret_key": secret_key_note(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: {folder} is not a Civic Bridge backup.") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"{path} cannot be read: {error}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is in a format this version does not know.")
    return manifest


def check_restorable(folder: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Refuse a restore that would mix the backup with what is here; change nothing."""
    manifest = read_manifest(folder)
    vendor = engine(alias)
    if manifest["engine"] != vendor:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database and DATABASE_URL names a "
            f"{vendor} one: restore into the same engine."
        )
    if not (folder / manifest["database"]).is_file():
        raise BackupError(f"{folder / manifest['database']} is missing.")
    name = connections[alias].settings_dict["NAME"]
    try:
        empty = {"postgresql": postgresql_is_empty, "sqlite": sqlite_is_empty}[vendor](alias)
    except OperationalError as error:
        raise BackupError(
            f"The database {name} cannot be reached ({str(error).strip()}): create it empty "
            "(createdb), then restore into it."
        ) from None
    if not empty:
        raise BackupError(
            f"The database {name} is not empty: a restore would mix two sites. Restore into "
            "a new, empty database (create it, or remove this one after saving what it "
            "holds), and do not run migrate on it first."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_summary(media_root)["files"]:
        raise BackupError(
            f"{media_root} already holds files: move them away, or restore with another VAR_DIR."
        )
    return manifest


def restore_backup(folder: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Restore the backup in `folder` into an empty database and media folder.

    Return the manifest, the rows found after the restore, the differences from the
    manifest's counts, the migrations this code has that the backup lacks, and whether
    the key here verifies what the backup's key signed.
    """
    manifest = check_restorable(folder, alias)
    vendor = manifest["engine"]
    restorers = {"postgresql": restore_postgresql, "sqlite": restore_sqlite}
    restorers[vendor](alias, folder / manifest["database"])
    if (folder / MEDIA).is_dir():
        shutil.copytree(folder / MEDIA, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        found = count_rows(cursor, connection.ops.quote_name, tables)
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {
        "manifest": manifest,
        "found": found,
        "differences": compare_counts(manifest["counts"], found),
        "pending_migrations": len(pending),
        "key_still_signs": key_still_signs(manifest),
    }
