"""Print how long the main pages and imports take at two data sizes, and how much memory
importing the worst files takes.

    .venv/bin/python scripts/benchmark.py            # SQLite in a temporary folder
    DATABASE_URL=postgres://… .venv/bin/python scripts/benchmark.py
    .venv/bin/python scripts/benchmark.py memory     # only the imports' peak memory

Each figure is the median of several runs, with the number of queries beside it; the
queries should stay the same when the data grows tenfold. Each worst file is imported in a
fresh process, whose peak resident memory must stay under MEMORY_BUDGET_MB.

At scale, against gunicorn (`make benchmark` runs the first):

    .venv/bin/python scripts/benchmark.py --scale 10000             # PostgreSQL
    .venv/bin/python scripts/benchmark.py --scale 100000 --keep     # keep the database
    .venv/bin/python scripts/benchmark.py --scale 10000 --sqlite    # SQLite, small scales

builds a workspace of that many collaborations (`scripts/scale.py`) in a database of its
own (`civicbridge_bench_<scale>` on the PostgreSQL at BENCH_POSTGRES, made and dropped by
the script; `--keep` keeps it and `--reuse` measures a kept one again), starts gunicorn with
two sync workers on a free port, and prints for each page and API list its queries, the
median and 95th percentile latency under four concurrent clients signed in as the persona,
the requests per second, and their ratio to a trivial view's (a static file) on the same
run. Then it times the reminder scan: a first pass over everything, and a pass with
nothing new.
"""

import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="civicbridge-bench-"))

import at_scale  # noqa: E402  (chooses the database before Django reads its settings)

SCALE_ARGS = at_scale.parse(sys.argv[1:]) if "--scale" in sys.argv else None
if SCALE_ARGS is not None:
    at_scale.prepare_database(SCALE_ARGS)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = 7
MEMORY_BUDGET_MB = 300


def seed(organisations: int) -> None:
    from civicbridge.partners.choices import OrganisationKind
    from civicbridge.partners.models import Department, Membership, Organisation, Person

    batch = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench organisation {i}", kind=OrganisationKind.GOVERNMENT, country="Bench"
        )
        for i in range(organisations)
    )
    departments = Department.objects.bulk_create(
        Department(organisation=o, name=f"Department of {o.name}") for o in batch
    )
    people = Person.objects.bulk_create(
        Person(name=f"Bench person {i}") for i in range(organisations * 5)
    )
    Membership.objects.bulk_create(
        Membership(
            person=p,
            organisation=departments[i % len(departments)].organisation,
            department=departments[i % len(departments)],
            role="officer",
        )
        for i, p in enumerate(people)
    )


def seed_collaborations(civic, institutions) -> None:
    """One fellowship with each institution, with its stage history, check-ins and feed."""
    from datetime import date, timedelta

    from civicbridge.collaborations.models import Activity, CheckIn, Collaboration, Transition

    start = date.today() - timedelta(days=120)
    collaborations = Collaboration.objects.bulk_create(
        Collaboration(
            model="fellowship",
            title=f"Bench fellowship {i}",
            civic_organisation=civic,
            institution=institution,
            start_date=start,
            end_date=start + timedelta(days=240),
            stage="active",
        )
        for i, institution in enumerate(institutions)
    )
    Transition.objects.bulk_create(
        Transition(collaboration=c, from_stage="agreed", to_stage="active") for c in collaborations
    )
    Activity.objects.bulk_create(
        Activity(collaboration=c, owner_organisation=civic, visibility="both", message="Moved")
        for c in collaborations
    )
    CheckIn.objects.bulk_create(
        CheckIn(
            collaboration=c,
            owner_organisation=side,
            visibility="both",
            due_on=start + timedelta(days=14 * n),
            workflow="On plan.",
            quality=4,
        )
        for c in collaborations
        for side in (civic, c.institution)
        for n in range(1, 8)
    )


