"""The benchmark at scale: a workspace of N collaborations, gunicorn, four clients at once.

Called by `scripts/benchmark.py --scale N`; see its docstring. The database is chosen
(`prepare_database`) before Django reads its settings; everything else runs after.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
MAX_REQUESTS_PER_CLIENT = 2_000  # a bound on each client's loop, whatever the duration


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmark.py --scale")
    parser.add_argument("--scale", type=int, required=True, help="collaborations to build")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--seconds", type=float, default=3.0, help="load per page (seconds)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-reminders", action="store_true", help="skip the reminder scan")
    parser.add_argument("--only", default="", help="measure only pages whose label has this")
    parser.add_argument("--build-only", action="store_true", help="build, measure nothing")
    parser.add_argument("--reminders-only", action="store_true", help="time the scan alone")
    return parser.parse_args(argv)


def _database_name(args: argparse.Namespace) -> str:
    return f"civicbridge_bench_{args.scale}"


def prepare_database(args: argparse.Namespace) -> None:
    """Point DATABASE_URL at the benchmark's own database, made afresh unless reused."""
    name = _database_name(args)
    if args.sqlite:
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.sqlite3"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return
    import psycopg

    server = os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES).rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not args.reuse:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"{server}/{name}"


def drop_database(args: argparse.Namespace) -> None:
    from django.db import connections

    connections.close_all()
    if args.sqlite:
        path = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    server = os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES).rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{_database_name(args)}" WITH (FORCE)')


# Load: four clients, each a thread with the persona's session --------------------------


@dataclass
class Load:
    """What the clients saw on one page."""

    label: str
    queries: int
    kilobytes: float
    timings: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000

    @property
    def per_second(self) -> float:
        return len(self.timings) / self.seconds if self.seconds else 0.0


def _get(port: int, path: str, cookie: str) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    finally:
        connection.close()


def hammer(port: int, path: str, cookie: str, clients: int, seconds: float, load: Load) -> None:
    """`clients` threads ask for `path` for `seconds` (and at least twice each)."""
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        done = 0
        while done < MAX_REQUESTS_PER_CLIENT and (done < 2 or time.perf_counter() < deadline):
            status, elapsed = _get(port, path, cookie)
            done += 1
            with lock:
                load.timings.append(elapsed)
                load.errors += status != 200

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "API_RATE_PER_MINUTE": "100000000",
        "API_ADDRESS_RATE_PER_MINUTE": "100000000",
        "LOG_LEVEL": "ERROR",
        "WEB_CONCURRENCY": str(workers),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "civicbridge.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn stopped before it answered.") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 seconds.")


# The pages ------------------------------------------------------------------------------


