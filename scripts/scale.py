"""Build a workspace of a given size for the benchmark, with bulk inserts.

`build(collaborations)` makes one civic organisation, "Bench civic organisation", the party
of every collaboration, with a user who acts for it as an admin (the persona the benchmark
signs in as), and about one partner institution per ten collaborations, each with a user.
The collaborations spread over the six models and the six stages; each that has started
takes check-ins from both sides (about ten per collaboration, some missed), an agreement
with obligations (some overdue), a note, an activity line and its last stage move; one in
five has an open risk. Service delivery collaborations past their agreement have a signed
contract with invoices, paid, part-paid, credited or overdue.

Run it through `scripts/benchmark.py --scale N`, which makes and drops the database.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Max
from django.utils import timezone

BATCH = 5_000
PASSWORD = "bench-password"
CIVIC_NAME = "Bench civic organisation"
PERSONA_EMAIL = "persona@bench.example.org"

MODELS = ["fellowship", "training", "service_delivery", "event", "consulting", "policy"]
# Most work is running; some is being proposed or prepared, some is over.
STAGES = [
    ("proposed", 8),
    ("preparing", 8),
    ("agreed", 12),
    ("active", 45),
    ("closing", 10),
    ("closed", 17),
]
CHECKIN_DATES = 6  # per collaboration that has started: six dates, both sides (12 check-ins)


@dataclass(frozen=True)
class Built:
    """What the benchmark needs to find again: the persona and a few records to open."""

    organisation_id: int
    user_email: str
    collaboration_id: int
    service_delivery_id: int
    institution_id: int


def _stage(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STAGES], weights=[w for _, w in STAGES])[0]


def _bulk(model, rows, batch: int = BATCH) -> list:
    """Insert `rows` in batches; returns them with their primary keys (on PostgreSQL and
    SQLite both set them)."""
    made: list = []
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            made += model.objects.bulk_create(chunk, batch_size=batch)
            chunk = []
    if chunk:
        made += model.objects.bulk_create(chunk, batch_size=batch)
    return made


def build(size: int, *, today: date | None = None, seed: int = 2026, say=print) -> Built:
    """Fill the (migrated, empty) database with `size` collaborations and what they hold."""
    from civicbridge.accounts.models import User
    from civicbridge.collaborations.models import (
        Activity,
        Agreement,
        CheckIn,
        Collaboration,
        CollaborationNote,
        Obligation,
        OwedCheckIn,
        Risk,
        Signature,
        Transition,
    )
    from civicbridge.partners.models import Membership, Organisation, Person
    from civicbridge.procurement.models import (
        Contract,
        ContractSignature,
        CreditNote,
        Invoice,
        Payment,
    )

    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    password = make_password(PASSWORD)

    def step(label: str, count: int) -> None:
        say(f"  {label:<28} {count:>10,}")

    # Organisations, people, users and memberships
    civic = Organisation.objects.create(
        name=CIVIC_NAME, kind="civic", country="Benchland", city="Bench City"
    )
    institutions = _bulk(
        Organisation,
        (
            Organisation(
                name=f"Bench council {i:06d}",
                kind="government",
                country=f"Benchland {i % 7}",
                city=f"Town {i % 97}",
            )
            for i in range(max(2, size // 10))
        ),
    )
    step("organisations", len(institutions) + 1)
    people = _bulk(
        Person,
        (
            Person(name=f"Bench person {i:07d}", email=f"person{i}@bench.example.org")
            for i in range(2 * len(institutions) + 4)
        ),
    )
    # The persona and three colleagues act for the civic organisation; each institution has
    # an admin with an account and a member of staff without one.
    civic_people, institution_people = people[:4], people[4:]
    _bulk(
        User,
        (
            User(
                email=PERSONA_EMAIL if i == 0 else f"civic{i}@bench.example.org",
                password=password,
                person=person,
            )
            for i, person in enumerate(civic_people)
        ),
    )
    _bulk(
        User,
        (
            User(email=person.email, password=password, person=person)
            for person in institution_people[::2]
        ),
    )
    memberships = [
        Membership(
            person=person,
            organisation=civic,
            role="Lead" if i == 0 else "Officer",
            access="admin" if i < 2 else "member",
        )
        for i, person in enumerate(civic_people)
    ]
    for i, institution in enumerate(institutions):
        admin, staff = institution_people[2 * i], institution_people[2 * i + 1]
        memberships.append(
            Membership(person=admin, organisation=institution, role="Director", access="admin")
        )
        memberships.append(Membership(person=staff, organisation=institution, role="Officer"))
    step("memberships", len(_bulk(Membership, memberships)))
    users = dict(User.objects.values_list("person_id", "pk"))
    persona = User.objects.get(email=PERSONA_EMAIL)

    # Collaborations, their stage history, risks, notes and activity
    plans = []
    for i in range(size):
        model = MODELS[i % len(MODELS)]
        stage = _stage(rng)
        if stage in ("proposed", "preparing"):
            start = today + timedelta(days=rng.randint(5, 120))
        elif stage == "agreed":
            start = today - timedelta(days=rng.randint(0, 60))
        else:
            start = today - timedelta(days=rng.randint(90, 400))
        end = start + timedelta(days=rng.choice([180, 270, 365]))
        if stage == "closed":
            end = min(end, today - timedelta(days=rng.randint(1, 30)))
            end = max(end, start + timedelta(days=CHECKIN_DATES * 14))
        institution = institutions[i % len(institutions)]
        plans.append((model, stage, start, end, institution))
    collaborations = _bulk(
        Collaboration,
        (
            Collaboration(
                model=model,
                title=f"Bench {model.replace('_', ' ')} {i:06d}",
                summary="Work between the bench civic organisation and a council.",
                civic_organisation=civic,
                institution=institution,
                start_date=start,
                end_date=end,
                stage=stage,
                closed_on=end if stage == "closed" else None,
                created_by=persona,
            )
            for i, (model, stage, start, end, institution) in enumerate(plans)
        ),
    )
    step("collaborations", len(collaborations))
    previous = {
        "proposed": "proposed",
        "preparing": "proposed",
        "agreed": "preparing",
        "active": "agreed",
        "closing": "active",
        "closed": "closing",
    }
    step(
        "transitions",
        len(
            _bulk(
                Transition,
                (
                    Transition(
                        collaboration=c,
                        from_stage=previous[c.stage],
                        to_stage=c.stage,
                        actor=persona,
                    )
                    for c in collaborations
                    if c.stage != "proposed"
                ),
            )
        ),
    )
    step(
        "risks",
        len(
            _bulk(
                Risk,
                (
                    Risk(
                        collaboration=c,
                        condition="fellowship.successor_named",
                        statement="A successor is named before the end.",
                        reason="Nobody is named yet.",
                        stage=c.stage,
                        resolved_on=today if n % 2 else None,
                    )
                    for n, c in enumerate(collaborations)
                    if n % 5 == 0
                ),
            )
        ),
    )
    step(
        "notes",
        len(
            _bulk(
                CollaborationNote,
                (
                    CollaborationNote(
                        collaboration=c,
                        owner_organisation=civic,
                        visibility="both" if n % 2 else "own",
                        author=persona,
                        body="Spoke with the council's team; next steps agreed.",
                    )
                    for n, c in enumerate(collaborations)
                ),
            )
        ),
    )
    step(
        "activity",
        len(
            _bulk(
                Activity,
                (
                    Activity(
                        collaboration=c,
                        owner_organisation=civic,
                        visibility="both",
                        actor=persona,
                        message=f"Moved to {c.stage}",
                    )
                    for c in collaborations
                ),
            )
        ),
    )

    # Check-ins: six dates a fortnight apart from the start, both sides; the institution
    # missed the last date of one collaboration in three, and some ratings diverge.
    started = [c for c in collaborations if c.stage not in ("proposed", "preparing")]

    def checkins():
        for n, c in enumerate(started):
            for k in range(1, CHECKIN_DATES + 1):
                due = c.start_date + timedelta(days=14 * k)
                if due >= today:
                    break
                for side in (civic.pk, c.institution_id):
                    if side != civic.pk and k == CHECKIN_DATES and n % 3 == 0:
                        continue
                    yield CheckIn(
                        collaboration=c,
                        owner_organisation_id=side,
                        visibility="both",
                        due_on=due,
                        workflow="On plan.",
                        problems="" if k % 4 else "Waiting on data access.",
                        quality=2 + (n + k) % 4 if side == civic.pk else 3 + (n % 3 == 1),
                    )

    step("check-ins", len(_bulk(CheckIn, checkins())))

    # What each side owes, as `refresh_owed_checkins` keeps it: from each side's latest update.
    latest = {
        (row["collaboration_id"], row["owner_organisation_id"]): row["latest"]
        for row in CheckIn.objects.order_by()
        .values("collaboration_id", "owner_organisation_id")
        .annotate(latest=Max("due_on"))
    }
    step(
        "check-ins owed",
        len(
            _bulk(
                OwedCheckIn,
                (
                    OwedCheckIn(
                        collaboration=c,
                        organisation_id=side,
                        first_due=c.first_checkin_uncovered(latest.get((c.pk, side))),
                    )
                    for c in collaborations
                    for side in (c.civic_organisation_id, c.institution_id)
                ),
            )
        ),
    )

    # Agreements, signatures and obligations
    agreements = _bulk(
        Agreement,
        (
            Agreement(
                collaboration=c,
                purpose="What both sides do together.",
                terms="Terms both sides agreed.",
            )
            for c in collaborations
            if c.stage != "proposed"
        ),
    )
    by_collaboration = {c.pk: c for c in collaborations}
    signed = [a for a in agreements if by_collaboration[a.collaboration_id].stage != "preparing"]
    institution_user = {
        m.organisation_id: users[m.person_id] for m in memberships if m.access == "admin"
    }
    step(
        "agreements, signatures",
        len(agreements)
        + len(
            _bulk(
                Signature,
                (
                    Signature(
                        agreement=a,
                        version=1,
                        party_id=party,
                        signed_by_id=persona.pk if party == civic.pk else institution_user[party],
                        signer_name="Bench signer",
                        signed_at=now - timedelta(days=30),
                    )
                    for a in signed
                    for party in (civic.pk, by_collaboration[a.collaboration_id].institution_id)
                ),
            )
        ),
    )
    step(
        "obligations",
        len(
            _bulk(
                Obligation,
                (
                    Obligation(
                        agreement=a,
                        party_id=party,
                        description="Share the monthly service data.",
                        due_date=today + timedelta(days=rng.randint(-60, 60)),
                        status=rng.choice(["open", "in_progress", "done"]),
                    )
                    for a in agreements
                    for party in (civic.pk, by_collaboration[a.collaboration_id].institution_id)
                ),
            )
        ),
    )

    # Contracts and invoices of service delivery past its agreement
    services = [
        c
        for c in collaborations
        if c.model == "service_delivery" and c.stage in ("agreed", "active", "closing", "closed")
    ]
    contracts = _bulk(
        Contract,
        (
            Contract(
                collaboration=c,
                supplier=civic,
                buyer_id=c.institution_id,
                title=c.title,
                value=Decimal("120000.00"),
                currency="AUD" if n % 4 else "EUR",
                start_date=c.start_date,
                end_date=c.end_date,
                status="active",
            )
            for n, c in enumerate(services)
        ),
    )
    _bulk(
        ContractSignature,
        (
            ContractSignature(
                contract=contract,
                party_id=party,
                signer_name="Bench signer",
                signed_at=now - timedelta(days=60),
            )
            for contract in contracts
            for party in (civic.pk, contract.buyer_id)
        ),
    )
    invoices = []
    for contract in contracts:
        for k in range(4):
            issued = contract.start_date + timedelta(days=30 * (k + 1))
            if issued > today:
                break
            invoices.append(
                Invoice(
                    contract=contract,
                    supplier=civic,
                    number=f"B-{contract.pk}-{k}",
                    amount=Decimal("10000.00"),
                    currency=contract.currency,
                    issued_on=issued,
                    due_on=issued + timedelta(days=30),
                )
            )
    invoices = _bulk(Invoice, invoices)
    payments, credits, settled = [], [], []
    for n, invoice in enumerate(invoices):
        fate = n % 5  # paid on time, paid late, part-paid, credited in part, unpaid
        if fate in (0, 1):
            paid_on = invoice.due_on + timedelta(days=-5 if fate == 0 else 20)
            if paid_on <= today:
                payments.append(
                    Payment(
                        invoice=invoice,
                        amount=invoice.amount,
                        currency=invoice.currency,
                        paid_on=paid_on,
                    )
                )
                invoice.settled_on = paid_on
                settled.append(invoice)
        elif fate == 2:
            payments.append(
                Payment(
                    invoice=invoice,
                    amount=Decimal("4000.00"),
                    currency=invoice.currency,
                    paid_on=min(today, invoice.due_on),
                )
            )
        elif fate == 3:
            credits.append(
                CreditNote(
                    invoice=invoice,
                    amount=Decimal("1500.00"),
                    currency=invoice.currency,
                    number=f"C-{invoice.pk}",
                    issued_on=invoice.issued_on,
                    reason="A day not delivered.",
                )
            )
    _bulk(Payment, payments)
    _bulk(CreditNote, credits)
    Invoice.objects.bulk_update(settled, ["settled_on"], batch_size=BATCH)
    step("contracts", len(contracts))
    step("invoices", len(invoices))
    step("payments, credit notes", len(payments) + len(credits))

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    service = next(c for c in services if c.stage == "active")
    running = next(c for c in collaborations if c.stage == "active")
    return Built(civic.pk, PERSONA_EMAIL, running.pk, service.pk, running.institution_id)


def find() -> Built | None:
    """The persona and records of a workspace built before, if there is one."""
    from civicbridge.collaborations.models import Collaboration
    from civicbridge.partners.models import Organisation

    civic = Organisation.objects.filter(name=CIVIC_NAME).first()
    if civic is None:
        return None
    running = Collaboration.objects.filter(civic_organisation=civic, stage="active")
    service = running.filter(model="service_delivery", contracts__isnull=False).first()
    first = running.order_by("pk").first()
    if service is None or first is None:
        return None
    return Built(civic.pk, PERSONA_EMAIL, first.pk, service.pk, first.institution_id)
