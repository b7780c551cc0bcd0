"""Print how long the main pages and imports take at two data sizes.

    .venv/bin/python scripts/benchmark.py            # SQLite in a temporary folder
    DATABASE_URL=postgres://… .venv/bin/python scripts/benchmark.py

Each figure is the median of several runs, with the number of queries beside it; the
queries should stay the same when the data grows tenfold.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="civicbridge-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = 7


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


if __name__ == "__main__":
    main()
