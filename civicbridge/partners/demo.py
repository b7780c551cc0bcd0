"""The partners part of the demo workspace: real organisations, fictional persona accounts.

Real data: the civic-technology organisations and government digital teams of Code for
America's list, and Tasmania's councils with their councillors (names and roles only, never
e-mail addresses) and their parties. The personas are made up.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model

from . import services
from .choices import Access
from .civic_orgs import import_civic_orgs, popolo_id_for
from .models import Organisation
from .popolo import import_popolo

DATA_DIR = Path(__file__).parent / "data"
CIVIC_ORGANISATION = popolo_id_for("Code for Australia")
INSTITUTION = "legislature/hobart_city_council"
PERSONAS = {
    "Civic programme lead (Code for Australia)": "lead@example.org",
    "Government official (Hobart City Council)": "official@example.org",
    "Fellow (placed in Hobart's Digital Services)": "fellow@example.org",
}


def load(admin, password: str) -> None:
    """Load the real organisations and councils, then the personas who act for them."""
    load_real_data()
    load_personas(admin, password)


def load_real_data() -> None:
    import_civic_orgs(json.loads((DATA_DIR / "civic_orgs.json").read_text()))
    councils = json.loads((DATA_DIR / "tas_local_councillor_popolo.json").read_text())
    for person in councils["persons"]:
        person.pop("email", None)
    import_popolo(councils, country="Australia")


def load_personas(admin, password: str) -> None:
    """Create the persona accounts and the memberships that give each one its view."""
    User = get_user_model()
    civic = Organisation.objects.get(popolo_id=CIVIC_ORGANISATION)
    council = Organisation.objects.get(popolo_id=INSTITUTION)
    innovation = services.create_department(admin, council, name="City Innovation")
    digital = services.create_department(admin, council, name="Digital Services", parent=innovation)
    services.create_department(admin, council, name="Customer Service")

    def persona(email: str, name: str, organisation, role: str, access: str, **membership):
        person = services.create_person(
            admin, organisation, {"name": name}, role=role, access=access, **membership
        )
        first, _, last = name.partition(" ")
        User.objects.create_user(email, password, first_name=first, last_name=last, person=person)
        return person

    persona("lead@example.org", "Alex Morgan", civic, "Programme lead", Access.ADMIN)
    persona(
        "official@example.org",
        "Sam Okafor",
        council,
        "Digital services manager",
        Access.ADMIN,
        department=digital,
    )
    fellow = persona("fellow@example.org", "Jordan Lee", civic, "Fellow", Access.MEMBER)
    services.create_membership(
        admin, council, person=fellow, department=digital, role="Fellow", access=Access.VIEWER
    )
    lead = User.objects.get(email="lead@example.org")
    services.add_note(
        lead,
        council,
        civic,
        visibility="both",
        body="Digital Services would like a fellow to help redesign the online service requests.",
    )
    services.add_note(
        lead,
        council,
        civic,
        visibility="own",
        body="Ask who else in City Innovation should be at the next meeting: today it rests on one contact.",
    )