def pages(built, api_lists: list[str]) -> list[tuple[str, str]]:
    """(label, path) of each page measured; the trivial view first."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    static = next(
        f"/{settings.STATIC_URL.lstrip('/')}{name}"
        for name in ("civicbridge/print.css", "civicbridge/site.css")
        if finders.find(name)
    )
    return [
        ("trivial: static file", static),
        ("home", "/"),
        ("collaborations", "/collaborations/"),
        ("collaborations, page 40", "/collaborations/?page=40"),
        ("collaborations by partner", f"/collaborations/?partner={built.institution_id}"),
        ("collaborations search", "/collaborations/?q=fellowship+0001&stage=active"),
        ("invoices (a contract's)", f"/collaborations/{built.service_delivery_id}/invoices/"),
        ("money owed", f"/organisations/{built.organisation_id}/money-owed/"),
        ("directory", "/organisations/"),
        ("directory search", "/organisations/?q=council+0001"),
        ("collaboration overview", f"/collaborations/{built.collaboration_id}/"),
        ("check-ins tab", f"/collaborations/{built.collaboration_id}/check-ins/"),
        *((f"API {path.removeprefix('/api/v1')}", path) for path in api_lists),
    ]


def api_lists(built) -> list[str]:
    """Every API list (a `Page` answer) whose path parameters the workspace can fill."""
    from civicbridge.api.main import api
    from civicbridge.procurement.models import Contract, Invoice

    contract = Contract.objects.filter(collaboration_id=built.service_delivery_id).first()
    invoice = Invoice.objects.filter(contract=contract).first()
    values = {
        "collaboration_id": built.collaboration_id,
        "organisation_id": built.organisation_id,
        "contract_id": contract.pk if contract else None,
        "invoice_id": invoice.pk if invoice else None,
    }
    found = []
    for path, item in api.get_openapi_schema()["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        answer = operation["responses"].get(200, {}).get("content", {})
        reference = answer.get("application/json", {}).get("schema", {}).get("$ref", "")
        if "Page" not in reference:
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        if any(values.get(name) is None for name in names):
            continue
        if "/contracts" in path and "{collaboration_id}" in path:
            path = path.replace("{collaboration_id}", str(built.service_delivery_id))
        found.append(path.format(**{name: values[name] for name in names}))
    return found


def count_queries(client, path: str) -> tuple[int, float] | None:
    """The queries one request for `path` makes, and its size; None if it is not found
    (a list of a model's own records, asked of a collaboration of another model)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm: the first request fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, (path, response.status_code)
    return len(queries), len(response.content) / 1024


def reminder_passes() -> list[tuple[str, float, dict, dict[str, float]]]:
    """A first reminder pass over everything, then one with nothing new; each with how long
    each source took (its queries, and the inserts of what it yielded)."""
    from civicbridge.collaborations.reminders import registry
    from civicbridge.notifications.models import Reminder, ReminderPass
    from civicbridge.notifications.services import enqueue_due

    # A workspace measured before keeps the reminders of its last run: start afresh.
    Reminder.objects.all().delete()
    ReminderPass.objects.all().delete()
    registry.kinds()  # every room's sources registered
    spent: dict[str, float] = {}
    sources = dict(registry._sources)

    def timed(kind, source):
        def wrapper(*args):
            start = time.perf_counter()
            yield from source(*args)
            spent[kind] = spent.get(kind, 0.0) + time.perf_counter() - start

        return wrapper

    registry._sources.update({kind: timed(kind, source) for kind, source in sources.items()})
    passes = []
    try:
        for label, full in (("first pass", True), ("pass with nothing new", False)):
            spent.clear()
            start = time.perf_counter()
            counts = enqueue_due(full=full)
            passes.append((label, time.perf_counter() - start, counts, dict(spent)))
    finally:
        registry._sources.update(sources)
    return passes


def main(args: argparse.Namespace) -> None:
    import scale
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    began = time.perf_counter()
    print(f"Benchmark at {args.scale:,} collaborations on {connection.vendor}")
    call_command("migrate", verbosity=0)
    if args.reuse and scale.find() is not None:
        built = scale.find()
        print("Reusing the workspace built before.")
    else:
        start = time.perf_counter()
        built = scale.build(args.scale)
        print(f"Built in {time.perf_counter() - start:.0f} s")
    assert built is not None
    if args.build_only:
        return
    if args.reminders_only:
        print_reminders()
        return
    call_command("collectstatic", interactive=False, verbosity=0)

    from civicbridge.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=built.user_email))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    measured = [
        (label, path)
        for label, path in pages(built, api_lists(built))
        if label.startswith("trivial") or args.only in label
    ]
    port = free_port()
    server = start_gunicorn(port, args.workers)
    loads = []
    try:
        for label, path in measured:
            counted = (0, 0.0) if label.startswith("trivial") else count_queries(client, path)
            if counted is None:
                continue
            load = Load(label, *counted)
            _get(port, path, cookie)  # warm each worker's caches a little
            hammer(port, path, cookie, args.clients, args.seconds, load)
            loads.append(load)
            print(f"  measured {label} ({len(load.timings)} requests)", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
    print_table(args, loads)
    if not args.no_reminders:
        print_reminders()
    print(f"\nThe whole run took {time.perf_counter() - began:.0f} s.")
    if not args.keep:
        drop_database(args)


def print_reminders() -> None:
    print("\nReminder scan (in this process; the task worker sends later)")
    passes = reminder_passes()
    for label, seconds, counts, _spent in passes:
        print(
            f"  {label:<24} {seconds:>8.1f} s   {counts['created']:>8,} created, "
            f"{counts['enqueued']:>8,} enqueued"
        )
    print("  seconds in each source (its queries, and inserting what it yields):")
    kinds = sorted(passes[0][3], key=lambda kind: -passes[0][3][kind])
    print(f"    {'source':<26} {'first':>8} {'nothing new':>12}")
    for kind in kinds:
        print(f"    {kind:<26} {passes[0][3][kind]:>8.2f} {passes[1][3].get(kind, 0.0):>12.2f}")


def print_table(args: argparse.Namespace, loads: list[Load]) -> None:
    trivial = loads[0].per_second
    print(
        f"\n{args.clients} clients, gunicorn with {args.workers} sync workers; "
        f"{loads[0].label.removeprefix('trivial: ')}: {trivial:,.0f} requests/s"
    )
    header = f"{'page':<44} {'queries':>7} {'KB':>7} {'median ms':>9} {'p95 ms':>8}"
    print(f"{header} {'req/s':>8} {'of trivial':>10}")
    for load in loads[1:]:
        flag = "" if load.errors == 0 else f"  ({load.errors} errors)"
        ratio = load.per_second / trivial * 100 if trivial else 0.0
        print(
            f"{load.label[:44]:<44} {load.queries:>7} {load.kilobytes:>7.1f} "
            f"{load.median_ms:>9.1f} {load.p95_ms:>8.1f} {load.per_second:>8.1f} "
            f"{ratio:>9.1f}%{flag}"
        )
