"""A fellowship with its placement: Jo Fellow hosted by Sam Official in Digital Services."""

import pytest

from civicbridge.fellowships import services


def place(actor, collaboration, world, **changes):
    fields = {
        "fellow": world.fellow.person,
        "supervisor": world.official.person,
        "host_department": world.department,
        "start_date": collaboration.start_date,
        "end_date": collaboration.end_date,
        **changes,
    }
    return services.create_or_update_placement(actor, collaboration, **fields)


@pytest.fixture
def placement(fellowship, world):
    return place(world.civic_lead, fellowship, world)


@pytest.fixture
def complete_brief(placement, world):
    return services.save_brief(
        world.official,
        placement,
        possibilities="Open the budget data.",
        priorities="The spending dashboard first.",
        challenges="The finance system has no API.",
    )
