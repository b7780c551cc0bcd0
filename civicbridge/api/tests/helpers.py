"""What the API's tests share: URLs, JSON requests and an obligation to sign."""

from datetime import date, timedelta

from civicbridge.collaborations.services import agreement

V1 = "/api/v1"


def collaboration_url(collaboration, tail: str = "") -> str:
    return f"{V1}/collaborations/{collaboration.pk}{tail}"


def post_json(client, url: str, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch_json(client, url: str, data=None):
    return client.patch(url, data or {}, content_type="application/json")


def add_obligation(world, fellowship):
    """An obligation of the institution, which makes version 1 of the MOU."""
    return agreement.add_obligation(
        world.civic_lead,
        fellowship,
        party=world.institution,
        description="Provide a desk.",
        owner=world.official.person,
        due_date=date.today() + timedelta(days=30),
    )