def seed_service_delivery(civic, institution, contracts: int) -> None:
    """Signed contracts with the one institution, each with six invoices paid in time or late."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from civicbridge.collaborations.models import Collaboration
    from civicbridge.procurement.models import Contract, ContractSignature, Invoice, Payment

    start = date.today() - timedelta(days=400)
    collaborations = Collaboration.objects.bulk_create(
        Collaboration(
            model="service_delivery",
            title=f"Bench service {i}",
            civic_organisation=civic,
            institution=institution,
            start_date=start,
            end_date=start + timedelta(days=730),
            stage="active",
        )
        for i in range(contracts)
    )
    signed = timezone.now() - timedelta(days=400)
    made = Contract.objects.bulk_create(
        Contract(
            collaboration=c,
            supplier=civic,
            buyer=institution,
            title=c.title,
            value=Decimal("120000.00"),
            currency="AUD",
            start_date=start,
            end_date=c.end_date,
            status="active",
        )
        for c in collaborations
    )
    ContractSignature.objects.bulk_create(
        ContractSignature(contract=contract, party=party, signer_name=party.name, signed_at=signed)
        for contract in made
        for party in (civic, institution)
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            contract=contract,
            supplier=civic,
            number=f"B-{contract.pk}-{n}",
            amount=Decimal("10000.00"),
            currency="AUD",
            issued_on=start + timedelta(days=60 * n),
            due_on=start + timedelta(days=60 * n + 30),
            settled_on=start + timedelta(days=60 * n + 20 + 15 * (n % 3)),
        )
        for contract in made
        for n in range(6)
    )
    Payment.objects.bulk_create(
        Payment(invoice=i, amount=i.amount, currency="AUD", paid_on=i.settled_on) for i in invoices
    )


def measure(client: Client, url: str) -> tuple[float, int]:
    timings = []
    for _ in range(RUNS):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from civicbridge.accounts.models import User
    from civicbridge.partners.models import Organisation

    admin = User.objects.create_superuser("bench@example.org", "bench-password")
    client = Client()
    client.force_login(admin)
    print(f"database: {connection.vendor}")
    from civicbridge.collaborations.models import Collaboration

    civic = Organisation.objects.create(name="Bench civic organisation", kind="civic")
    print(f"{'organisations':>14} {'page':<26} {'median ms':>10} {'queries':>8}")
    for size in (50, 500):
        seed(size - Organisation.objects.count())
        seed_collaborations(
            civic, Organisation.objects.filter(kind="government", institution_collaborations=None)
        )
        biggest = Organisation.objects.order_by("-id").first()
        seed_service_delivery(civic, biggest, size // 10)
        latest = Collaboration.objects.filter(model="fellowship").order_by("-id").first()
        service = Collaboration.objects.filter(model="service_delivery").order_by("-id").first()
        for label, url in (
            ("directory", "/organisations/"),
            ("directory search", "/organisations/?q=organisation+4&country=Bench"),
            ("organisation page", f"/organisations/{biggest.pk}/"),
            ("Popolo export, all", "/organisations/export.json"),
            ("collaborations", "/collaborations/"),
            ("civic side's history", f"/organisations/{civic.pk}/collaborations/"),
            ("collaboration overview", f"/collaborations/{latest.pk}/"),
            ("check-ins tab", f"/collaborations/{latest.pk}/check-ins/"),
            ("check-in chart", f"/collaborations/{latest.pk}/check-ins/chart.svg"),
            ("invoices tab", f"/collaborations/{service.pk}/invoices/"),
            ("money owed", f"/organisations/{civic.pk}/money-owed/"),
            ("cash flow", f"/organisations/{civic.pk}/cash-flow/"),
            ("institution payment record", f"/organisations/{biggest.pk}/payment-record/"),
            ("payment record chart", f"/organisations/{biggest.pk}/payment-record/chart.svg"),
            ("events", "/events/"),
            ("public survival", "/public/events/survival/"),
        ):
            ms, queries = measure(client, url)
            print(f"{size:>14} {label:<26} {ms:>10.1f} {queries:>8}")
    data = ROOT / "civicbridge/partners/data/tas_local_councillor_popolo.json"
    for attempt in ("first", "second"):
        start = time.perf_counter()
        call_command("import_popolo", str(data), stdout=io.StringIO())
        print(
            f"import_popolo Tasmania ({attempt} run): {(time.perf_counter() - start) * 1000:.0f} ms"
        )


# The imports' peak memory: each worst file in a fresh process -----------------------------


def worst_files(folder: Path) -> dict[str, tuple[str, Path]]:
    """The files that once took a worker to gigabytes, or to a recursion error, by name."""
    from django.conf import settings

    limit = settings.FILE_UPLOAD_MAX_SIZE
    records = settings.IMPORT_MAX_RECORDS
    empty = b'{"releases": [' + b"{}," * ((limit - 64) // 3) + b"{}]}"
    deep = b'{"releases": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    at_limit = b'{"releases": [' + b",".join([b"{}"] * records) + b"]}"
    values = settings.IMPORT_MAX_VALUES - 10
    many_values = (
        '{"persons": [{"id": "p", "name": "Many", "other_names": ['
        + ",".join(["0"] * values)
        + "]}]}"
    ).encode()
    # As many distinct strings as the values allowed, as long as the size allows.
    length = max(1, (limit - 1024) // values - 3)
    strings = (
        b'{"releases": [{"ocid": "x", "tag": ['
        + b",".join(b'"%s"' % str(i).zfill(length).encode() for i in range(values))
        + b"]}]}"
    )
    csv_rows = b"name,url,start\n" + b",,\n" * (
        (settings.EVENT_IMPORT_MAX_MB * 1024 * 1024 - 20) // 3
    )
    files = {
        "ocds_empty_releases": ("ocds", "OCDS: millions of empty releases", empty),
        "ocds_at_release_limit": ("ocds", "OCDS: empty releases at the limit", at_limit),
        "ocds_deep": ("ocds", "OCDS: 100,000 nested brackets", deep),
        "popolo_values": ("popolo", "Popolo: values at the limit", many_values),
        "ocds_strings": ("ocds", "OCDS: distinct strings to the limits", strings),
        "events_empty_rows": ("events", "Events CSV: empty rows to the size", csv_rows),
    }
    named = {}
    for name, (kind, label, content) in files.items():
        path = folder / f"{name}.data"
        path.write_bytes(content)
        named[name] = (kind, f"{label} ({len(content) / 1024 / 1024:.1f} MB)", path)
    return named  # type: ignore[return-value]


def import_once(kind: str, path: Path) -> str:
    """Import one file here, in this process; say how it ended."""
    from civicbridge.events.importer import EVENT_COLUMNS, Reader
    from civicbridge.events.importer import ImportFailed as EventsRefused
    from civicbridge.partners.imports import ImportFailed, import_file
    from civicbridge.procurement.ocds.importer import import_ocds
    from civicbridge.procurement.ocds.validation import OcdsError

    try:
        with path.open("rb") as file:
            if kind == "ocds":
                import_ocds(None, file)
            elif kind == "popolo":
                import_file("popolo", file)
            else:
                reader = Reader("events", file, EVENT_COLUMNS)
                if reader.errors:
                    raise EventsRefused(reader.errors)
                return f"read {len(reader.rows)} rows"
    except (OcdsError, ImportFailed) as refusal:
        return f"refused: {str(refusal).splitlines()[0][:70]}"
    except EventsRefused as refusal:
        return f"refused: {refusal.errors[0].message[:70]}"
    return "imported"


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec, while
    ru_maxrss keeps the parent's peak from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(kind: str, path: str) -> None:
    """In a fresh process: import the file and print the peak memory, in MB."""
    import tracemalloc

    tracemalloc.start()
    outcome = import_once(kind, Path(path))
    traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    rss = peak_rss_mb()
    print(f"{rss:.0f}\t{traced:.0f}\t{outcome}")


def measure_memory() -> bool:
    """Import each worst file in its own process; print the figures; say if all fit."""
    folder = Path(tempfile.mkdtemp(prefix="civicbridge-worst-"))
    print(f"\nPeak memory of an import, each in a fresh process (budget {MEMORY_BUDGET_MB} MB)")
    print(f"{'file':<48} {'peak RSS MB':>11} {'traced MB':>9}  outcome")
    fits = True
    env = {**os.environ, "VAR_DIR": str(folder)}
    for kind, label, path in worst_files(folder).values():
        child = subprocess.run(
            [sys.executable, __file__, "memory-child", kind, str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if child.returncode:
            print(f"{label:<48} failed: {child.stderr.strip().splitlines()[-1:]}")
            fits = False
            continue
        rss, traced, outcome = child.stdout.strip().splitlines()[-1].split("\t")
        fits = fits and float(rss) < MEMORY_BUDGET_MB
        print(f"{label:<48} {rss:>11} {traced:>9}  {outcome}")
    print("All within the budget." if fits else "OVER THE BUDGET.")
    return fits


if __name__ == "__main__":
    if SCALE_ARGS is not None:
        at_scale.main(SCALE_ARGS)
    elif sys.argv[1:2] == ["memory-child"]:
        memory_child(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["memory"]:
        sys.exit(0 if measure_memory() else 1)
    else:
        main()
        measure_memory()
